"""Staff members typing a resident's answers in from chat: who, where, for whom."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import AssistSession, Workshop


@dataclass(frozen=True)
class AssistRow:
    """An open assist session.

    Attributes:
        workshop_id: The workshop the resident answers in.
        workshop: Its slug.
        resident: The resident's pseudonym.
        code: The reference code, masked (see :class:`storage.models.AssistSession`).
    """

    workshop_id: int
    workshop: str
    resident: str
    code: str


def open_session(
    session: Session,
    platform: str,
    staff: str,
    workshop_id: int,
    resident: str,
    code: str,
    now: datetime,
) -> None:
    """Start (or replace) the assist session of ``staff`` on ``platform``."""
    end_session(session, platform, staff)
    session.flush()
    session.add(
        AssistSession(
            platform=platform,
            staff=staff,
            workshop_id=workshop_id,
            resident=resident,
            code=code,
            started_at=now,
        )
    )


def find_session(session: Session, platform: str, staff: str) -> AssistRow | None:
    """The open assist session of ``staff`` on ``platform``, if any."""
    row = session.exec(
        select(AssistSession, Workshop.slug)
        .join(Workshop, col(Workshop.id) == col(AssistSession.workshop_id))
        .where(AssistSession.platform == platform, AssistSession.staff == staff)
    ).first()
    if row is None:
        return None
    found, slug = row
    return AssistRow(found.workshop_id, slug, found.resident, found.code)


def end_session(session: Session, platform: str, staff: str) -> None:
    """End the assist session of ``staff`` on ``platform`` (none open: nothing happens)."""
    session.execute(
        delete(AssistSession).where(
            col(AssistSession.platform) == platform, col(AssistSession.staff) == staff
        )
    )


def forget_resident(session: Session, workshop_id: int, resident: str) -> None:
    """End every assist session for a resident whose data is erased (``forget me``)."""
    session.execute(
        delete(AssistSession).where(
            col(AssistSession.workshop_id) == workshop_id,
            col(AssistSession.resident) == resident,
        )
    )
