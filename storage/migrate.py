"""Run Alembic migrations programmatically (``cityneeds db upgrade`` and first start).

Upgrades are serialised between processes: replicas that start together on an empty
database take turns, and every one after the first finds the schema already current.
PostgreSQL holds a transaction-scoped advisory lock (one key per schema); SQLite's
``BEGIN IMMEDIATE`` (see :mod:`storage.database`) holds the database's write lock.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:  # Alembic is loaded only to migrate, not at every start
    from alembic.config import Config

from storage.database import scrub

#: First half of the advisory lock key (``pg_advisory_xact_lock(int, int)``): "CNdb".
MIGRATION_LOCK_CLASS = 0x434E6462


class SchemaOutOfDate(RuntimeError):
    """The database has tables but is not at the newest migration."""


class SchemaUpgradeError(RuntimeError):
    """A migration failed; the message says which error the database gave."""


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the shipped migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(Path(str(resources.files("storage") / "migrations")))
    )
    if engine is not None:
        url = engine.url.render_as_string(hide_password=False)
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


_REVISION = re.compile(r"^revision\s*(?::\s*str\s*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)


@cache
def head_revision() -> str | None:
    """The newest shipped migration, read from the version files without loading Alembic.

    The migrations form one line (each names the one before as ``down_revision``);
    the head is the revision no other file points back to. A test checks this
    against Alembic's own answer.
    """
    versions = Path(str(resources.files("storage") / "migrations" / "versions"))
    revisions: set[str] = set()
    pointed_at: set[str] = set()
    for path in versions.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        found = _REVISION.search(source)
        if found:
            revisions.add(found.group(1))
        down = _DOWN.search(source)
        if down:
            pointed_at.add(down.group(1))
    heads = sorted(revisions - pointed_at)
    return heads[-1] if heads else None


def current_revision(connection: Connection) -> str | None:
    """The revision the database behind ``connection`` is at, or ``None``."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    try:
        row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError:
        return None
    return None if row is None else str(row[0])


def lock_schema(connection: Connection) -> None:
    """Hold the migration lock of this database (or PostgreSQL schema) until the transaction ends.

    On SQLite the transaction already holds the write lock (``BEGIN IMMEDIATE``).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:cls, hashtext(current_schema()))"),
            {"cls": MIGRATION_LOCK_CLASS},
        )


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrade the database behind ``engine`` to ``revision``, one process at a time.

    Raises:
        SchemaUpgradeError: A migration failed.
    """
    with engine.begin() as connection:
        lock_schema(connection)
        _run_upgrade(engine, connection, revision)


def ensure_current(engine: Engine) -> None:
    """Bring an empty database to the newest revision; refuse one that is behind.

    An empty database gets the newest schema in one step (see
    :mod:`storage.fresh_schema`); one with tables is never touched here.

    The check and the upgrade run under the migration lock, so two replicas
    starting on an empty database both succeed: the second finds the first's work.

    Raises:
        SchemaOutOfDate: Tables exist but the revision is not the newest.
        SchemaUpgradeError: A migration failed.
    """
    head = head_revision()
    with engine.connect() as connection:
        if current_revision(connection) == head:
            return
    with engine.begin() as connection:
        lock_schema(connection)
        current = current_revision(connection)
        if current == head:
            return
        if current is None and not inspect(connection).get_table_names():
            if head is None:
                _run_upgrade(engine, connection, "head")
            else:
                from storage.fresh_schema import create_fresh

                try:
                    create_fresh(connection, head)
                except Exception as exc:
                    raise _upgrade_error(engine, exc) from exc
            return
    raise SchemaOutOfDate(
        f"the database is at revision {current or 'none'}, the code expects "
        f"{head}: run `cityneeds db upgrade`"
    )


def _run_upgrade(engine: Engine, connection: Connection, revision: str) -> None:
    from alembic import command

    config = alembic_config(engine)
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, revision)
    except Exception as exc:
        raise _upgrade_error(engine, exc) from exc


def _upgrade_error(engine: Engine, exc: Exception) -> SchemaUpgradeError:
    """One line naming the database's own error, with the password masked."""
    url = engine.url.render_as_string(hide_password=False)
    detail = scrub(" ".join(str(getattr(exc, "orig", None) or exc).split()), url)
    return SchemaUpgradeError(f"cannot upgrade the database schema: {detail}")
