"""Schedules (digests, reminders) kept in our tables, and reminder claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Conversation, Participant, ReminderLog, Schedule, Workshop
from storage.upsert import insert_ignore

KINDS = ("digest", "reminder")
#: Weekday names a schedule's ``days`` may use, Monday first (``datetime.weekday()`` order).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: Ways to say "every day".
EVERY_DAY = ("*", "", "daily")
#: What ``parse_days`` accepts, as told to a person who typed something else.
VALID_DAYS = f"valid days: {', '.join(WEEKDAYS)}, or ranges like mon-fri"


def parse_days(days: str) -> frozenset[int]:
    """The weekdays (0 = Monday) named by ``days``: ``*``, ``mon-fri``, ``sat,sun``, ``mon,wed``.

    Raises:
        ValueError: A part is not a weekday or a range of them; the message names the valid days.
    """
    text = days.strip().lower()
    if text in EVERY_DAY:
        return frozenset(range(7))
    wanted: set[int] = set()
    for part in text.split(","):
        ends = [end.strip() for end in part.split("-", 1)]
        if not all(end in WEEKDAYS for end in ends):
            raise ValueError(f"{days!r} is not a set of days; {VALID_DAYS}")
        first, last = WEEKDAYS.index(ends[0]), WEEKDAYS.index(ends[-1])
        if last < first:
            raise ValueError(f"{part.strip()!r} runs backwards; {VALID_DAYS}")
        wanted.update(range(first, last + 1))
    return frozenset(wanted)


def normal_days(days: str) -> str:
    """``days`` as stored: lower case without spaces, ``*`` for every day (validated first).

    Raises:
        ValueError: As :func:`parse_days`.
    """
    parse_days(days)
    text = "".join(days.lower().split())
    return "*" if text in EVERY_DAY else text


def check_time(hour: int, minute: int) -> None:
    """Refuse a time outside 00:00–23:59.

    Raises:
        ValueError: The time is not a time of day.
    """
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"{hour:02d}:{minute:02d} is not a time of day; use 00:00 to 23:59")


@dataclass(frozen=True)
class ScheduleRow:
    """A workshop's recurring job at a local time."""

    workshop_id: int
    workshop_slug: str
    timezone: str
    kind: str
    hour: int
    minute: int
    days: str
    enabled: bool
    created_at: datetime | None
    settings: dict[str, object]


def set_schedule(
    session: Session,
    workshop_id: int,
    kind: str,
    hour: int,
    minute: int,
    now: datetime,
    days: str | None = "*",
) -> str:
    """Create or replace the ``kind`` schedule of a workshop; return the days it runs on.

    ``days=None`` keeps the days the schedule had (every day for a new one), so
    changing the time alone never resets ``mon-fri`` to daily. Nothing is written
    unless kind, time and days are all valid.

    Raises:
        ValueError: Unknown kind, a time outside 00:00–23:59, or days that are not
            weekdays (see :func:`parse_days`).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown schedule kind {kind!r}; expected one of {', '.join(KINDS)}")
    check_time(hour, minute)
    wanted = None if days is None else normal_days(days)
    row = session.exec(
        select(Schedule).where(Schedule.workshop_id == workshop_id, Schedule.kind == kind)
    ).first()
    kept = wanted or (row.days if row is not None else "*")
    if row is None:
        row = Schedule(
            workshop_id=workshop_id, kind=kind, hour=hour, minute=minute, days=kept, created_at=now
        )
    row.hour, row.minute, row.days, row.enabled = hour, minute, kept, True
    session.add(row)
    return kept


def days_of(session: Session, workshop_id: int, kind: str) -> str | None:
    """The days the ``kind`` schedule runs on (on or off), or ``None`` if it never existed."""
    row = session.exec(
        select(Schedule).where(Schedule.workshop_id == workshop_id, Schedule.kind == kind)
    ).first()
    return None if row is None else row.days


def disable(session: Session, workshop_id: int, kind: str) -> bool:
    """Turn a schedule off; ``False`` if there was none."""
    row = session.exec(
        select(Schedule).where(Schedule.workshop_id == workshop_id, Schedule.kind == kind)
    ).first()
    if row is None:
        return False
    row.enabled = False
    session.add(row)
    return True


def all_schedules(session: Session) -> list[ScheduleRow]:
    """Every enabled schedule with its workshop's timezone."""
    rows = session.exec(
        select(Schedule, Workshop)
        .where(Schedule.workshop_id == Workshop.id, col(Schedule.enabled).is_(True))
        .order_by(col(Schedule.id))
    ).all()
    return [
        ScheduleRow(
            workshop_id=s.workshop_id,
            workshop_slug=w.slug,
            timezone=w.timezone,
            kind=s.kind,
            hour=s.hour,
            minute=s.minute,
            days=s.days,
            enabled=s.enabled,
            created_at=s.created_at,
            settings=dict(w.settings),
        )
        for s, w in rows
    ]


