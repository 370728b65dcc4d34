"""Mo moderates a pre-moderated workshop: the relations citizens drew reach the map.

Before, links saved in meso never appeared in ``!queue``, ``!approve link 1`` answered
with the usage line and ``links.csv`` stayed empty. Now a link is queued with its two
stakeholders, can be approved or hidden, and approving a stakeholder approves the
links whose other end is approved too (the reply names those still waiting).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from sqlmodel import col, select

from bot.digest.exports import export_files
from bot.digest.graph import build_graph
from bot.runtime import Runtime
from storage.audit import audit_rows
from storage.models import Stakeholder, StakeholderLink
from storage.store import Store
from tests.workshop_story import citizen, open_workshop, say, staff, workshop


@pytest.fixture
def rt(store: Store) -> Iterator[Runtime]:
    runtime = open_workshop(store)
    yield runtime
    runtime.router.close()


def _ids(rt: Runtime) -> tuple[int, int, int]:
    """The council, the club and the link between them that the citizen drew."""
    with rt.store.session() as s:
        council = s.exec(select(Stakeholder.id).where(Stakeholder.name == "City council")).one()
        club = s.exec(
            select(Stakeholder.id).where(col(Stakeholder.name).startswith("Senior"))
        ).one()
        link = s.exec(select(StakeholderLink.id)).one()
    assert council and club and link
    return council, club, link


def _link_rows(rt: Runtime) -> list[dict[str, str]]:
    snap = rt.store.snapshot(workshop(rt).id)
    files = export_files(snap, "csv", rt.router.core.catalogs, name="out")
    table = next(data for path, data in files.items() if path.endswith("links.csv"))
    return list(csv.DictReader(io.StringIO(table.decode("utf-8"))))


def test_approving_both_stakeholders_brings_their_link_onto_the_map(rt: Runtime) -> None:
    fay, mo = staff(rt)
    assert "Moderation: pre" in say(rt, fay, "!policy pre")
    citizen(rt, "ana")
    council, club, link = _ids(rt)

    queue = say(rt, mo, "!queue")
    assert (
        f"• link {link}: City council (stakeholder {council}) funds "
        f"Senior citizens' club (stakeholder {club})"
    ) in queue
    assert f"link {link} waits for stakeholder {council}" in queue
    assert _link_rows(rt) == []

    # The council first: its link still waits for the club, and the reply says so.
    reply = say(rt, mo, f"!approve stakeholder {council}")
    assert f"Approved stakeholder {council}." in reply
    assert f"link {link} waits for stakeholder {club}" in reply
    # The club second: the link is approved with it, named in the reply.
    reply = say(rt, mo, f"!approve stakeholder {club}")
    assert f"Approved with it, as both their stakeholders are approved: link {link}." in reply
    with rt.store.session() as s:
        assert s.get(StakeholderLink, link).status == "approved"  # type: ignore[union-attr]

    rows = _link_rows(rt)
    assert [(r["source"], r["relation"], r["target"]) for r in rows] == [
        ("City council", "funds", "Senior citizens' club")
    ]
    graph = build_graph(rt.store.snapshot(workshop(rt).id))
    relates = [d for _, _, d in graph.edges(data=True) if d.get("kind") == "relates"]
    assert [d["relation"] for d in relates] == ["funds"]

    with rt.store.session() as s:
        rows_audited = audit_rows(s, workshop(rt).id)
    by_link = [
        r["detail"]
        for r in rows_audited
        if r["action"] == "moderation.approve" and r["detail"]["kind"] == "link"
    ]
    assert by_link == [
        {
            "kind": "link",
            "id": link,
            "from": "pending",
            "to": "approved",
            "reason": f"with stakeholder {club}",
        }
    ]


def test_a_link_is_approved_or_hidden_on_its_own(rt: Runtime) -> None:
    fay, mo = staff(rt)
    say(rt, fay, "!policy pre")
    citizen(rt, "ana")
    council, club, link = _ids(rt)

    reply = say(rt, mo, f"!approve link {link}")
    assert reply.startswith(f"Approved link {link}.")
    assert f"link {link} waits for stakeholder {council}" in reply
    assert f"link {link} waits for stakeholder {club}" in reply
    assert _link_rows(rt) == []  # the map shows no edge to stakeholders under review
    say(rt, mo, f"!approve stakeholder {council}")
    say(rt, mo, f"!approve stakeholder {club}")
    assert len(_link_rows(rt)) == 1

    assert "no longer appears" in say(rt, mo, f"!hide link {link} not a real relation")
    assert _link_rows(rt) == []
    with rt.store.session() as s:
        assert s.get(StakeholderLink, link).status == "hidden"  # type: ignore[union-attr]
    assert "There is no link 999 in this workshop" in say(rt, mo, "!approve link 999")
