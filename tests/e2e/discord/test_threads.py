"""Issue 14, item 13: an archived thread missing from the cache is reopened, not replaced."""

from __future__ import annotations

import asyncio

import pytest

from bot.testing.discord_harness import DiscordHarness
from tests.e2e.discord.helpers import rejected

THREADS = "POST /channels/{channel_id}/threads"


@pytest.mark.parametrize("restarted", [False, True])
async def test_joining_again_reopens_the_archived_thread(
    discord: DiscordHarness, restarted: bool
) -> None:
    h, fake = discord, discord.fake
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    assert (await h.say("alice", thread, "yes")).step == "helix"

    await fake.archive_thread(thread)
    guild = h.adapter.client.get_guild(int(h.world.guild_id))
    assert guild is not None
    for _ in range(500):  # discord.py drops it from its cache when the THREAD_UPDATE arrives
        if guild.get_thread(int(thread)) is None:
            break
        await asyncio.sleep(0.01)
    assert guild.get_thread(int(thread)) is None
    if restarted:
        h.adapter.places.forget_threads()  # as after a restart: only Discord knows the thread

    record, handled = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    assert handled.error is None
    assert len(fake.requests_to(THREADS)) == 1  # no second thread
    assert h.thread_of("alice") == thread
    assert fake.channels[thread]["thread_metadata"]["archived"] is False
    assert f"<#{thread}>" in record.followups[-1].content
    assert any(m.channel_id == thread for m in h.messages_of(handled))  # greeted there
    assert (await h.say("alice", thread, "4")).step == "domains"
    assert not rejected(fake) and not fake.unhandled
