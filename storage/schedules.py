"""Schedules (digests, reminders) kept in our tables, and reminder claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import Conversation, Participant, ReminderLog, Schedule, Workshop
from storage.upsert import insert_ignore

KINDS = ("digest", "reminder")


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
    days: str = "*",
) -> None:
    """Create or replace the ``kind`` schedule of a workshop.

    Raises:
        ValueError: Unknown kind or a time outside 00:00–23:59.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown schedule kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"{hour:02d}:{minute:02d} is not a time of day")
    row = session.exec(
        select(Schedule).where(Schedule.workshop_id == workshop_id, Schedule.kind == kind)
    ).first()
    if row is None:
        row = Schedule(
            workshop_id=workshop_id, kind=kind, hour=hour, minute=minute, days=days, created_at=now
        )
    row.hour, row.minute, row.days, row.enabled = hour, minute, days, True
    session.add(row)


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
    """Claim the one reminder of ``day`` for a participant; ``False`` if already sent."""
    claimed = insert_ignore(
        session,
        ReminderLog.__table__,  # type: ignore[attr-defined]
        {"participant_id": participant_id, "day": day, "sent_at": now},
        ["participant_id", "day"],
    )
    return claimed is not None


def set_reminders(session: Session, participant_id: int, enabled: bool) -> None:
    """Turn a participant's reminders on or off."""
    person = session.get(Participant, participant_id)
    if person is not None:
        person.reminders = enabled
        session.add(person)
