"""Assertions and settings shared by the Discord end-to-end tests."""

from __future__ import annotations

from bot.testing.discord_api import BucketRule, FakeDiscord, SentMessage

#: Conversations in these tests answer faster than people do; Discord's real
#: 5-messages-per-5-seconds channel bucket is exercised in test_rate_limits.py.
FAST_CHANNELS = {"POST /channels/{channel_id}/messages": BucketRule(50, 1.0)}
NO_MENTIONS = {"parse": []}


def assert_no_mentions(fake: FakeDiscord) -> None:
    """Every message the bot created or edited was sent with ``allowed_mentions`` parsing none."""
    assert fake.sent, "the bot sent nothing"
    for message in fake.sent:
        assert message.allowed_mentions == NO_MENTIONS, (message.kind, message.content[:80])


def assert_within_limits(messages: list[SentMessage]) -> None:
    """Discord's size limits hold for every message (the fake would have answered 400)."""
    for m in messages:
        assert len(m.content) <= 2000
        assert len(m.embeds) <= 10
        total = 0
        for e in m.embeds:
            assert len(e.get("title", "")) <= 256
            assert len(e.get("description", "")) <= 4096
            assert len(e.get("footer", {}).get("text", "")) <= 2048
            total += len(e.get("title", "")) + len(e.get("description", ""))
            total += len(e.get("footer", {}).get("text", ""))
        assert total <= 6000
        assert 200 <= m.request.status < 300


def rejected(fake: FakeDiscord) -> list[tuple[str, int]]:
    """Requests the fake refused for reasons other than rate limits."""
    return [(r.route, r.status) for r in fake.requests if r.status >= 400 and r.status != 429]
