"""Issue 15 on Discord: a facilitator types Mrs L.'s answers in from their DM with the bot.

The facilitator runs ``/cityneeds-admin assist`` in the workshop channel; the code and
the resident's consent question arrive in their direct messages (never the channel),
the consent button answers as Mrs L., and the typed lines walk all three tiers, across
a restart of the bot. Later ``/cityneeds-admin assist-resume`` opens her answers for
``my data`` and ``forget me``. A citizen's ``!assist`` is refused and audited.
"""

from __future__ import annotations

import re

from sqlmodel import select

from bot.digest.metrics import compute_metrics
from bot.testing.discord_harness import DiscordHarness
from flows.kinds import Origin
from storage.models import Assistance, AssistSession, AuditLog, Need, Participant
from storage.store import Store
from tests.citizen import CITIZEN_LINES

LABEL = "Library desk, Mrs L."


def _plain(text: str) -> str:
    """What the user reads (Discord shows ``\\-`` as ``-``, ``\\.`` as ``.``)."""
    return text.replace("\\", "")


def _code(text: str) -> str:
    found = re.search(r"Reference code: ([A-Z0-9]{4}-[A-Z0-9]{4})", text)
    assert found is not None, text
    return found.group(1)


def _rows(store: Store) -> tuple[list[Participant], list[Assistance], list[AssistSession]]:
    with store.session() as s:
        people = list(s.exec(select(Participant).where(Participant.platform == "assisted")))
        return people, list(s.exec(select(Assistance))), list(s.exec(select(AssistSession)))


async def test_a_facilitator_types_a_residents_answers_in_from_their_dm(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    channel = h.world.workshop_channel

    # A consent nobody knows: the valid ones are named, privately; nothing is stored.
    record, _ = await h.slash(
        "fac", channel, "cityneeds-admin", "assist", {"label": LABEL, "consent": "nodded"}
    )
    said = _plain("\n".join(m.content for m in record.followups))
    assert all(m.ephemeral for m in record.followups)
    assert "“nodded” is not valid here: valid values: spoken, paper. Nothing was changed." in said
    assert _rows(store) == ([], [], [])

    record, handled = await h.slash(
        "fac", channel, "cityneeds-admin", "assist", {"label": LABEL, "consent": "spoken"}
    )
    assert handled.error is None and handled.step == "consent"
    assert _plain(record.followups[-1].content) == (
        "I sent the resident's questions to your direct messages with me. Type their answers there."
    )
    dm = fake.dm_channel_of(h.user("fac"))
    assert dm is not None
    opened = _plain("\n".join(m.content for m in fake.sent_to(dm)))
    code = _code(opened)
    assert f"Assisted entry for “{LABEL}”." in opened and "Do you agree?" in opened
    assert not any(code in m.content for m in fake.sent_to(channel))  # never in the channel

    # The consent button answers as Mrs L.; then her typed answers, across a restart.
    _, pressed = await h.click("fac", h.last_with_components(dm), "cn:b:consent:yes")
    assert pressed.step == "helix"
    for number, (line, step) in enumerate(CITIZEN_LINES[1:], start=1):
        if number == 20:
            await h.restart()  # the assisting is stored: it survives
        handled = await h.say("fac", dm, line)
        assert handled.error is None, line
        if step is not None:
            assert handled.step == step, (line, handled.step)
    last = _plain("\n".join(m.content for m in h.messages_of(handled)))
    assert "finished all three parts" in last
    assert f"Assisted entry ended. Reference code: {code}." in last

    [person], [helped], sessions = _rows(store)
    assert sessions == [] and person.consent_at is not None
    assert (helped.label, helped.volunteer, helped.consent_mode) == (
        LABEL,
        f"discord:{h.user('fac')}",
        "spoken",
    )
    with store.session() as s:
        needs = s.exec(select(Need)).all()
    assert {n.participant_id for n in needs} == {person.id} and len(needs) == 2
    ws = store.find_workshop("city")
    assert ws is not None
    assert compute_metrics(store.snapshot(ws.id)).by_origin == {Origin.ASSISTED: 1}

    # Later: her code from the paper form opens her answers in the DM again.
    before = len(fake.sent_to(dm))
    await h.slash("fac", channel, "cityneeds-admin", "assist-resume", {"code": code})
    resumed = _plain("\n".join(m.content for m in h.sent_since(dm, before)))
    assert f"Answers of the resident with reference code {code} ({LABEL})." in resumed
    data = _plain("\n".join(m.content for m in h.messages_of(await h.say("fac", dm, "my data"))))
    assert "The bus stop is too far from the clinic" in data
    assert f"Typed in for you by a volunteer ({LABEL}). Consent: given by speaking." in data
    await h.say("fac", dm, "forget me")
    gone = _plain("\n".join(m.content for m in h.messages_of(await h.say("fac", dm, "yes"))))
    assert "deleted your data" in gone and f"Reference code: {code}" in gone
    people, helped_after, sessions = _rows(store)
    assert [p.consent_at for p in people] == [None] and (helped_after, sessions) == ([], [])
    with store.session() as s:
        assert s.exec(select(Need)).all() == []

    # Assisting ended with her data: the end command says there is nobody to end.
    record, _ = await h.slash("fac", channel, "cityneeds-admin", "assist-end")
    assert "You are not typing in for a resident right now." in _plain(record.followups[-1].content)


async def test_a_citizens_assist_is_refused_and_audited(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    handled = await h.say("bob", h.world.workshop_channel, f'!assist "{LABEL}" spoken')
    [answer] = h.messages_of(handled)
    assert "Only a moderator / facilitator can use “!assist”" in _plain(answer.content)
    assert _rows(store) == ([], [], [])
    with store.session() as s:
        [row] = s.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
    assert row.detail == {"command": "assist", "role": "citizen"}
