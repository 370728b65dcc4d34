"""Must-show 4: the gateway drops mid-conversation; the bot resumes and the conversation goes on."""

from __future__ import annotations

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route
from sqlmodel import select

from bot.adapters.discord.poster import DiscordPoster
from bot.runtime import Runtime
from bot.testing.discord_api import FakeDiscord
from bot.testing.discord_harness import DiscordHarness
from storage.models import Conversation, Participant
from storage.store import Store
from tests.e2e.discord.helpers import assert_no_mentions, rejected


def _step(store: Store, pseudonym: str) -> str:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.step


async def _to_satisfaction(h: DiscordHarness) -> str:
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line, step in [("yes", "helix"), ("4", "domains"), ("mobility", "importance")]:
        assert (await h.say("alice", thread, line)).step == step
    assert (await h.say("alice", thread, "5")).step == "satisfaction"
    return thread


@pytest.mark.parametrize(
    "mode", ["close", "abort", "reconnect"], ids=["close-4000", "abort-1006", "op7-reconnect"]
)
async def test_the_bot_resumes_and_gets_what_was_said_while_it_was_away(
    discord: DiscordHarness, store: Store, mode: str
) -> None:
    h, fake = discord, discord.fake
    thread = await _to_satisfaction(h)
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    session, identifies, resumes = fake.session_id, fake.identifies, fake.resumes

    await fake.drop(mode)
    assert not fake.connected
    # Said while the bot is disconnected: Discord keeps it for the session.
    first = await fake.user_message(h.user("alice"), thread, "2")
    second = await fake.user_message(h.user("alice"), thread, "The bus stop is too far away")
    assert (await h.adapter.wait_handled(str(first["id"]))).step == "need_text"
    assert (await h.adapter.wait_handled(str(second["id"]))).step == "hmw"
    assert (fake.session_id, fake.identifies, fake.resumes) == (session, identifies, resumes + 1)
    assert fake.connected and _step(store, pseudonym) == "hmw"

    # And it carries on live.
    assert (await h.say("alice", thread, "skip")).step == "need_confirm"
    assert _step(store, pseudonym) == "need_confirm"
    assert not rejected(fake)
    assert_no_mentions(fake)


async def test_after_an_invalid_session_the_bot_identifies_again_at_the_same_step(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    thread = await _to_satisfaction(h)
    identifies = fake.identifies
    await fake.drop("invalidate")
    await fake.wait_for(lambda: fake.identifies == identifies + 1 and fake.connected)
    assert (await h.say("alice", thread, "2")).step == "need_text"
    # Buttons sent before the new session still work: they are persistent.
    prompt = h.last_with_components(thread)
    assert prompt.custom_ids()[0].startswith("cn:b:satisfaction:")
    _, stale = await h.click("alice", prompt, prompt.custom_ids()[0])
    assert stale.step == "need_text"  # the engine catches the stale button and re-asks
    [message] = h.messages_of(stale)
    assert message.content.startswith("That button belongs to an earlier question.")


async def test_a_message_redelivered_after_resume_is_answered_once(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    said = await fake.user_message(h.user("alice"), thread, "yes")
    assert (await h.adapter.wait_handled(str(said["id"]))).step == "helix"
    replies = len(fake.sent_to(thread))

    fake.redeliver_on_resume = 3  # Discord may send the last events again after a resume
    await fake.drop("close")
    new = await fake.user_message(h.user("alice"), thread, "4")
    assert (await h.adapter.wait_handled(str(new["id"]))).step == "domains"
    again = await h.adapter.wait_handled(str(said["id"]), times=2)
    assert again.duplicate and again.sent == []
    assert len(fake.sent_to(thread)) == replies + 1
    assert _step(store, h.adapter.pseudonym(int(h.user("alice")))) == "domains"


async def test_heartbeats_are_acknowledged_and_the_connection_stays_up(
    runtime: Runtime, poster: DiscordPoster
) -> None:
    fake = FakeDiscord(heartbeat_interval_ms=40)
    async with DiscordHarness.start(runtime, poster=poster, fake=fake):
        await fake.wait_for(lambda: fake.heartbeats >= 5, timeout=10, what="five heartbeats")
        assert (fake.connections, fake.identifies, fake.resumes) == (1, 1, 0)
        assert fake.api_url == Route.BASE
    # The overrides are undone when the bot stops.
    assert Route.BASE == "https://discord.com/api/v10"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"
