"""Issue 11, item 5: a citizen types ``back`` right after saving and corrects the saved item.

Dana saves "City council" as a *funder*, realises it regulates, types ``back`` at
"Add another stakeholder?" and walks back to the role. The saved row is updated
(same id, one row); on a pre-moderated workshop the moderator's earlier approval
no longer stands and the row is pending again, and the edit is in the audit log.
On a post-moderated workshop an edited need keeps its status and is audited.
A wrong group is fixed the same way, from the first macro question. The same
correction typed on the console updates the row in place (Slack and Discord:
``tests/e2e/*/test_citizen_corrects.py``).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from sqlmodel import select

from bot.adapters.console import run_console
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.kinds import Status
from storage import workshops
from storage.audit import audit_rows
from storage.models import Need, Participant, Requirement, Stakeholder
from storage.moderation import set_status
from storage.store import Store
from tests.citizen import LINES
from tests.correction import CORRECTION_LINES, assert_corrected

#: Consent, group, two domains with their needs, the first scenario.
TO_MESO = [
    "yes",
    "4",
    "mobility, health",
    "5",
    "2",
    "The bus stop is too far from the clinic",
    "skip",
    "yes",
    "4",
    "1",
    "I cannot book a doctor without a smartphone",
    "skip",
    "yes",
    "1",
]
#: City council: government, funder, power 5, interest 3, both salience marks, nobody.
COUNCIL = ["City council", "1", "funder", "5", "3", "1, 2", "none"]


def _workshop_id(store: Store) -> int:
    ws = store.find_workshop("city")
    assert ws is not None
    return ws.id


def _pre_moderated(store: Store) -> None:
    with store.session() as s:
        workshops.update_settings(s, _workshop_id(store), moderation="pre")
        s.commit()


def _stakeholders(store: Store) -> list[Stakeholder]:
    with store.session() as s:
        return list(s.exec(select(Stakeholder).order_by(Stakeholder.id)).all())


def _edits(store: Store) -> list[dict[str, object]]:
    with store.session() as s:
        rows = audit_rows(s, _workshop_id(store))
    return [r for r in rows if r["action"] == "contribution.edit"]


def _approve(store: Store, kind: str, item_id: int) -> None:
    with store.session() as s:
        set_status(
            s,
            _workshop_id(store),
            kind,
            item_id,
            status=Status.APPROVED,
            moderator_id=None,
            actor="test-moderator",
            reason=None,
            now=datetime(2026, 12, 1, 9, tzinfo=UTC),
        )
        s.commit()


def test_dana_fixes_a_wrong_role_and_the_moderator_sees_the_edit(app: Runtime) -> None:
    _pre_moderated(app.store)
    dana = ChatHarness(app.router, user="dana", workshop="city")
    dana.start()
    for line in TO_MESO + COUNCIL:
        dana.say(line)
    dana.say("yes")
    assert dana.step == "sh_more"
    [saved] = _stakeholders(app.store)
    assert (saved.role, saved.status) == ("funder", "pending")
    _approve(app.store, "stakeholder", saved.id or 0)

    dana.say("back")
    assert dana.step == "sh_confirm"
    assert "change what you just saved" in dana.text and "Role: Funder" in dana.text
    for expected in ("sh_vulnerable", "sh_salience", "sh_interest", "sh_power", "sh_role"):
        dana.say("back")
        assert dana.step == expected
    dana.say("regulator")
    for line in ("5", "3", "1, 2", "none"):
        dana.say(line)
    assert dana.step == "sh_confirm" and "Role: Regulator" in dana.text
    dana.say("yes")
    assert "Your change is saved" in dana.text and dana.step == "sh_more"

    [edited] = _stakeholders(app.store)
    assert edited.id == saved.id and edited.seq == saved.seq
    assert (edited.name, edited.role, edited.power) == ("City council", "regulator", 5)
    assert edited.status == "pending"  # the approval was for the old text
    edits = _edits(app.store)
    assert [r["detail"] for r in edits] == [
        {"kind": "stakeholder", "id": saved.id, "from": "approved", "to": "pending"}
    ]

    # She goes on as before: a second stakeholder is a new row, the first is not repeated.
    dana.say("yes")
    for line in ("Senior citizens' club", "4", "beneficiary", "2", "5", "none", "none", "yes"):
        dana.say(line)
    holders = _stakeholders(app.store)
    assert [(h.name, h.role) for h in holders] == [
        ("City council", "regulator"),
        ("Senior citizens' club", "beneficiary"),
    ]


def test_an_edited_need_keeps_its_status_under_post_moderation_and_is_audited(
    app: Runtime,
) -> None:
    eli = ChatHarness(app.router, user="eli", workshop="city")
    eli.start()
    for line in TO_MESO[:-1]:
        eli.say(line)
    assert eli.step == "scenario"
    eli.say("back")  # re-opens the health need, the last one saved
    assert eli.step == "need_confirm" and "I cannot book a doctor without a smartphone" in eli.text
    eli.say("back")
    eli.say("back")
    assert eli.step == "need_text"
    eli.say("No doctor nearby, and booking needs a smartphone")
    eli.say("skip")
    eli.say("yes")
    assert eli.step == "scenario"
    with app.store.session() as s:
        needs = s.exec(select(Need).order_by(Need.seq)).all()
        assert [(n.domain_code, n.text, n.status) for n in needs] == [
            ("mobility", "The bus stop is too far from the clinic", "approved"),
            ("health", "No doctor nearby, and booking needs a smartphone", "approved"),
        ]
    edits = _edits(app.store)
    assert [r["detail"]["to"] for r in edits] == ["approved"]  # type: ignore[index]


def test_a_wrong_group_is_fixed_with_back_at_the_first_macro_question(app: Runtime) -> None:
    fay = ChatHarness(app.router, user="fay", workshop="city")
    fay.start()
    fay.say("yes")
    fay.say("2")  # industry, by mistake
    assert fay.step == "domains"
    fay.say("back")
    assert fay.step == "helix"
    fay.say("1")
    assert fay.step == "domains"
    with app.store.session() as s:
        person = s.exec(
            select(Participant).where(
                Participant.pseudonym == app.router.pseudonym_for("test", "fay")
            )
        ).one()
        assert person.helix == "government"
    # Back walks no further than the group: consent is withdrawn with "forget me", not edited.
    fay.say("back")
    assert fay.step == "helix"
    fay.say("back")
    assert fay.step == "helix" and "first question of the item" in fay.text


def test_on_the_console_the_same_correction_updates_the_row(app: Runtime) -> None:
    out = io.StringIO()
    lines = "".join(f"{line}\n" for line, _ in CORRECTION_LINES)
    code = run_console(
        app.router, user="omar", workshop="city", stdin=io.StringIO(lines), stdout=out
    )
    assert code == 0
    assert out.getvalue().count("You can now change what you just saved.") == 1
    assert out.getvalue().count("Your change is saved.") == 1
    assert_corrected(app.store, app.router.pseudonym_for("console", "omar"))


def test_after_finishing_back_still_reopens_the_last_requirement(app: Runtime) -> None:
    gil = ChatHarness(app.router, user="gil", workshop="city")
    gil.start()
    for line in LINES:
        gil.say(line)
    assert "finished all three parts" in gil.text
    gil.say("back")
    assert gil.step == "req_confirm" and "change what you just saved" in gil.text
    gil.say("back")
    assert gil.step == "acceptance"
    gil.say("Given I phone the clinic, when I ask, then I get a video link by text message")
    gil.say("yes")
    assert "Your change is saved" in gil.text and gil.step == "req_more"
    gil.say("no")
    assert "finished all three parts" in gil.text
    with app.store.session() as s:
        [req] = s.exec(select(Requirement)).all()
        assert req.acceptance is not None and req.acceptance.endswith("by text message")
        assert req.module == "Telehealth booking"
