"""Without the message content intent: what still works (slash, buttons, selects, mentions, DMs)."""

from __future__ import annotations

from bot.adapters.discord.poster import DiscordPoster
from bot.runtime import Runtime
from bot.testing import discord_payloads as p
from bot.testing.discord_api import FakeDiscord
from bot.testing.discord_harness import DiscordHarness
from tests.e2e.discord.helpers import FAST_CHANNELS


async def test_without_message_content_typed_thread_answers_need_a_mention(
    runtime: Runtime, poster: DiscordPoster
) -> None:
    fake = FakeDiscord(limits=FAST_CHANNELS)
    async with DiscordHarness.start(runtime, poster=poster, fake=fake, message_content=False) as h:
        assert fake.intents is not None and not fake.intents & p.INTENT_MESSAGE_CONTENT
        _, joined = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
        assert joined.step == "consent"
        thread = h.thread_of("alice")
        _, pressed = await h.click("alice", h.last_with_components(thread), "cn:b:consent:yes")
        assert pressed.step == "helix"

        # Discord strips the content of a plain guild message: the bot cannot read it.
        before = len(fake.sent_to(thread))
        blind = await h.say("alice", thread, "4")
        assert blind.kind == "ignored" and blind.sent == []
        assert len(fake.sent_to(thread)) == before
        # Mentioning the bot lets the content through.
        mention = await h.say("alice", thread, f"<@{fake.bot_user['id']}> 4")
        assert mention.step == "domains"
        _, chosen = await h.choose(
            "alice", h.last_with_components(thread), "cn:s:domains", ["mobility"]
        )
        assert chosen.step == "importance"
        _, scaled = await h.click("alice", h.last_with_components(thread), "cn:b:importance:#5")
        assert scaled.step == "satisfaction"

        # Direct messages always carry content.
        await h.slash("alice", thread, "cityneeds", "dm", {"state": "on"})
        dm = fake.dm_channel_of(h.user("alice"))
        assert dm is not None
        assert (await h.say("alice", dm, "2")).step == "need_text"


async def test_typing_join_in_the_workshop_channel_opens_a_thread_and_chatter_is_left_alone(
    discord: DiscordHarness,
) -> None:
    h, fake = discord, discord.fake
    chatter = await h.say("alice", h.world.workshop_channel, "hi all, see you at the meeting")
    greeting = await h.say("alice", h.world.workshop_channel, "hi")
    assert (
        chatter.kind == greeting.kind == "ignored"
        and fake.threads_of(h.world.workshop_channel) == []
    )
    joined = await h.say("alice", h.world.workshop_channel, "join")
    assert joined.step == "consent"
    thread = h.thread_of("alice")
    [note] = [m for m in fake.sent_to(h.world.workshop_channel) if not m.ephemeral]
    assert f"<#{thread}>" in note.content
    assert fake.sent_to(thread)[0].content.startswith("Welcome to the CityNeeds workshop")
    # Asking again reuses the same thread.
    again = await h.say("alice", h.world.workshop_channel, f"<@{fake.bot_user['id']}> join")
    assert again.step == "consent" and len(fake.threads_of(h.world.workshop_channel)) == 1
