"""Mo's audit rows stay true after ``forget me``: an id shown to staff is never given again.

Before, SQLite handed out max(id) + 1: when the newest contributor said "forget me",
the next citizen's stakeholder got the same number, and the audit row "stakeholder 4
hide: duplicate of stakeholder 2" pointed at her item. PostgreSQL sequences never
reuse a number; SQLite now keeps AUTOINCREMENT on the contribution tables.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import col, select

from bot.runtime import Runtime
from storage import migrate
from storage.audit import audit_rows
from storage.models import Need, Participant, Requirement, Stakeholder, StakeholderLink
from storage.store import Store
from tests.workshop_story import citizen, open_workshop, say, staff, workshop

_Table = type[Need] | type[Stakeholder] | type[StakeholderLink] | type[Requirement]


@pytest.fixture
def rt(store: Store) -> Iterator[Runtime]:
    runtime = open_workshop(store)
    yield runtime
    runtime.router.close()


def _ids_of(rt: Runtime, user: str, table: _Table) -> list[int]:
    pseudonym = rt.router.pseudonym_for("test", user)
    with rt.store.session() as s:
        person = s.exec(select(Participant.id).where(Participant.pseudonym == pseudonym)).one()
        ids = s.exec(
            select(table.id).where(table.participant_id == person).order_by(col(table.id))
        ).all()
    return [int(i or 0) for i in ids]


def test_the_newest_contributor_forgets_and_nobody_gets_their_numbers(rt: Runtime) -> None:
    _fay, mo = staff(rt)
    citizen(rt, "ana")
    citizen(rt, "ben")
    tables: tuple[_Table, ...] = (Need, Stakeholder, StakeholderLink, Requirement)
    bens = {table: _ids_of(rt, "ben", table) for table in tables}
    [first_of_ana, _] = _ids_of(rt, "ana", Stakeholder)
    duplicate = bens[Stakeholder][-1]
    assert "no longer appears" in say(
        rt, mo, f"!hide stakeholder {duplicate} duplicate of stakeholder {first_of_ana}"
    )

    say(rt, "ben", "forget me")
    assert "deleted your data" in say(rt, "ben", "yes")
    assert f"There is no stakeholder {duplicate} in this workshop" in say(
        rt, mo, f"!unhide stakeholder {duplicate}"
    )

    citizen(rt, "cai")
    for table in tables:
        cais = _ids_of(rt, "cai", table)
        assert cais and min(cais) > max(bens[table]), (table.__name__, cais, bens[table])
    assert duplicate not in _ids_of(rt, "cai", Stakeholder)
    # The audit row still names the item that was hidden, and no other item has its number.
    ws_id = workshop(rt).id
    with rt.store.session() as s:
        rows = audit_rows(s, ws_id)
        taken = s.get(Stakeholder, duplicate)
    [hide] = [r["detail"] for r in rows if r["action"] == "moderation.hide"]
    assert (hide["kind"], hide["id"]) == ("stakeholder", duplicate)
    assert taken is None


def test_an_existing_sqlite_database_keeps_its_rows_and_links_through_the_upgrade(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workshop (id, slug, title, timezone, languages, open_tiers,"
                " moderation, settings, created_at) VALUES (1, 'old', 'Old', 'UTC', '[]', '[]',"
                " 'post', '{}', '2026-01-01')"
            )
        )
        connection.execute(
            text(
                "INSERT INTO scenario (id, workshop_id, code, title, description, domains)"
                " VALUES (1, 1, 's', '{}', '{}', '[]')"
            )
        )
        for sid, name in ((1, "Council"), (2, "Club"), (3, "Bank")):
            connection.execute(
                text(
                    "INSERT INTO stakeholder (id, workshop_id, seq, status, created_at,"
                    " scenario_id, name, key, legitimacy, urgency, vulnerable)"
                    " VALUES (:id, 1, :id, 'approved', '2026-01-01', 1, :name, :name, 0, 0, '[]')"
                ),
                {"id": sid, "name": name},
            )
        connection.execute(
            text(
                "INSERT INTO stakeholderlink (id, workshop_id, seq, status, created_at,"
                " scenario_id, source_id, target_id, relation, weight)"
                " VALUES (7, 1, 1, 'approved', '2026-01-01', 1, 1, 2, 'funds', 1.0)"
            )
        )
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        store.upgrade()
        with store.engine.begin() as connection:
            ddl = connection.execute(
                text("SELECT sql FROM sqlite_master WHERE name = 'stakeholder'")
            ).scalar_one()
            links = connection.execute(
                text("SELECT id, source_id, target_id, relation FROM stakeholderlink")
            ).all()
            connection.execute(text("DELETE FROM stakeholder WHERE id = 3"))
            connection.execute(
                text(
                    "INSERT INTO stakeholder (workshop_id, seq, status, created_at, scenario_id,"
                    " name, key, legitimacy, urgency, vulnerable)"
                    " VALUES (1, 4, 'approved', '2026-01-02', 1, 'New', 'new', 0, 0, '[]')"
                )
            )
            newest = connection.execute(text("SELECT max(id) FROM stakeholder")).scalar_one()
            fk_problems = connection.execute(text("PRAGMA foreign_key_check")).all()
        assert "AUTOINCREMENT" in ddl
        assert [tuple(r) for r in links] == [(7, 1, 2, "funds")]
        assert newest == 4  # not 3, the id of the deleted row
        assert fk_problems == []
    finally:
        store.dispose()
        engine.dispose()
