"""Workshop roles (citizen, moderator, facilitator) per pseudonymous participant."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from flows.kinds import Role
from storage.models import Participant
from storage.upsert import insert_ignore

#: Every role, citizen first.
ROLES: tuple[Role, ...] = tuple(Role)


def role_of(session: Session, workshop_id: int, pseudonym: str) -> tuple[Role, int | None]:
    """The participant's role and id (``citizen`` and ``None`` if unknown)."""
    row = session.exec(
        select(Participant).where(
            Participant.workshop_id == workshop_id, Participant.pseudonym == pseudonym
        )
    ).first()
    return (Role.CITIZEN, None) if row is None else (Role(row.role), row.id)


def set_role(
    session: Session, workshop_id: int, pseudonym: str, platform: str, role: Role, now: datetime
) -> int:
    """Give a (possibly new) participant a role; return the participant id.

    Raises:
        ValueError: Unknown role.
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    value = Role(role).value
    insert_ignore(
        session,
        Participant.__table__,  # type: ignore[attr-defined]
        {
            "workshop_id": workshop_id,
            "pseudonym": pseudonym,
            "platform": platform,
            "role": value,
            "locale": "en",
            "accessibility": {},
            "reminders": True,
            "created_at": now,
        },
        ["workshop_id", "pseudonym"],
    )
    row = session.exec(
        select(Participant).where(
            Participant.workshop_id == workshop_id, Participant.pseudonym == pseudonym
        )
    ).one()
    row.role = value
    session.add(row)
    session.flush()
    return int(row.id or 0)


def count_with_role(session: Session, workshop_id: int, role: Role) -> int:
    """How many participants of a workshop hold ``role``."""
    return int(
        session.exec(
            select(func.count(col(Participant.id))).where(
                Participant.workshop_id == workshop_id, Participant.role == Role(role).value
            )
        ).one()
    )
