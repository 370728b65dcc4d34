"""How long storage waits, kept apart so settings can read it without loading SQLAlchemy."""

from __future__ import annotations

#: How long a SQLite writer waits for the lock before failing, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 60_000
#: How long opening a PostgreSQL connection may take, in seconds, unless configured.
DEFAULT_CONNECT_TIMEOUT = 5.0
