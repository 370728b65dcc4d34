"""Leader election among bot replicas: a PostgreSQL session-level advisory lock."""

from __future__ import annotations

import zlib

from sqlalchemy import Connection, Engine, text


class LeaderLock:
    """Holds ``pg_advisory_lock`` on a dedicated connection while this process leads.

    On SQLite (one process by design) the lock is always granted. The lock is
    released when :meth:`release` is called or the connection dies, so a crashed
    leader's replica takes over at its next :meth:`try_acquire`.

    Args:
        engine: The database engine.
        name: What the lock guards; hashed to the 64-bit lock key.
    """

    def __init__(self, engine: Engine, name: str = "cityneeds-scheduler") -> None:
        self.engine = engine
        self.key = zlib.crc32(name.encode())
        self._connection: Connection | None = None
        self._sqlite = engine.dialect.name == "sqlite"

    @property
    def held(self) -> bool:
        """Whether this process currently holds the lock."""
        return self._sqlite or self._connection is not None

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether this process holds it."""
        if self.held:
            return True
        connection = self.engine.connect()
        got = bool(
            connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
        )
        connection.commit()
        if got:
            self._connection = connection
        else:
            connection.close()
        return got

    def release(self) -> None:
        """Give the lock up (closing the connection also releases it)."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._connection.commit()
            finally:
                self._connection.close()
                self._connection = None
