"""Must-show 5: Discord answers 429 with retry_after; every message still arrives once, in order.

The bot sends through discord.py's HTTP client, which sleeps ``retry_after`` on a
429 and keeps Discord's per-route buckets from the ``X-RateLimit-*`` headers.
"""

from __future__ import annotations

import itertools
import time

from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.render import split_message
from bot.runtime import Runtime
from bot.testing.discord_api import BucketRule, FakeDiscord, RecordedRequest
from bot.testing.discord_harness import DiscordHarness
from bot.testing.discord_markdown import render
from tests.e2e.discord.helpers import assert_no_mentions, rejected

MESSAGES = "POST /channels/{channel_id}/messages"
FOLLOWUPS = "POST /webhooks/{application_id}/{token}"


def _to(channel: str, requests: list[RecordedRequest]) -> list[RecordedRequest]:
    return [r for r in requests if r.params.get("channel_id") == channel]


def _draft(paragraphs: int) -> str:
    # Each paragraph names its number, so order is visible in what arrives.
    return "\n\n".join(
        f"Paragraph {n:02d}: " + " ".join(["the river floods our street"] * 40)
        for n in range(paragraphs)
    )


def _assert_once_in_order(fake: FakeDiscord, channel: str, expected: list[str]) -> None:
    delivered = [m.content for m in fake.sent_to(channel)]
    assert delivered == expected
    # Each 429 was followed by the same request again, and nothing else was sent twice.
    requests = _to(channel, fake.requests_to(MESSAGES))
    ok = [r.json["content"] for r in requests if r.status == 200]
    assert ok == expected
    for refused, retry in itertools.pairwise(requests):
        if refused.status == 429:
            assert retry.json == refused.json


async def test_429s_delay_messages_but_each_arrives_once_and_in_order(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    fake.fail_next(MESSAGES, 3, retry_after=0.25)
    fake.fail_for(FOLLOWUPS, 1.5)
    record, joined = await h.slash("bob", h.world.workshop_channel, "cityneeds", "join")
    assert joined.step == "consent" and record.latency is not None and record.latency < 3.0
    assert record.followups and record.followups[0].ephemeral  # arrived after the window
    thread = h.thread_of("bob")
    for line, step in [("yes", "helix"), ("4", "domains"), ("mobility", "importance")]:
        assert (await h.say("bob", thread, line)).step == step
    in_thread = fake.sent_to(thread)
    assert len(in_thread) == 4
    assert render(in_thread[-1].content).startswith("[Macro (city domains) · Step 2 of 6]")

    # A long moderator draft: five parts, a 429 (global this time) in the middle.
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    draft = _draft(12)
    parts = split_message(draft)
    assert len(parts) >= 4
    fake.fail_next(MESSAGES, 1, retry_after=0.2, is_global=True)
    await poster.send_to_moderators(ws, draft)
    _assert_once_in_order(fake, h.world.moderators_channel, parts)

    statuses = [r.status for r in fake.requests_to(MESSAGES)]
    assert statuses.count(429) == 4
    followups = fake.requests_to(FOLLOWUPS)
    assert [r.status for r in followups][-1] == 200 and 429 in [r.status for r in followups]
    assert fake.violations == 0
    assert not rejected(fake)
    assert_no_mentions(fake)


async def test_the_bot_keeps_to_a_route_bucket_without_being_told_twice(
    runtime: Runtime, poster: DiscordPoster
) -> None:
    fake = FakeDiscord(limits={MESSAGES: BucketRule(2, 0.5)})
    async with DiscordHarness.start(runtime, poster=poster, fake=fake) as h:
        ws = runtime.store.find_workshop("city")
        assert ws is not None
        draft = _draft(9)
        parts = split_message(draft)
        assert len(parts) >= 6
        started = time.monotonic()
        await poster.send_to_moderators(ws, draft)
        elapsed = time.monotonic() - started
        _assert_once_in_order(fake, h.world.moderators_channel, parts)
        # discord.py read the X-RateLimit headers and waited for the bucket to reset
        # instead of running into 429s.
        assert fake.violations == 0 and fake.rate_limited == 0
        windows = (len(parts) - 1) // 2
        assert elapsed >= 0.5 * windows * 0.9, elapsed
