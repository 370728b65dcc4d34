"""Platform adapters: console, Slack, Discord. They only translate."""
