"""Engine factory: SQLite (WAL, busy timeout, ``BEGIN IMMEDIATE``) or PostgreSQL (psycopg 3)."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from storage.timeouts import DEFAULT_CONNECT_TIMEOUT, SQLITE_BUSY_TIMEOUT_MS

#: What a password is shown as.
MASK = "***"


def normalize_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def masked_url(url: str) -> str:
    """``url`` with its password replaced by ``***``: the only way a URL is ever shown.

    A string that is not a URL at all is shown as ``<unparsable URL>``: it might
    still hold a password.
    """
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparsable URL>"


def scrub(text: str, url: str) -> str:
    """``text`` with the password of ``url`` replaced by ``***`` wherever it appears.

    Drivers may quote the connection string in their errors; nothing that reaches
    a terminal or a log keeps the password.
    """
    try:
        password = make_url(url).password
    except (ArgumentError, ValueError):
        return text
    if not password:
        return text
    return text.replace(str(password), MASK)


def is_sqlite(url: str) -> bool:
    """Whether ``url`` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(
    url: str,
    *,
    schema: str | None = None,
    pool_size: int = 10,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
) -> Engine:
    """Create an engine configured for concurrent, durable writes.

    SQLite: WAL journal, ``synchronous=FULL``, a long busy timeout and
    ``BEGIN IMMEDIATE`` so writers queue for the lock instead of failing with
    "database is locked" when a read transaction later tries to write.

    PostgreSQL: psycopg 3; ``schema`` sets the ``search_path`` (tests use one schema each);
    opening a connection gives up after ``connect_timeout`` seconds, so a server that
    accepts connections but never answers cannot hang start-up.

    Args:
        url: SQLAlchemy database URL.
        schema: PostgreSQL schema to use.
        pool_size: Connections kept open (PostgreSQL).
        connect_timeout: Seconds to wait for a PostgreSQL connection (libpq's
            ``connect_timeout``, whole seconds, at least 1).
    """
    url = normalize_url(url)
    if is_sqlite(url):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=pool_size,
            max_overflow=pool_size,
        )
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in make_url(url).query:  # a timeout in the URL wins
        # libpq counts whole seconds and treats 0 as "wait forever": never pass 0.
        connect_args["connect_timeout"] = max(1, round(connect_timeout))
    if schema:
        connect_args["options"] = f"-csearch_path={schema}"
    return create_engine(
        url,
        connect_args=connect_args,
        pool_size=pool_size,
        max_overflow=pool_size * 2,
        pool_pre_ping=True,
    )


def _set_wal(cursor: Any) -> None:
    """Switch to WAL, waiting for other connections as the busy timeout would.

    Changing the journal mode of a brand-new file takes an exclusive lock, and SQLite
    answers "database is locked" at once (no busy handler) while another process is
    doing the same: replicas starting together on an empty database would fail.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        _set_wal(cursor)
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
