"""Facilitator and moderator commands, checked against workshop roles and audited."""