@dataclass(frozen=True)
class ReminderTarget:
    """A participant who may get a gentle reminder."""

    participant_id: int
    address: str
    platform: str
    locale: str


def reminder_targets(
    session: Session, workshop_id: int, idle_since: datetime
) -> list[ReminderTarget]:
    """Participants to remind: consenting, reminders on, reachable, unfinished, idle."""
    rows = session.exec(
        select(Participant, Conversation)
        .where(
            Participant.workshop_id == workshop_id,
            Conversation.participant_id == Participant.id,
            col(Participant.reminders).is_(True),
            col(Participant.address).is_not(None),
            col(Participant.consent_at).is_not(None),
            col(Conversation.finished).is_(False),
        )
        .order_by(col(Participant.id))
    ).all()
    targets = []
    for person, _conv in rows:
        seen = person.last_seen_at
        if seen is not None and seen.tzinfo is None:
            seen = seen.replace(tzinfo=idle_since.tzinfo)
        if seen is None or seen <= idle_since:
            targets.append(
                ReminderTarget(
                    int(person.id or 0), str(person.address), person.platform, person.locale
                )
            )
    return targets


def claim_reminder(session: Session, participant_id: int, day: str, now: datetime) -> bool:
    """Claim the one reminder of ``day`` for a participant; ``False`` if already claimed.

    The claim is written before the platform call; :func:`mark_reminder_sent`
    completes it. A claim never completed is found by :func:`unsent_reminder`.
    """
    claimed = insert_ignore(
        session,
        ReminderLog.__table__,  # type: ignore[attr-defined]
        {"participant_id": participant_id, "day": day, "sent_at": now},
        ["participant_id", "day"],
    )
    return claimed is not None


def unsent_reminder(session: Session, participant_id: int, day: str) -> datetime | None:
    """When the reminder of ``day`` was claimed, if it was claimed but never recorded as sent."""
    row = session.exec(
        select(ReminderLog).where(
            ReminderLog.participant_id == participant_id, ReminderLog.day == day
        )
    ).first()
    if row is None or row.posted_at is not None:
        return None
    return row.sent_at


def retry_reminder(session: Session, participant_id: int, day: str, now: datetime) -> None:
    """Claim an unsent reminder again at ``now`` (the next retry waits from here)."""
    row = session.exec(
        select(ReminderLog).where(
            ReminderLog.participant_id == participant_id,
            ReminderLog.day == day,
            col(ReminderLog.posted_at).is_(None),
        )
    ).first()
    if row is not None:
        row.sent_at = now
        session.add(row)


def mark_reminder_sent(
    session: Session, participant_id: int, day: str, message_id: str, now: datetime
) -> None:
    """Record that the platform accepted the reminder of ``day`` (with its message id)."""
    row = session.exec(
        select(ReminderLog).where(
            ReminderLog.participant_id == participant_id, ReminderLog.day == day
        )
    ).first()
    if row is not None:
        row.posted_at = now
        row.platform_message_id = message_id
        session.add(row)


def reminder_message_id(session: Session, participant_id: int, day: str) -> str | None:
    """The platform message id recorded for the reminder of ``day``, if it was sent."""
    row = session.exec(
        select(ReminderLog).where(
            ReminderLog.participant_id == participant_id, ReminderLog.day == day
        )
    ).first()
    return None if row is None else row.platform_message_id


def set_reminders(session: Session, participant_id: int, enabled: bool) -> None:
    """Turn a participant's reminders on or off."""
    person = session.get(Participant, participant_id)
    if person is not None:
        person.reminders = enabled
        session.add(person)
