"""Issue 11, item 5 on Slack: a citizen types ``back`` after saving and corrects the item.

Signed ``message.im`` events against the loopback Web API double; the stored
stakeholder is updated in place (one row, the corrected role).
"""

from __future__ import annotations

from sqlmodel import select

from bot.testing.slack_api import Message
from storage.models import Conversation, Participant
from tests.correction import CORRECTION_LINES, assert_corrected
from tests.e2e.slack.helpers import SlackWorld, all_text

USER = "U2"
CHANNEL = "C0WORKSHOP"


def _step(world: SlackWorld) -> str:
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(USER))
        ).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.step


async def test_a_slack_citizen_corrects_a_saved_stakeholder(slack: SlackWorld) -> None:
    texts = await slack.command_and_wait("UADMIN", CHANNEL, "setup city")
    assert any("now runs the workshop city" in t for t in texts), texts
    assert await slack.command_and_wait(USER, CHANNEL, "join") == [
        "I sent you a direct message. Please answer there."
    ]
    reopened: list[Message] = []
    for line, expected in CORRECTION_LINES:
        posted = await slack.say_and_wait(USER, line)
        assert _step(slack) == expected, (line, [all_text(m) for m in posted])
        if not reopened and line == "back":
            reopened = posted
    assert any("change what you just saved" in all_text(m) for m in reopened)
    assert_corrected(slack.store, slack.pseudonym(USER))
