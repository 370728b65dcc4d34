"""Mo clears a busy queue: ``!approve all`` counts first, ``!hide`` wants a reason, ``!unhide``.

Before, moderation was one item at a time, ``!hide need 3`` without a reason was
accepted and nothing brought a hidden item back. Every step here is audited.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import col, select

from bot.runtime import Runtime
from storage.audit import audit_rows
from storage.models import Need, Stakeholder, StakeholderLink
from storage.store import Store
from tests.workshop_story import citizen, open_workshop, say, staff, workshop


@pytest.fixture
def rt(store: Store) -> Iterator[Runtime]:
    runtime = open_workshop(store)
    yield runtime
    runtime.router.close()


def _statuses(
    rt: Runtime, table: type[Need] | type[Stakeholder] | type[StakeholderLink]
) -> list[str]:
    with rt.store.session() as s:
        return list(s.exec(select(table.status).order_by(col(table.id))).all())


def _code(reply: str) -> str:
    """The confirmation code at the end of ``… type: !approve all [KIND] confirm CODE``."""
    assert " confirm " in reply, reply
    return reply.rsplit(" confirm ", 1)[1].split()[0]


def test_approve_all_needs_shows_the_count_and_waits_for_the_code(rt: Runtime) -> None:
    fay, mo = staff(rt)
    say(rt, fay, "!policy pre")
    citizen(rt, "ana")
    citizen(rt, "ben")
    assert _statuses(rt, Need) == ["pending"] * 4

    ask = say(rt, mo, "!approve all need")
    assert ask.startswith("Waiting for review: 4 (need 4). To approve all of them, type: ")
    assert _statuses(rt, Need) == ["pending"] * 4  # counted, nothing approved yet

    # A wrong (or stale) code changes nothing and shows the count again.
    again = say(rt, mo, "!approve all need confirm 0000")
    assert again.startswith("The queue changed since the count was shown, so nothing was approved.")
    assert _statuses(rt, Need) == ["pending"] * 4

    # A new need arrives after the count: the old code no longer fits.
    code = _code(ask)
    citizen(rt, "cai", upto=9)
    stale = say(rt, mo, f"!approve all need confirm {code}")
    assert "Waiting for review: 5 (need 5)" in stale
    assert _statuses(rt, Need) == ["pending"] * 5

    done = say(rt, mo, f"!approve all need confirm {_code(stale)}")
    assert done == "Approved: 5 (need 5)."
    assert _statuses(rt, Need) == ["approved"] * 5
    assert set(_statuses(rt, Stakeholder)) == {"pending"}  # only the kind named

    # Everything else at once: stakeholders first, and the links go with them.
    ask = say(rt, mo, "!approve all")
    assert ask.startswith("Waiting for review: 8 (stakeholder 4, link 2, requirement 2).")
    assert say(rt, mo, f"!approve all confirm {_code(ask)}").startswith("Approved: ")
    assert set(_statuses(rt, Stakeholder)) == {"approved"}
    assert set(_statuses(rt, StakeholderLink)) == {"approved"}
    assert say(rt, mo, "!approve all") == "Nothing of that kind is waiting for review."
    assert say(rt, mo, "!queue") == "Nothing is waiting for review."

    with rt.store.session() as s:
        rows = audit_rows(s, workshop(rt).id)
    batches = [r["detail"] for r in rows if r["action"] == "moderation.approve_all"]
    assert (batches[0]["kinds"], batches[0]["count"]) == (["need"], 5)
    assert len(batches) == 2
    approvals = [r for r in rows if r["action"] == "moderation.approve"]
    assert len(approvals) == 5 + 4 + 2 + 2  # one row per item, too


def test_hide_needs_a_reason_and_unhide_brings_it_back(rt: Runtime) -> None:
    fay, mo = staff(rt)
    citizen(rt, "ana")
    with rt.store.session() as s:
        need_id = s.exec(select(Need.id).order_by(col(Need.id))).first()
    assert need_id is not None

    reply = say(rt, mo, f"!hide need {need_id}")
    assert reply == (
        "Say why it is hidden: the reason is kept in the audit log. Nothing was changed.\n"
        "Usage: !hide need|stakeholder|link|requirement ID REASON"
    )
    assert _statuses(rt, Need)[0] == "approved"

    assert "no longer appears" in say(rt, mo, f"!hide need {need_id} duplicate of another need")
    assert _statuses(rt, Need)[0] == "hidden"
    assert say(rt, mo, f"!unhide need {need_id}") == (
        f"need {need_id} is no longer hidden. It appears in digests and exports again."
    )
    assert _statuses(rt, Need)[0] == "approved"
    assert say(rt, mo, f"!unhide need {need_id}") == (
        f"need {need_id} is not hidden. Nothing was changed."
    )

    # Under pre-moderation an unhidden item goes back to the queue.
    say(rt, fay, "!policy pre")
    say(rt, mo, f"!hide need {need_id} off topic")
    assert "waits for review again" in say(rt, mo, f"!unhide need {need_id}")
    assert _statuses(rt, Need)[0] == "pending"

    with rt.store.session() as s:
        rows = audit_rows(s, workshop(rt).id)
    moves = [
        (r["action"], r["detail"]["from"], r["detail"]["to"], r["detail"]["reason"])
        for r in rows
        if r["action"].startswith("moderation.")
    ]
    assert moves == [
        ("moderation.hide", "approved", "hidden", "duplicate of another need"),
        ("moderation.unhide", "hidden", "approved", None),
        ("moderation.hide", "approved", "hidden", "off topic"),
        ("moderation.unhide", "hidden", "pending", None),
    ]
    refused = [r["detail"] for r in rows if r["action"] == "refused"]
    assert refused[0] == {"command": "hide", "argument": "reason", "value": ""}
