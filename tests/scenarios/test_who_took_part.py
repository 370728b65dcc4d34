"""Fay counts who really took part: citizens who gave an answer, per tier; staff apart.

Before, the digest, ``!progress`` and ``participants.csv`` counted everyone who
consented, staff included. Now a participant is a citizen with at least one saved
answer that is not hidden (pending ones count: they did answer), per tier, and
the staff are listed apart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.digest.exports import export_files
from bot.runtime import Runtime
from bot.testing.poster import RecordingPoster
from storage.models import Need, Participant
from storage.store import Store
from tests.workshop_story import citizen, open_workshop, say, staff, staff_says, workshop


@pytest.fixture
def rt(store: Store) -> Iterator[Runtime]:
    runtime = open_workshop(store)
    yield runtime
    runtime.router.close()


def _participants_csv(rt: Runtime) -> list[dict[str, str]]:
    snap = rt.store.snapshot(workshop(rt).id)
    files = export_files(snap, "csv", rt.router.core.catalogs, name="out")
    table = next(data for path, data in files.items() if path.endswith("participants.csv"))
    return list(csv.DictReader(io.StringIO(table.decode("utf-8"))))


def _id_of(rt: Runtime, user: str) -> str:
    pseudonym = rt.router.pseudonym_for("test", user)
    with rt.store.session() as s:
        return str(s.exec(select(Participant.id).where(Participant.pseudonym == pseudonym)).one())


def test_only_citizens_who_answered_are_counted_and_staff_are_listed_apart(rt: Runtime) -> None:
    fay, mo = staff(rt)
    citizen(rt, "ana")  # every tier
    citizen(rt, "ben", upto=9)  # one need, then gone
    citizen(rt, "eve", upto=1)  # consented, answered nothing
    say(rt, fay, "!policy pre")
    citizen(rt, "cai", upto=9)  # one need, still waiting for review

    assert staff_says(rt, mo, "!digest draft") == ""
    poster = rt.digests.poster
    assert isinstance(poster, RecordingPoster)
    draft = poster.of("draft")[-1].text
    assert "Participants: 3 (macro 3 · meso 1 · micro 1)" in draft
    assert "Staff (not counted as participants): 2" in draft
    progress = say(rt, fay, "!progress")
    assert progress.startswith("3 participants. Reached macro 3, meso 1, micro 1.")
    assert "Staff (not counted as participants): 2" in progress

    rows = _participants_csv(rt)
    by_id = {r["participant"]: r for r in rows}
    ana, ben, cai, eve = (_id_of(rt, u) for u in ("ana", "ben", "cai", "eve"))
    assert (by_id[ana]["answered"], by_id[ana]["counted"]) == ("macro meso micro", "True")
    assert (by_id[ben]["answered"], by_id[ben]["counted"]) == ("macro", "True")
    assert (by_id[cai]["answered"], by_id[cai]["counted"]) == ("macro", "True")
    assert (by_id[eve]["consented"], by_id[eve]["answered"], by_id[eve]["counted"]) == (
        "True",
        "",
        "False",
    )
    # Staff are listed apart: after the citizens, with their role, never counted.
    assert [(r["role"], r["counted"]) for r in rows[-2:]] == [
        ("facilitator", "False"),
        ("moderator", "False"),
    ]
    assert {r["role"] for r in rows[:-2]} == {"citizen"}

    # Ben's only answer is hidden as spam: he no longer counts.
    ben_pseudonym = rt.router.pseudonym_for("test", "ben")
    with rt.store.session() as s:
        ben_id = s.exec(select(Participant.id).where(Participant.pseudonym == ben_pseudonym)).one()
        need = s.exec(select(Need.id).where(Need.participant_id == ben_id)).one()
    say(rt, mo, f"!hide need {need} spam")
    assert say(rt, fay, "!progress").startswith("2 participants. Reached macro 2, meso 1, micro 1.")
