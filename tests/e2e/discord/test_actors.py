"""On Discord a moderator types ``!merge`` and ``!split`` in the moderators' channel."""

from __future__ import annotations

from sqlmodel import col, select

from bot.demo.simulation import simulate
from bot.runtime import Runtime
from bot.testing.discord_harness import DiscordHarness
from storage.models import ActorDecision
from tests.e2e.discord.helpers import assert_no_mentions


async def test_typed_merge_and_split_in_the_moderators_channel(
    discord: DiscordHarness, runtime: Runtime
) -> None:
    h = discord
    await simulate(runtime.router, "city", 24, 7)

    merged = await h.say(
        "fac", h.world.moderators_channel, "!merge stakeholder 城市实验室 Urban lab"
    )
    assert any(
        "“城市实验室” is now part of “Urban lab”" in m.content for m in h.messages_of(merged)
    )
    split = await h.say("fac", h.world.moderators_channel, "!split stakeholder 城市实验室")
    assert any("stand apart again" in m.content for m in h.messages_of(split))
    assert_no_mentions(h.fake)

    with runtime.store.session() as s:
        rows = s.exec(select(ActorDecision).order_by(col(ActorDecision.id))).all()
    assert [(r.action, r.subject, r.value) for r in rows] == [
        ("merge", "城市实验室", "urban lab"),
        ("apart", "城市实验室", "urban lab"),
    ]
    assert rows[0].revoked_at is not None
