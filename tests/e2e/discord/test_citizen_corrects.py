"""Issue 11, item 5 on Discord: a citizen types ``back`` after saving and corrects the item.

The unmodified discord.py client against the loopback Discord; the citizen joins
with the slash command, answers in her thread, and the stored stakeholder is
updated in place (one row, the corrected role).
"""

from __future__ import annotations

from sqlmodel import select

from bot.testing.discord_harness import DiscordHarness
from storage.models import Conversation, Participant
from storage.store import Store
from tests.correction import CORRECTION_LINES, assert_corrected


def _step(store: Store, pseudonym: str) -> str:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.step


async def test_a_discord_citizen_corrects_a_saved_stakeholder(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    alice = h.user("alice")
    _, handled = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    assert handled.error is None and handled.step == "consent"
    thread = h.thread_of("alice")
    pseudonym = h.adapter.pseudonym(int(alice))
    reopened = ""
    for line, expected in CORRECTION_LINES:
        before = len(h.fake.sent_to(thread))
        handled = await h.say("alice", thread, line)
        assert handled.error is None, (line, handled)
        assert _step(store, pseudonym) == expected, line
        if not reopened and line == "back":
            reopened = "\n".join(m.content for m in h.sent_since(thread, before))
    assert "change what you just saved" in reopened
    assert_corrected(store, pseudonym)
