"""Issue 14, item 12: an interaction delivered twice is answered once, with no traceback."""

from __future__ import annotations

import logging

import pytest

from bot.testing.discord_harness import DiscordHarness

CALLBACK = "POST /interactions/{interaction_id}/{token}/callback"


async def test_a_redelivered_click_is_ignored_with_one_debug_line(
    discord: DiscordHarness, caplog: pytest.LogCaptureFixture
) -> None:
    h, fake = discord, discord.fake
    caplog.set_level(logging.DEBUG)
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    prompt = h.last_with_components(thread)
    record, handled = await h.click("alice", prompt, prompt.custom_ids()[0])
    assert handled.error is None and handled.step == "helix"
    replies = len(fake.sent_to(thread))

    await fake.dispatch("INTERACTION_CREATE", record.payload)  # Discord sends it again
    # Gateway events are handled in order: once the next message is answered, the
    # duplicate has been seen.
    assert (await h.say("alice", thread, "4")).step == "domains"

    callbacks = [r for r in fake.requests_to(CALLBACK) if r.params["interaction_id"] == record.id]
    assert [r.status for r in callbacks] == [200]  # answered once, never a 40060
    assert len(fake.sent_to(thread)) == replies + 1  # only the reply to "4"
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    dropped = [r for r in caplog.records if "delivered again" in r.getMessage()]
    assert len(dropped) == 1 and dropped[0].levelno == logging.DEBUG
