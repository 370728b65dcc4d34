"""Alembic migrations build exactly the models' schema; an empty database upgrades itself."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel, select

import storage.models  # noqa: F401
from storage.models import Domain
from storage.store import SchemaOutOfDate, Store


def test_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []
    assert store.current_revision() == store.head_revision()


def test_first_start_upgrades_an_empty_database_and_seeds_domains(db_url: str) -> None:
    fresh = Store(db_url)
    try:
        assert fresh.current_revision() is None
        fresh.ensure_schema()
        assert fresh.current_revision() == fresh.head_revision()
        with fresh.session() as s:
            codes = s.exec(select(Domain.code)).all()
        assert len(codes) == 16 and "mobility" in codes
        fresh.ensure_schema()  # idempotent
    finally:
        fresh.dispose()


def test_a_database_behind_the_code_is_refused_with_a_hint(db_url: str) -> None:
    old = Store(db_url)
    try:
        with old.engine.begin() as connection:
            connection.execute(text("CREATE TABLE legacy (id INTEGER PRIMARY KEY)"))
        with pytest.raises(SchemaOutOfDate, match="cityneeds db upgrade"):
            old.ensure_schema()
        assert "legacy" in inspect(old.engine).get_table_names()
    finally:
        old.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: object) -> None:
    s = Store(f"sqlite:///{tmp_path}/wal.db")
    try:
        with s.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
    finally:
        s.dispose()


def test_the_fast_head_lookup_agrees_with_alembic() -> None:
    from alembic.script import ScriptDirectory

    from storage import migrate

    expected = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head()
    assert migrate.head_revision() == expected
