"""Issue 14, item 1 (Discord): the windows after the deferral, in one process with a restart.

The process "dies" (:class:`~bot.testing.crash.ProcessKilled`, which no
``except Exception`` sees) at the two places after a turn is stored: before its
reply is sent, and after the reply but before the kept row is closed. The next
bot finishes the kept interaction: the person sees the current question exactly
once, and the answer is stored once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import select

from bot.adapters.discord.kept import Keeping
from bot.testing.crash import ProcessKilled
from bot.testing.discord_harness import DiscordHarness
from storage.clock import utcnow
from storage.inbox import complete, receive
from storage.models import Conversation, Participant, ProcessedDelivery
from storage.store import Store
from tests.e2e.discord.helpers import rejected


def _step(store: Store, who: str) -> str:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == who)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.step


async def _at_helix(h: DiscordHarness) -> str:
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    assert (await h.say("alice", thread, "yes")).step == "helix"
    return thread


@pytest.mark.parametrize("dies", ["before-the-reply", "before-the-row-is-closed"])
async def test_a_click_whose_turn_was_stored_is_answered_once_after_a_restart(
    discord: DiscordHarness, store: Store, monkeypatch: pytest.MonkeyPatch, dies: str
) -> None:
    h, fake = discord, discord.fake
    thread = await _at_helix(h)
    who = h.adapter.pseudonym(int(h.user("alice")))
    prompt = h.last_with_components(thread)
    public = lambda: [m for m in fake.sent_to(thread) if not m.ephemeral]  # noqa: E731
    before = len(public())

    if dies == "before-the-reply":

        async def deliver(*args: Any) -> None:
            raise ProcessKilled("after the turn was stored")

        monkeypatch.setattr(h.adapter, "deliver", deliver)
    else:

        async def close(key: str, keeping: Keeping) -> None:
            raise ProcessKilled("after the reply")

        monkeypatch.setattr(h.adapter.kept, "close", close)
    click, _ = await h.click("alice", prompt, prompt.custom_ids()[3])
    assert click.response_type == 6  # deferred: Discord will not send it again
    assert _step(store, who) == "domains"  # the turn is stored
    assert len(public()) == before + (0 if dies == "before-the-reply" else 1)
    assert store.inbox.counts("discord").get("inbox.received") == 1

    await h.restart()
    again = await h.adapter.wait_handled(click.id)
    assert again.replayed and again.error is None
    assert h.adapter.kept.replayed == 1
    # She sees the next question exactly once, whichever process sent it.
    replies = public()[before:]
    assert len(replies) == 1
    assert "Which areas of city life matter most" in replies[0].content
    assert "cn:s:domains" in replies[0].custom_ids()
    assert _step(store, who) == "domains"
    assert store.inbox.counts("discord").get("inbox.received", 0) == 0
    with store.session() as s:
        rows = s.exec(select(ProcessedDelivery).where(ProcessedDelivery.delivery_id == click.id))
        assert len(rows.all()) == 1
    # No second acknowledgement: the replayed interaction was not deferred again.
    assert [i.response_type for i in fake.interactions.values() if i.id == click.id] == [6]
    # And she goes on.
    assert (await h.say("alice", thread, "mobility")).step == "importance"
    assert not rejected(fake)


async def test_a_typed_answer_kept_by_a_dead_process_is_handled_once_after_the_restart(
    discord: DiscordHarness, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    h, fake = discord, discord.fake
    thread = await _at_helix(h)
    who = h.adapter.pseudonym(int(h.user("alice")))
    before = len(fake.sent_to(thread))

    real_turn = h.adapter.turn

    async def turn(*args: Any, **kwargs: Any) -> Any:
        raise ProcessKilled("kept, not yet handled")

    monkeypatch.setattr(h.adapter, "turn", turn)
    said = await fake.user_message(h.user("alice"), thread, "4")
    await h.adapter.wait_handled(str(said["id"]))
    assert _step(store, who) == "helix" and len(fake.sent_to(thread)) == before
    monkeypatch.setattr(h.adapter, "turn", real_turn)
    # A row finished three days ago (its raw payload holds what someone typed).
    long_ago = utcnow() - timedelta(days=3)
    with store.session() as s:
        old = receive(s, "discord", "1", '{"t": "MESSAGE_CREATE", "d": {}}', long_ago)
        complete(s, old.item.id, [], long_ago)
    assert store.inbox.counts("discord") == {"inbox.done": 3, "inbox.received": 1}

    await h.restart()
    again = await h.adapter.wait_handled(str(said["id"]))
    assert again.replayed and again.step == "domains"
    assert len(fake.sent_to(thread)) == before + 1
    assert _step(store, who) == "domains"
    assert store.inbox.counts("discord").get("inbox.received", 0) == 0
    # Finished rows older than two days are gone; recent ones stay until they are old.
    assert store.inbox.counts("discord") == {"inbox.done": 3}  # join, "yes", "4"
