"""When is a schedule due? Local wall-clock times, DST included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def day_matches(days: str, day: date) -> bool:
    """Whether ``day`` is one of ``days`` (``*``, ``mon-fri``, ``sat,sun``)."""
    if days in ("*", "", "daily"):
        return True
    wanted: set[int] = set()
    for part in days.lower().split(","):
        if "-" in part:
            start, end = (_DAYS.index(p.strip()) for p in part.split("-", 1))
            wanted.update(range(start, end + 1))
        else:
            wanted.add(_DAYS.index(part.strip()))
    return day.weekday() in wanted


def fire_time(day: date, hour: int, minute: int, timezone: str) -> datetime:
    """The aware local time ``hour:minute`` on ``day`` in ``timezone``."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(timezone))


def due_period(
    now: datetime,
    *,
    hour: int,
    minute: int,
    timezone: str,
    days: str = "*",
    not_before: datetime | None = None,
) -> str | None:
    """The latest period (local date, ``YYYY-MM-DD``) whose fire time is at or before ``now``.

    Only the latest one is returned, so periods missed while the bot was down
    collapse into one digest. ``not_before`` (the schedule's creation) keeps a
    new schedule from firing for a time that passed before it existed.
    """
    local_today = now.astimezone(ZoneInfo(timezone)).date()
    for back in range(8):
        day = local_today - timedelta(days=back)
        if not day_matches(days, day):
            continue
        fire = fire_time(day, hour, minute, timezone)
        if fire <= now:
            if not_before is not None and fire < not_before:
                return None
            return day.isoformat()
    return None
