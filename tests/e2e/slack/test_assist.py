"""Issue 15 on Slack: a facilitator types Mrs L.'s answers in from their DM with the bot.

Mrs L. has no Slack account. At the library desk the facilitator runs
``!assist "Library desk, Mrs L." spoken`` in their direct message with the bot, gets
a reference code, presses the consent button and types her answers through all
three tiers; the conversation ends itself with the code again. A week later
``/cityneeds assist resume CODE`` opens her answers in the DM for ``my data`` and
``forget me``. A citizen cannot run ``!assist``; a consent nobody knows is refused.
"""

from __future__ import annotations

import re

from sqlmodel import select

from bot.digest.metrics import compute_metrics
from flows.kinds import Origin
from storage.models import Assistance, AssistSession, AuditLog, Need, Participant
from tests.citizen import LINES
from tests.e2e.slack.helpers import SlackWorld, all_text

FACILITATOR = "U5"
CHANNEL = "C0WORKSHOP"
LABEL = "Library desk, Mrs L."


def _text(messages: list) -> str:  # type: ignore[type-arg]
    return "\n".join(all_text(m) for m in messages)


def _code(text: str) -> str:
    found = re.search(r"Reference code: ([A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert found is not None, text
    return found.group(1)


def _rows(world: SlackWorld) -> tuple[list[Participant], list[Assistance], list[AssistSession]]:
    with world.store.session() as s:
        people = list(s.exec(select(Participant).where(Participant.platform == "assisted")))
        helped = list(s.exec(select(Assistance)))
        sessions = list(s.exec(select(AssistSession)))
    return people, helped, sessions


async def _facilitator(world: SlackWorld) -> None:
    answer = await world.command_and_wait("UADMIN", CHANNEL, f"role <@{FACILITATOR}> facilitator")
    assert answer[-1].endswith("is now facilitator."), answer


async def test_a_facilitator_types_a_residents_answers_in_and_reopens_them_by_code(
    slack: SlackWorld,
) -> None:
    world = slack
    await _facilitator(world)

    # A consent nobody knows: the valid ones are named and nothing is stored.
    refused = _text(await world.say_and_wait(FACILITATOR, f'!assist "{LABEL}" nodded'))
    assert "“nodded” is not valid here: valid values: spoken, paper. Nothing was changed." in (
        refused
    )
    assert 'Usage: !assist "LABEL" [spoken|paper], !assist resume CODE, !assist end' in refused
    assert _rows(world) == ([], [], [])

    opened = await world.say_and_wait(FACILITATOR, f'!assist "{LABEL}" spoken')
    shown = _text(opened)
    code = _code(shown)
    assert f"Assisted entry for “{LABEL}”." in shown
    assert "Consent: given by speaking." in shown and "Do you agree?" in shown

    # The consent question's button works for the facilitator: it answers as Mrs L.
    consent = next(m for m in opened if m.blocks and "Do you agree?" in all_text(m))
    await world.press(FACILITATOR, consent, "Yes")
    replies: list = []  # type: ignore[type-arg]
    for line in LINES[1:]:
        replies = await world.say_and_wait(FACILITATOR, line)
    last = _text(replies)
    assert "finished all three parts" in last
    assert f"Assisted entry ended. Reference code: {code}." in last  # the code, again

    [person], [helped], sessions = _rows(world)
    assert sessions == []  # finishing the workshop ended the assisting
    assert person.consent_at is not None and person.helix == "civil_society"
    assert (helped.label, helped.volunteer, helped.consent_mode) == (
        LABEL,
        f"slack:{FACILITATOR}",
        "spoken",
    )
    with world.store.session() as s:
        needs = s.exec(select(Need)).all()
        own = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(FACILITATOR))
        ).first()
    assert [n.participant_id for n in needs] == [person.id, person.id]
    assert own is None or own.consent_at is None  # not the facilitator's own answers
    ws = world.store.find_workshop("city")
    assert ws is not None
    metrics = compute_metrics(world.store.snapshot(ws.id))
    assert metrics.by_origin == {Origin.ASSISTED: 1}

    # A week later: the code from the paper form, through the slash command.
    dm = world.api.dm_channel(FACILITATOR)
    before = len(world.api.posted(dm))
    note = await world.command_and_wait(FACILITATOR, CHANNEL, f"assist resume {code.lower()}")
    assert note == ["I sent you a direct message. Please answer there."]
    resumed = _text(world.api.posted(dm)[before:])
    assert f"Answers of the resident with reference code {code} ({LABEL})." in resumed
    data = _text(await world.say_and_wait(FACILITATOR, "my data"))
    assert "The bus stop is too far from the clinic" in data
    assert f"Typed in for you by a volunteer ({LABEL}). Consent: given by speaking." in data
    await world.say_and_wait(FACILITATOR, "forget me")
    gone = _text(await world.say_and_wait(FACILITATOR, "yes"))
    assert "deleted your data" in gone and f"Reference code: {code}" in gone
    people, helped_after, sessions = _rows(world)
    assert [p.consent_at for p in people] == [None] and (helped_after, sessions) == ([], [])
    with world.store.session() as s:
        assert s.exec(select(Need)).all() == []  # her answers, the label naming her: gone

    # Assisting has ended: the facilitator's next line is their own again (the desk's).
    after = _text(await world.say_and_wait(FACILITATOR, "!assist end"))
    assert "You are not typing in for a resident right now." in after


async def test_a_citizen_cannot_assist_and_the_refusal_is_audited(slack: SlackWorld) -> None:
    world = slack
    refused = _text(await world.say_and_wait("U1", f'!assist "{LABEL}" spoken'))
    assert "Only a moderator / facilitator can use “!assist”" in refused
    assert _rows(world) == ([], [], [])
    with world.store.session() as s:
        [row] = s.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
    assert row.detail == {"command": "assist", "role": "citizen"}
    assert row.actor == world.pseudonym("U1")
