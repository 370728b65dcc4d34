"""On Slack: a facilitator closes macro under a citizen, then opens it; she hears once, in her DM.

Everything goes through signed Slack payloads (``/cityneeds`` commands and
``message.im`` events); the notice goes out through the Slack poster the
scheduler uses, keyed in the message metadata, exactly once.
"""

from __future__ import annotations

from sqlmodel import select

from bot.scheduler.keys import TIER_OPEN_EVENT
from storage.models import Conversation, Participant
from tests.citizen import LINES
from tests.e2e.slack.helpers import SlackWorld, all_text

CHANNEL = "C0WORKSHOP"
USER = "U2"


def _waiting(world: SlackWorld) -> tuple[str | None, str | None]:
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(USER))
        ).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.waiting_tier, person.address


async def test_a_slack_citizen_finishes_her_need_waits_and_is_told_once_when_macro_opens(
    slack: SlackWorld,
) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    dm = world.api.dm_channel(USER)
    assert await world.command_and_wait(USER, CHANNEL, "join") == [
        "I sent you a direct message. Please answer there."
    ]
    for line in LINES[:7]:  # up to the confirmation of her first need
        await world.say_and_wait(USER, line)

    texts = await world.command_and_wait("UADMIN", CHANNEL, "close Macro")
    assert "Open tiers in city: Meso (stakeholders), Micro (requirements)." in texts[-1]
    shown = "\n".join(all_text(m) for m in await world.say_and_wait(USER, "yes"))
    assert "closed the part “Macro (city domains)”" in shown
    assert "how important is it to you" not in shown  # no next question
    assert _waiting(world) == ("macro", dm)

    texts = await world.command_and_wait("UADMIN", CHANNEL, "open macro")
    assert "Waiting for it: 1." in texts[-1]
    notices = world.stack.runtime.scheduler.notices  # the Slack poster's
    assert await notices.send_due() == 1
    await world.command_and_wait("UADMIN", CHANNEL, "close macro")
    await world.command_and_wait("UADMIN", CHANNEL, "open macro")
    assert await notices.send_due() == 0
    [notice] = [
        m for m in world.api.posted(dm) if (m.metadata or {}).get("event_type") == TIER_OPEN_EVENT
    ]
    assert notice.text.startswith("News from “Test city”: the part “Macro (city domains)” is open")

    shown = "\n".join(all_text(m) for m in await world.say_and_wait(USER, "hi"))
    assert "Welcome back" in shown and "Health and care (2 of 2): how important" in shown
    assert _waiting(world)[0] is None
