"""Mo reviews the digest while citizens keep answering: a draft is never stale.

Before, a second ``!digest draft`` printed nothing, ``!digest approve`` posted the
first draft, and the next digest said "New since the last digest: 0". Now every
``!digest draft`` shows what would be posted now (and says when it was drafted
again), what is approved is exactly what is posted, and "new since" counts what
was approved after the previous posted digest, even if it was saved before it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import col, select

from bot.runtime import Runtime
from bot.testing.clock import FakeClock
from bot.testing.poster import RecordingPoster
from storage.audit import audit_rows
from storage.models import Digest, Need
from storage.store import Store
from tests.workshop_story import START, citizen, open_workshop, say, staff, staff_says, workshop


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(START)


@pytest.fixture
def rt(store: Store, clock: FakeClock) -> Iterator[Runtime]:
    runtime = open_workshop(store, clock)
    yield runtime
    runtime.router.close()


def _approve_waiting(rt: Runtime, mo: str) -> str:
    ask = say(rt, mo, "!approve all")
    if " confirm " not in ask:
        return ask
    return say(rt, mo, f"!approve all confirm {ask.rsplit(' confirm ', 1)[1].split()[0]}")


def _draft_sent(rt: Runtime) -> str:
    poster = rt.digests.poster
    assert isinstance(poster, RecordingPoster)
    return poster.of("draft")[-1].text


def _draft(rt: Runtime, mo: str) -> str:
    """``!digest draft``: no reply of its own, the draft goes to the moderators."""
    assert staff_says(rt, mo, "!digest draft") == ""
    return _draft_sent(rt)


def _posted(rt: Runtime) -> list[str]:
    poster = rt.digests.poster
    assert isinstance(poster, RecordingPoster)
    return [s.text for s in poster.of("digest")]


def test_every_draft_is_current_and_the_approved_draft_is_what_is_posted(
    rt: Runtime, clock: FakeClock
) -> None:
    fay, mo = staff(rt)
    say(rt, fay, "!policy pre")
    citizen(rt, "ana")
    _approve_waiting(rt, mo)

    first = _draft(rt, mo)
    assert first.startswith("Draft digest for 2026-11-02-manual. Type !digest approve")
    assert "Participants: 1 (macro 1 · meso 1 · micro 1)" in first
    # Nothing changed: the same draft, shown again (before, this printed nothing).
    assert _draft(rt, mo) == first

    clock.advance(timedelta(minutes=5))
    citizen(rt, "ben")
    _approve_waiting(rt, mo)
    second = _draft(rt, mo)
    assert second.startswith(
        "The data changed since the last draft, so the digest for 2026-11-02-manual "
        "was drafted again:\nDraft digest for 2026-11-02-manual."
    )
    assert "Participants: 2 (macro 2 · meso 2 · micro 2)" in second

    # More approvals after the draft was shown: approve shows the new draft, posts nothing.
    clock.advance(timedelta(minutes=5))
    citizen(rt, "cai")
    _approve_waiting(rt, mo)
    assert staff_says(rt, mo, "!digest approve") == (
        "The data changed since this draft was shown, so nothing was posted. "
        "This is the digest for 2026-11-02-manual as it would be posted now:"
    )
    held = _draft_sent(rt)
    assert "Participants: 3 (macro 3 · meso 3 · micro 3)" in held
    assert _posted(rt) == []

    # Approved as shown: exactly that text is posted.
    assert staff_says(rt, mo, "!digest approve") == ("The digest for 2026-11-02-manual is posted.")
    [posted] = _posted(rt)
    assert posted in held
    assert "Participants: 3 (macro 3 · meso 3 · micro 3)" in posted
    ws_id = workshop(rt).id
    with rt.store.session() as s:
        rows = s.exec(select(Digest.period, Digest.status).order_by(col(Digest.id))).all()
        actions = [r["action"] for r in audit_rows(s, ws_id)]
    assert rows == [("2026-11-02-manual", "posted")]
    assert actions.count("digest.redraft") == 2
    assert actions.count("digest.approve") == 1

    # A need saved before that digest but approved after it is new in the next one.
    clock.advance(timedelta(hours=1))
    citizen(rt, "dan", upto=9)  # one need, left waiting
    clock.advance(timedelta(hours=1))
    say(rt, mo, "!digest draft")  # the posted period is used up: a new one is drafted
    with rt.store.session() as s:
        pending = s.exec(select(Need.id).where(Need.status == "pending")).all()
    assert len(pending) == 1
    clock.advance(timedelta(hours=1))
    say(rt, mo, f"!approve need {pending[0]}")
    nxt = _draft(rt, mo)
    assert "Draft digest for 2026-11-02-manual-2." in nxt
    assert (
        "New since the last digest (Nov 2, 2026, 9:10\u202fAM): 1 need, 0 stakeholders, "
        "0 relations, 0 requirements."
    ) in nxt
