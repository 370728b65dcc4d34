"""The Slack adapter: a slack-bolt app over HTTP or Socket Mode (see README.md here)."""
