"""Digests and reminders that run themselves, exactly once, on one replica at a time."""
