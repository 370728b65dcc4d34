"""On Slack a moderator merges two names of one actor and splits them again, typed or slashed."""

from __future__ import annotations

from sqlmodel import col, select

from bot.demo.simulation import simulate
from storage.models import ActorDecision, AuditLog
from tests.e2e.slack.conftest import SlackWorld

CHANNEL = "C0WORKSHOP"


async def test_merge_typed_in_the_dm_and_split_by_slash_command(slack: SlackWorld) -> None:
    world = slack
    await simulate(world.stack.runtime.router, "city", 24, 7)

    listed = await world.say_and_wait("UADMIN", "!actors")
    text = "\n".join(m.text for m in listed)
    assert "“城市实验室” and “Urban lab”: the same actor in the list of common city actors" in text

    merged = await world.say_and_wait("UADMIN", '!merge stakeholder "城市实验室" "Urban lab"')
    assert any("“城市实验室” is now part of “Urban lab”" in m.text for m in merged)
    [answer] = await world.command_and_wait("UADMIN", CHANNEL, "split stakeholder 城市实验室")
    assert "stand apart again" in answer and "城市实验室" in answer and "Urban lab" in answer

    with world.store.session() as s:
        rows = s.exec(select(ActorDecision).order_by(col(ActorDecision.id))).all()
        actions = [a.action for a in s.exec(select(AuditLog)) if a.action.startswith("actor.")]
    assert [(r.action, r.revoked_at is None) for r in rows] == [("merge", False), ("apart", True)]
    assert sorted(actions) == ["actor.merge", "actor.split"]
