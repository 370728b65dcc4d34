"""Fixtures: a store per test on SQLite and on PostgreSQL (its own schema each)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from hypothesis import settings as hypothesis_settings

from bot.config import Settings
from bot.runtime import Runtime, ensure_workshop, open_runtime
from storage.store import Store

POSTGRES_URL = os.environ.get(
    "CITYNEEDS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# CI replays the same generated examples every run (a red run must mean a change
# broke something); developers' runs keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    hypothesis_settings.load_profile("ci")


def _libpq_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def _postgres_available() -> str | None:
    try:
        with psycopg.connect(_libpq_dsn(POSTGRES_URL), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc)


_PG_PROBLEM: str | None = None
_PG_CHECKED = False


def require_postgres() -> None:
    """Skip outside CI when PostgreSQL is unreachable; fail under CI."""
    global _PG_CHECKED, _PG_PROBLEM
    if not _PG_CHECKED:
        _PG_PROBLEM = _postgres_available()
        _PG_CHECKED = True
    if _PG_PROBLEM is not None:
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {_PG_PROBLEM}"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL for an empty database: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'cityneeds.db'}"
        return
    require_postgres()
    schema = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    with psycopg.connect(_libpq_dsn(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A migrated store on the parametrised database."""
    s = Store(db_url, pool_size=20)
    s.ensure_schema()
    yield s
    s.dispose()


@pytest.fixture
def app(store: Store) -> Iterator[Runtime]:
    """The router over ``store`` with a workshop ``city`` holding the whole scenario library."""
    rt = open_runtime(Settings(database_url=store.url, secret="test-secret"), store=store)
    ensure_workshop(rt.store, "city", "Test city")
    yield rt
    rt.router.close()
