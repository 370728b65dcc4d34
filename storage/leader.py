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
        self.name = name
        self._key: int | None = None
        self._connection: Connection | None = None
        self._sqlite = engine.dialect.name == "sqlite"

    @property
    def held(self) -> bool:
        """Whether this process currently holds the lock (as of the last check)."""
        return self._sqlite or self._connection is not None

    def backend_pid(self) -> int | None:
        """The PostgreSQL server process holding the lock for us (``None`` when not leading).

        Operators (and tests) use it to find the lock's session, e.g. to end it.
        """
        if self._sqlite or self._connection is None:
            return None
        pid = self._connection.execute(text("SELECT pg_backend_pid()")).scalar()
        self._connection.commit()
        return int(pid) if pid is not None else None

    def _lock_key(self, connection: Connection) -> int:
        # Advisory locks are per database, not per schema: installs (and tests)
        # that share a database in different schemas must not share a leader.
        if self._key is None:
            schema = connection.execute(text("SELECT current_schema()")).scalar()
            self._key = zlib.crc32(f"{self.name}:{schema}".encode())
        return self._key

    def try_acquire(self) -> bool:
        """Take the lock if it is free; return whether this process holds it.

        A held lock is checked first: if its connection died (the server
        restarted, the network dropped) the lock is gone with it, so this process
        stops leading and competes for the lock again.
        """
        if self._sqlite:
            return True
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT 1"))
                self._connection.commit()
                return True
            except Exception:
                self._drop()
        connection = self.engine.connect()
        try:
            got = bool(
                connection.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": self._lock_key(connection)}
                ).scalar()
            )
            connection.commit()
        except Exception:
            connection.close()
            raise
        if got:
            self._connection = connection
        else:
            connection.close()
        return got

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.invalidate()
            finally:
                self._connection = None

    def release(self) -> None:
        """Give the lock up (closing the connection also releases it)."""
        if self._connection is not None:
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                self._connection.commit()
            except Exception:
                self._drop()
                return
            finally:
                if self._connection is not None:
                    self._connection.close()
                    self._connection = None
