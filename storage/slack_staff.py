"""Where a workshop's staff can be reached privately (used by the Slack adapter).

Staff commands do not run a participant turn, so they do not record the
private address a citizen's turn does; the Slack adapter records it here so a
draft digest can reach facilitators and moderators by direct message when the
workshop has no moderators channel.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Participant

#: Roles that review drafts.
STAFF_ROLES = ("facilitator", "moderator")


def remember_staff_address(
    session: Session, workshop_id: int, pseudonym: str, platform: str, address: str
) -> bool:
    """Keep ``address`` for a facilitator or moderator; ``False`` if they are not staff here."""
    person = session.exec(
        select(Participant).where(
            Participant.workshop_id == workshop_id,
            Participant.pseudonym == pseudonym,
            Participant.platform == platform,
            col(Participant.role).in_(STAFF_ROLES),
        )
    ).first()
    if person is None:
        return False
    if person.address != address:
        person.address = address
        session.add(person)
    return True


def staff_addresses(session: Session, workshop_id: int, platform: str) -> list[str]:
    """Private addresses of the workshop's facilitators and moderators on ``platform``."""
    rows = session.exec(
        select(Participant.address)
        .where(
            Participant.workshop_id == workshop_id,
            Participant.platform == platform,
            col(Participant.role).in_(STAFF_ROLES),
            col(Participant.address).is_not(None),
        )
        .order_by(col(Participant.id))
    ).all()
    return [str(a) for a in rows if a]
