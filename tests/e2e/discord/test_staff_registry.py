"""Must-show 2 on Discord: the slash options become the typed call; bad ones change nothing."""

from __future__ import annotations

from sqlmodel import select

from bot.testing.discord_harness import DiscordHarness
from storage.models import AuditLog, Schedule
from storage.store import Store
from tests.e2e.discord.helpers import rejected

VALID_DAYS = "valid days: mon, tue, wed, thu, fri, sat, sun, or ranges like mon-fri"


def _plain(text: str) -> str:
    """What the user reads: Discord shows ``mon\\-fri`` as ``mon-fri``."""
    return text.replace("\\", "")


def _refusals(store: Store) -> list[dict[str, object]]:
    with store.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action == "refused")).all()
        return [dict(r.detail) for r in rows]


def _schedules(store: Store) -> list[tuple[str, int, int, str]]:
    with store.session() as s:
        return [(r.kind, r.hour, r.minute, r.days) for r in s.exec(select(Schedule)).all()]


async def test_the_schedule_slash_command_with_funday_names_the_valid_days(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    record, handled = await h.slash(
        "fac",
        h.world.workshop_channel,
        "cityneeds-admin",
        "schedule",
        {"kind": "digest", "time": "18:00", "days": "funday"},
    )
    assert handled.error is None
    shown = _plain("\n".join(m.content for m in record.followups))
    assert all(m.ephemeral for m in record.followups)
    said = f"“funday” is not valid here: {VALID_DAYS}. Nothing was changed."
    assert (said) in shown
    assert "scheduled" not in shown
    assert _schedules(store) == []
    assert _refusals(store) == [{"command": "schedule", "argument": "days", "value": "funday"}]

    # A citizen is refused for the role first: the bad option is not even looked at.
    record, _ = await h.slash(
        "bob",
        h.world.workshop_channel,
        "cityneeds-admin",
        "schedule",
        {"kind": "digest", "time": "18:00", "days": "funday"},
    )
    assert "Only a facilitator can use “!schedule”" in _plain(record.followups[-1].content)
    assert _refusals(store)[-1]["role"] == "citizen"

    # Good options are stored as typed; "off" as the time turns the schedule off.
    record, _ = await h.slash(
        "fac",
        h.world.workshop_channel,
        "cityneeds-admin",
        "schedule",
        {"kind": "reminders", "time": "09:30", "days": "Mon-Fri"},
    )
    assert _plain(record.followups[-1].content) == (
        "The reminder is scheduled at 09:30 (UTC) on mon-fri."
    )
    assert _schedules(store) == [("reminder", 9, 30, "mon-fri")]
    record, _ = await h.slash(
        "fac",
        h.world.workshop_channel,
        "cityneeds-admin",
        "schedule",
        {"kind": "reminders", "time": "off"},
    )
    assert _plain(record.followups[-1].content) == "The reminder schedule is off."
    record, _ = await h.slash(
        "fac",
        h.world.workshop_channel,
        "cityneeds-admin",
        "schedule",
        {"kind": "digest", "time": "6pm"},
    )
    assert any(
        "“6pm” is not valid here: valid times: HH:MM" in _plain(m.content) for m in record.followups
    )
    assert [d.get("argument") for d in _refusals(store)] == ["days", None, "time"]
    assert not rejected(h.fake)


async def test_moderator_slash_options_reach_the_same_commands_without_text(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    record, _ = await h.slash(
        "fac",
        h.world.moderators_channel,
        "cityneeds-mod",
        "approve",
        {"kind": "need", "item": 0},
    )
    shown = _plain("\n".join(m.content for m in record.followups))
    assert ("“0” is not valid here: valid values: an item number such as 12.") in shown
    record, _ = await h.slash(
        "fac",
        h.world.moderators_channel,
        "cityneeds-mod",
        "hide",
        {"kind": "need", "item": 999, "reason": "spam"},
    )
    assert _plain(record.followups[-1].content) == (
        "There is no need 999 in this workshop. Kinds: need, stakeholder, link, requirement."
    )
    record, _ = await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-admin", "policy", {"grace": 30}
    )
    assert "Auto-post after: 30 minutes." in _plain(record.followups[-1].content)
    record, _ = await h.slash(
        "fac",
        h.world.moderators_channel,
        "cityneeds-admin",
        "settings",
        {"timezone": "Mars/Olympus"},
    )
    assert ("“Mars/Olympus” is not a timezone I know") in _plain(record.followups[-1].content)
    assert [d.get("argument") for d in _refusals(store)] == ["id", "timezone"]
    assert not rejected(h.fake)
