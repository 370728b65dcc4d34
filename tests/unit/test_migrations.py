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


def _schema_and_rows(store: Store) -> dict[str, object]:
    """Every table's columns, keys, indexes and rows, in a comparable form."""
    found: dict[str, object] = {}
    with store.engine.connect() as connection:
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            # Order aside: a migration that adds a column appends it.
            columns = sorted(
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            )
            indexes = sorted(
                (i["name"] or "", tuple(map(str, i["column_names"])), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            )
            uniques = sorted(
                tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)
            )
            foreign = sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            )
            primary = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
            rows = sorted(
                repr(sorted(row._mapping.items()))
                for row in connection.execute(text(f'SELECT * FROM "{table}"'))
            )
            found[table] = (columns, indexes, uniques, foreign, primary, rows)
    return found


def test_migrations_match_the_models(db_url: str) -> None:
    migrated = Store(db_url)
    try:
        migrated.upgrade()  # every migration, through Alembic
        with migrated.engine.connect() as connection:
            diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
        assert diff == []
        assert migrated.current_revision() == migrated.head_revision()
    finally:
        migrated.dispose()


def test_a_first_start_builds_the_same_database_as_running_every_migration(db_url: str) -> None:
    s = Store(db_url)
    try:
        s.upgrade()
        by_migrations = _schema_and_rows(s)
        with s.engine.begin() as connection:
            SQLModel.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE alembic_version"))
        assert inspect(s.engine).get_table_names() == []
        s.ensure_schema()  # an empty database: the one-step first start
        at_first_start = _schema_and_rows(s)
        assert set(at_first_start) == set(by_migrations)
        for table, expected in by_migrations.items():
            assert at_first_start[table] == expected, table
        assert s.current_revision() == s.head_revision()
    finally:
        s.dispose()


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


def test_migration_0014_adds_assist_sessions_to_a_database_at_0010_and_keeps_its_rows(
    db_url: str,
) -> None:
    from alembic import command

    from storage import migrate

    old = Store(db_url)
    try:
        migrate.upgrade(old.engine, "0010")  # the head before staff could !assist from chat
        with old.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO workshop (slug, title, timezone, languages, open_tiers,"
                    " moderation, settings, created_at) VALUES ('city', 'City', 'UTC',"
                    " '[\"en\"]', '[\"macro\"]', 'post', '{}', CURRENT_TIMESTAMP)"
                )
            )
        assert "assistsession" not in inspect(old.engine).get_table_names()
        old.upgrade()
        assert old.current_revision() == old.head_revision()
        columns = {c["name"] for c in inspect(old.engine).get_columns("assistsession")}
        assert columns == {"id", "platform", "staff", "workshop_id", "resident", "code"} | {
            "started_at"
        }
        assert old.find_workshop("city") is not None
        command.downgrade(migrate.alembic_config(old.engine), "0010")
        assert "assistsession" not in inspect(old.engine).get_table_names()
        assert old.find_workshop("city") is not None
    finally:
        old.dispose()
