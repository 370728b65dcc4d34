"""Issue 14.3: an ``auth.test`` hiccup drops nothing, and a burst asks ``auth.test`` once.

slack-bolt asked ``auth.test`` before every request until one answer was
cached, and answered a 500 or 429 there with ":warning: …your installation…
is no longer available": Slack saw a 200 and the event was never handled.
Now the answer is cached per team, fetched once for a burst, retried through
the sender's rate-limit and backoff rules, and a request waits in the inbox.
"""

from __future__ import annotations

import asyncio

from bot.testing.slack_events import event_callback, message_event
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually

BURST = 38


def _said(world: SlackWorld) -> str:
    texts = [all_text(m) for m in world.api.posted()]
    texts += [r.get("text", "") for rs in world.api.responses.values() for r in rs]
    return "\n".join(texts)


async def test_a_burst_after_start_waits_for_one_auth_test_through_a_500_and_a_429(
    slack: SlackWorld,
) -> None:
    world = slack
    users = [f"UB{n:02d}" for n in range(BURST)]
    for user in users:
        world.api.add_user(user)
    world.api.fail("auth.test", status=500, calls=1)
    world.api.rate_limit("auth.test", retry_after=0.1, calls=1)
    delivered = await asyncio.gather(
        *(
            world.events.event(event_callback(message_event(u, world.api.dm_channel(u), "hi")))
            for u in users
        )
    )
    assert [d.status for d in delivered] == [200] * BURST
    await eventually(lambda: world.bot.stats["message.turn"] == BURST, timeout=30)
    await world.bot.wait_idle(15)
    # One refresh for the whole burst: the 500, the 429, then the answer.
    calls = world.api.calls_to("auth.test")
    assert [c.status for c in calls] == [500, 429, 200]
    assert world.bot.auth.calls == 1
    for user in users:
        posted = world.api.posted(world.api.dm_channel(user))
        assert len(posted) == 3 and "Do you agree?" in all_text(posted[-1])
    assert "installation" not in _said(world)
    assert world.store.inbox.counts("slack") == {"inbox.done": BURST, "outbox.sent": 3 * BURST}


async def test_after_a_normal_start_a_failing_refresh_delays_nothing(slack: SlackWorld) -> None:
    world = slack
    await world.bot.auth.check()  # what `cityneeds run slack` does at start
    assert len(world.api.calls_to("auth.test", ok=True)) == 1
    world.bot.auth.cache_seconds = 0.0  # every request now finds the answer stale
    world.api.fail("auth.test", status=500, calls=1)
    world.api.rate_limit("auth.test", retry_after=0.1, calls=1)
    posts = await world.say_and_wait("U1", "hello")  # served by the stale answer
    assert len(posts) == 3 and "Do you agree?" in all_text(posts[-1])
    await eventually(lambda: len(world.api.calls_to("auth.test", ok=True)) == 2)
    assert [c.status for c in world.api.calls_to("auth.test")] == [200, 500, 429, 200]
    world.bot.auth.cache_seconds = 3600.0
    posts = await world.say_and_wait("U1", "yes")
    assert "Which group do you mainly speak for?" in all_text(posts[-1])
    assert len(world.api.calls_to("auth.test")) == 4  # the fresh answer is used
    assert "installation" not in _said(world)


async def test_a_refused_token_keeps_the_event_for_the_next_start(slack: SlackWorld) -> None:
    world = slack
    world.api.refuse("auth.test", "account_inactive", calls=1)
    delivered = await world.dm("U2", "hello")
    assert delivered.status == 200
    await eventually(lambda: world.bot.stats["auth.refused"] == 1)
    await world.bot.wait_idle(15)
    assert world.api.posted(world.api.dm_channel("U2")) == []
    assert world.store.inbox.counts("slack") == {"inbox.received": 1}  # kept, not dropped
    # The app is reinstalled; the next start handles what waited.
    assert await world.bot.app.recover() == (0, 1)
    posted = world.api.posted(world.api.dm_channel("U2"))
    assert len(posted) == 3 and "Do you agree?" in all_text(posted[-1])
    assert world.store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 3}
    assert "installation" not in _said(world)
