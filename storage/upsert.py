"""``INSERT … ON CONFLICT DO NOTHING`` for SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session


def insert_ignore(
    session: Session,
    table: Table,
    values: dict[str, Any],
    conflict: list[str],
    returning: str = "id",
) -> Any:
    """Insert a row unless it conflicts on ``conflict``.

    Returns:
        The inserted row's ``returning`` column, or ``None`` if the row existed.
    """
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    statement = (
        module.insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=conflict)
        .returning(table.c[returning])
    )
    row = session.execute(statement).first()
    return None if row is None else row[0]
