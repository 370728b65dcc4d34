"""Assisted entry: who helped a resident answer, and how the resident gave consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Assistance


@dataclass(frozen=True)
class AssistanceInfo:
    """Who typed a resident's answers in.

    Attributes:
        label: How the volunteer named the session ("Library desk, Mrs L.").
        volunteer: Who ran it (``cli:<user>``, ``--by WHO``, or the staff member's platform
            identity such as ``slack:U123`` for ``!assist``).
        consent_mode: ``spoken`` or ``paper``.
    """

    label: str
    volunteer: str
    consent_mode: str


def record_assistance(
    session: Session,
    workshop_id: int,
    pseudonym: str,
    info: AssistanceInfo,
    now: datetime,
) -> None:
    """Keep who assists the participant ``pseudonym`` (once; a second call changes nothing)."""
    found = session.exec(
        select(Assistance).where(
            Assistance.workshop_id == workshop_id, Assistance.pseudonym == pseudonym
        )
    ).first()
    if found is None:
        session.add(
            Assistance(
                workshop_id=workshop_id,
                pseudonym=pseudonym,
                label=info.label,
                volunteer=info.volunteer,
                consent_mode=info.consent_mode,
                created_at=now,
            )
        )


def assistance_of(session: Session, workshop_id: int, pseudonym: str) -> AssistanceInfo | None:
    """Who assists ``pseudonym`` in a workshop, or ``None`` for someone who answers alone."""
    row = session.exec(
        select(Assistance).where(
            Assistance.workshop_id == workshop_id, Assistance.pseudonym == pseudonym
        )
    ).first()
    if row is None:
        return None
    return AssistanceInfo(row.label, row.volunteer, row.consent_mode)


def forget_assistance(session: Session, workshop_id: int, pseudonym: str) -> None:
    """Erase the assistance row with the rest of the participant (``forget me``)."""
    session.execute(
        delete(Assistance).where(
            col(Assistance.workshop_id) == workshop_id, col(Assistance.pseudonym) == pseudonym
        )
    )
