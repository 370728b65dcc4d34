"""When is a schedule due? Local wall-clock times, DST included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from storage.schedules import check_time, parse_days


def day_matches(days: str, day: date) -> bool:
    """Whether ``day`` is one of ``days`` (``*``, ``mon-fri``, ``sat,sun``).

    Raises:
        ValueError: ``days`` names no weekdays (see :func:`storage.schedules.parse_days`).
    """
    return day.weekday() in parse_days(days)


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

    Raises:
        ValueError: ``days``, the time or ``timezone`` cannot be computed (a row
            changed by hand in the database, for example).
    """
    wanted = parse_days(days)
    check_time(hour, minute)
    local_today = now.astimezone(ZoneInfo(timezone)).date()
    for back in range(8):
        day = local_today - timedelta(days=back)
        if day.weekday() not in wanted:
            continue
        fire = fire_time(day, hour, minute, timezone)
        if fire <= now:
            if not_before is not None and fire < not_before:
                return None
            return day.isoformat()
    return None
