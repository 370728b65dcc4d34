"""Direct-message opt-in for the Discord adapter, kept in ``Participant.address``.

A participant's ``address`` is set only when they opt in to direct messages
(``/cityneeds dm on``); reminders go only to participants with an address. The
router sets it on a turn that carries one; these queries read it and clear it.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from storage.models import Participant, Workshop


def opted_in_workshops(session: Session, pseudonym: str, platform: str = "discord") -> list[str]:
    """Slugs of the workshops where ``pseudonym`` opted in to DMs, most recently active first."""
    rows = session.exec(
        select(Workshop.slug, Participant.last_seen_at, Participant.id).where(
            Participant.pseudonym == pseudonym,
            Participant.platform == platform,
            col(Participant.address).is_not(None),
            Workshop.id == Participant.workshop_id,
        )
    ).all()
    ordered = sorted(
        rows,
        key=lambda row: (row[1].timestamp() if row[1] is not None else 0.0, row[2] or 0),
        reverse=True,
    )
    return [row[0] for row in ordered]


def dm_address(session: Session, workshop_slug: str, pseudonym: str) -> str | None:
    """The DM address ``pseudonym`` opted in with for a workshop, if any."""
    return session.exec(
        select(Participant.address).where(
            Participant.pseudonym == pseudonym,
            Workshop.slug == workshop_slug,
            Workshop.id == Participant.workshop_id,
        )
    ).first()


def clear_dm_addresses(session: Session, pseudonym: str, platform: str = "discord") -> int:
    """Opt ``pseudonym`` out of DMs in every workshop; return how many rows changed."""
    result = session.exec(
        update(Participant)
        .where(
            col(Participant.pseudonym) == pseudonym,
            col(Participant.platform) == platform,
            col(Participant.address).is_not(None),
        )
        .values(address=None)
    )
    return int(result.rowcount or 0)
