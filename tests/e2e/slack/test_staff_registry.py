"""Must-show 2 on Slack: a day that does not exist is refused with the valid days."""

from __future__ import annotations

from sqlmodel import func, select

from storage.models import AuditLog, Schedule
from tests.e2e.slack.conftest import SlackWorld

CHANNEL = "C0WORKSHOP"
VALID_DAYS = "valid days: mon, tue, wed, thu, fri, sat, sun, or ranges like mon-fri"


def _refusals(world: SlackWorld) -> list[dict[str, object]]:
    with world.store.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
        return [dict(r.detail) for r in rows]


def _schedules(world: SlackWorld) -> int:
    with world.store.session() as s:
        return int(s.exec(select(func.count()).select_from(Schedule)).one())


async def test_a_slash_schedule_with_funday_names_the_valid_days_and_stores_nothing(
    slack: SlackWorld,
) -> None:
    world = slack
    texts = await world.command_and_wait("UADMIN", CHANNEL, "schedule digest 18:00 funday")
    [answer] = texts
    assert answer.startswith("You are now a facilitator of city (as a platform admin).\n")
    assert f"“funday” is not valid here: {VALID_DAYS}. Nothing was changed." in answer
    assert answer.endswith(
        "Usage: !schedule digest|reminders HH:MM [mon-fri], !schedule off digest|reminders"
    )
    assert _schedules(world) == 0
    assert _refusals(world) == [{"command": "schedule", "argument": "days", "value": "funday"}]
    assert world.api.calls_to("chat.postMessage") == []

    # The same line typed in the direct message goes through the same registry.
    typed = await world.say_and_wait("UADMIN", "!schedule digest 18:00 funday")
    assert any(VALID_DAYS in m.text for m in typed)
    assert _schedules(world) == 0 and len(_refusals(world)) == 2

    texts = await world.command_and_wait("UADMIN", CHANNEL, "schedule digest 18:00 sat,sun")
    assert texts == ["The digest is scheduled at 18:00 (UTC) on sat,sun."]
    assert _schedules(world) == 1
