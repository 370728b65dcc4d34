"""Participants waiting for a tier, and the one notice each wait gets when the tier opens.

A notice is claimed like a reminder (table ``reminderlog``, see
:mod:`storage.schedules`), under the day :func:`notice_day` of the wait: the unique
``(participant, day)`` row makes it exactly once across replicas and toggles.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.models import Conversation, Participant, ReminderLog, Workshop
from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo, info

#: The ``reminderlog.day`` prefix of tier notices (reminders use ISO dates).
NOTICE_PREFIX = "open:"


def notice_day(wait_no: int) -> str:
    """The claim key of the notice for a participant's ``wait_no``-th wait."""
    return f"{NOTICE_PREFIX}{wait_no}"


@dataclass(frozen=True)
class WaitingTarget:
    """Someone waiting for a tier that is open now, who may be told so.

    Attributes:
        workshop: Their workshop.
        tier: The tier they wait for.
        day: The claim key of this wait's notice (:func:`notice_day`).
        target: Where and how to reach them (as for a reminder).
    """

    workshop: WorkshopInfo
    tier: str
    day: str
    target: ReminderTarget


def waiting_for_open_tiers(session: Session) -> list[WaitingTarget]:
    """Waiters whose tier is open and whose wait was not told yet.

    Only people a reminder may reach: consenting, reminders on, with a private
    address (on Discord, only those who opted in to direct messages have one).
    """
    rows = session.exec(
        select(Participant, Conversation, Workshop)
        .where(
            Conversation.participant_id == Participant.id,
            Workshop.id == Conversation.workshop_id,
            col(Conversation.waiting_tier).is_not(None),
            col(Conversation.finished).is_(False),
            col(Participant.reminders).is_(True),
            col(Participant.address).is_not(None),
            col(Participant.consent_at).is_not(None),
        )
        .order_by(col(Participant.id))
    ).all()
    found = [(person, conv, ws) for person, conv, ws in rows if conv.waiting_tier in ws.open_tiers]
    if not found:
        return []
    told = set(
        session.exec(
            select(ReminderLog.participant_id, ReminderLog.day).where(
                col(ReminderLog.participant_id).in_([p.id for p, _, _ in found]),
                col(ReminderLog.day).startswith(NOTICE_PREFIX),
                col(ReminderLog.posted_at).is_not(None),
            )
        ).all()
    )
    targets = []
    for person, conv, ws in found:
        day = notice_day(conv.wait_no)
        if (person.id, day) in told:
            continue
        target = ReminderTarget(
            int(person.id or 0), str(person.address), person.platform, person.locale
        )
        targets.append(WaitingTarget(info(ws), str(conv.waiting_tier), day, target))
    return targets


def count_waiting(session: Session, workshop_id: int, tier: str) -> int:
    """How many participants of a workshop wait for ``tier`` (reachable or not)."""
    return len(
        session.exec(
            select(Conversation.id).where(
                Conversation.workshop_id == workshop_id,
                Conversation.waiting_tier == tier,
                col(Conversation.finished).is_(False),
            )
        ).all()
    )
