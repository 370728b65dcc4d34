"""Must-show 4: while the double answers 429 + ``Retry-After: 2``, nothing is lost or doubled.

Three citizens type in their DMs while ``chat.postMessage`` is rate limited for
a few seconds. Afterwards each DM shows exactly what the core said to that
citizen (compared with a reference participant on the router), in order, once;
the sender waited at least ``Retry-After`` before retrying a channel, and never
broke the double's per-channel pace.
"""

from __future__ import annotations

import asyncio
import itertools

from bot.adapters.slack.digest_blocks import SlackMessage
from bot.adapters.slack.outbox import Outbox
from bot.adapters.slack.sender import SlackSender, make_web_client
from bot.escape import slack_text
from bot.testing.harness import ChatHarness
from bot.testing.slack_api import ApiCall, SlackApiDouble
from bot.testing.slack_events import event_callback, message_event
from tests.citizen import LINES
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually

USERS = ["U1", "U2", "U3"]
TYPED = ["hello", *LINES[:6]]  # start, consent, helix, domains, importance, satisfaction, need
RETRY_AFTER = 2
WINDOW = 3.0


def _retries_waited(calls: list[ApiCall], channel: str) -> list[float]:
    """Seconds between each 429 in ``channel`` and the next attempt there."""
    mine = [c for c in calls if c.method == "chat.postMessage" and c.channel == channel]
    return [
        later.at - refused.at
        for refused, later in itertools.pairwise(mine)
        if refused.status == 429
    ]


async def test_messages_survive_a_429_window_in_order_and_once(slack: SlackWorld) -> None:
    world = slack
    api = world.api
    router = world.stack.runtime.router
    expected: dict[str, list[str]] = {}
    for user in USERS:
        ref = ChatHarness(router, user=f"ref-{user}", workshop="city")
        texts: list[str] = []
        for line in TYPED:
            texts += [slack_text(r.text) for r in await asyncio.to_thread(ref.say, line)]
        expected[user] = texts

    api.rate_limit("chat.postMessage", retry_after=RETRY_AFTER, seconds=WINDOW)

    async def citizen(user: str) -> None:
        for line in TYPED:  # sent one after another, as a person types
            envelope = event_callback(message_event(user, api.dm_channel(user), line))
            assert (await world.events.event(envelope)).status == 200

    await asyncio.gather(*(citizen(u) for u in USERS))
    total = len(USERS) * len(TYPED)
    await eventually(lambda: world.bot.stats["message.turn"] == total, timeout=30)
    await world.bot.wait_idle(30)

    refused = [c for c in api.calls_to("chat.postMessage") if c.status == 429]
    assert refused, "the window should have refused some posts"
    for user in USERS:
        channel = api.dm_channel(user)
        shown = [all_text(m) for m in api.posted(channel)]
        assert shown == expected[user], user  # every message, in order, none twice
        waits = _retries_waited(api.calls, channel)
        assert waits and min(waits) >= RETRY_AFTER - 0.05, waits
    assert api.limit_violations == 0
    assert world.stack.sender.stats.rate_limited == len(refused)
    assert world.bot.stats["message.duplicate"] == 0


async def test_server_errors_are_retried_with_backoff_and_nothing_is_doubled(
    slack: SlackWorld,
) -> None:
    world = slack
    api = world.api
    api.fail("chat.postMessage", status=500, calls=3)
    api.fail("users.info", status=503, calls=2)
    posts = await world.say_and_wait("U4", "hello")
    assert [all_text(m).splitlines()[0] for m in posts][-1] == (
        "Before we start: we store your answers under a pseudonym, not your name or account."
    )
    assert len(posts) == 3
    failed = [c for c in api.calls if c.status >= 500]
    assert len(failed) == 5
    assert world.stack.sender.stats.transient_retries == 5


async def test_the_sender_keeps_order_and_pace_per_channel_through_429s() -> None:
    """The sender alone against the double: 4 channels × 15 messages, a 429 window."""
    api = await SlackApiDouble(post_interval=0.05).start()
    sender = SlackSender(interval=0.05, base_backoff=0.05, max_backoff=0.5)
    outbox = Outbox(make_web_client(api.token, api.api_url), sender)
    try:
        api.rate_limit("chat.postMessage", retry_after=1, seconds=1.5, channel="C2")
        futures = [
            outbox.post(f"C{c}", SlackMessage(text=f"C{c} message {n}"))
            for n in range(15)
            for c in range(4)
        ]
        results = await asyncio.gather(*futures)
        await sender.drain(5)
        assert all(r["ok"] for r in results)
        for c in range(4):
            got = [m.text for m in api.posted(f"C{c}")]
            assert got == [f"C{c} message {n}" for n in range(15)]
            times = [m.at for m in api.posted(f"C{c}")]
            assert min(b - a for a, b in itertools.pairwise(times)) >= 0.05
        assert api.limit_violations == 0
        assert sender.stats.rate_limited >= 1
        assert sender.pending == 0
    finally:
        await sender.close()
        await api.close()
