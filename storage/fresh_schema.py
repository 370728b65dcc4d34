"""A brand-new database gets the newest schema in one step, without loading Alembic.

Running every migration on an empty database costs a chat's first reply about a
fifth of a second (importing Alembic and replaying each step). An empty database
has nothing to migrate, so the first start instead creates the tables from the
models, writes the rows the migrations seed, and stamps the newest revision.
Later upgrades run through Alembic as usual.

Two tests keep this honest: the migrations build exactly the models' schema, and a
database built here holds the same schema and the same rows as one built by
running every migration.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import Column, Connection, MetaData, String, Table, insert
from sqlmodel import SQLModel

from storage.models import Domain

#: The 16 default macro domains (ISO 37120 theme -> SDG targets), as migration
#: 0001 seeds them. A data migration that seeds more rows must add them here too
#: (the equivalence test fails until it does).
SEEDED_DOMAINS: Final[tuple[tuple[str, str, tuple[str, ...]], ...]] = (
    ("governance", "Governance, Finance", ("16.7", "17", "11.3")),
    ("economy", "Economy", ("8", "9", "1")),
    ("education", "Education", ("4",)),
    ("energy", "Energy", ("7", "13")),
    ("environment", "Environment and climate change", ("13", "11.6", "15")),
    ("health", "Health", ("3",)),
    ("housing", "Housing", ("11.1", "1")),
    ("inclusion", "Population and social conditions", ("10", "5", "11.2", "11.7")),
    ("culture", "Recreation; Sport and culture", ("11.4", "11.7", "3")),
    ("safety", "Safety", ("11.5", "13.1", "16.1")),
    ("waste", "Solid waste", ("11.6", "12.5")),
    ("digital", "Telecommunication", ("9.c", "17.8")),
    ("mobility", "Transportation", ("11.2", "3.6", "9.1")),
    ("food", "Urban/local agriculture and food security", ("2", "12.3", "11.a")),
    ("planning", "Urban planning", ("11.3", "11.7", "11.a")),
    ("water", "Water; Wastewater", ("6", "11.5")),
)


def _version_table() -> Table:
    """Alembic's own ``alembic_version`` table, as Alembic creates it."""
    return Table(
        "alembic_version",
        MetaData(),
        Column("version_num", String(32), primary_key=True),
    )


def create_fresh(connection: Connection, revision: str) -> None:
    """Create the newest schema on an empty database and stamp it as ``revision``.

    Runs inside the caller's transaction (which holds the migration lock), so a
    replica starting at the same time finds either nothing or all of it.

    Args:
        connection: A connection to an empty database, in a transaction.
        revision: The newest shipped migration, written to ``alembic_version``.
    """
    # Not checkfirst: the database has no tables, and anything else in the way (a view
    # with a table's name) must fail here, as the first migration would.
    SQLModel.metadata.create_all(connection, checkfirst=False)
    connection.execute(
        insert(Domain.__table__),  # type: ignore[attr-defined]
        [{"code": c, "iso_theme": t, "sdgs": list(s)} for c, t, s in SEEDED_DOMAINS],
    )
    version = _version_table()
    version.create(connection)
    connection.execute(insert(version).values(version_num=revision))
