"""Which chat channel runs which workshop, and which workshop a platform user answers in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import ChannelBinding, Conversation, Participant, Workshop
from storage.upsert import insert_ignore

#: What a binding is for.
PURPOSES = ("workshop", "moderators")


@dataclass(frozen=True)
class Binding:
    """A channel bound to a workshop."""

    workshop_id: int
    workshop_slug: str
    platform: str
    channel_id: str
    purpose: str


def bind(
    session: Session,
    workshop_id: int,
    platform: str,
    channel_id: str,
    purpose: str,
    now: datetime,
) -> bool:
    """Bind ``channel_id`` to a workshop for ``purpose``, replacing an earlier binding.

    A workshop has at most one channel per platform and purpose; a channel runs
    at most one workshop per purpose.

    Returns:
        ``True`` if the binding changed.

    Raises:
        ValueError: Unknown purpose.
    """
    if purpose not in PURPOSES:
        raise ValueError(f"unknown purpose {purpose!r}; expected one of {', '.join(PURPOSES)}")
    current = session.exec(
        select(ChannelBinding).where(
            ChannelBinding.platform == platform,
            ChannelBinding.channel_id == channel_id,
            ChannelBinding.purpose == purpose,
        )
    ).first()
    if current is not None and current.workshop_id == workshop_id:
        return False
    for old in session.exec(
        select(ChannelBinding).where(
            (
                (ChannelBinding.platform == platform)
                & (ChannelBinding.channel_id == channel_id)
                & (ChannelBinding.purpose == purpose)
            )
            | (
                (ChannelBinding.workshop_id == workshop_id)
                & (ChannelBinding.platform == platform)
                & (ChannelBinding.purpose == purpose)
            )
        )
    ).all():
        session.delete(old)
    session.flush()
    insert_ignore(
        session,
        ChannelBinding.__table__,  # type: ignore[attr-defined]
        {
            "workshop_id": workshop_id,
            "platform": platform,
            "channel_id": channel_id,
            "purpose": purpose,
            "created_at": now,
        },
        ["platform", "channel_id", "purpose"],
    )
    return True


def _binding(row: ChannelBinding, slug: str) -> Binding:
    return Binding(row.workshop_id, slug, row.platform, row.channel_id, row.purpose)


def _with_slug() -> Any:
    """Bindings joined to their workshop's slug."""
    return select(ChannelBinding, Workshop.slug).where(Workshop.id == ChannelBinding.workshop_id)


def _first(session: Session, query: Any) -> Binding | None:
    row = session.exec(query).first()
    return None if row is None else _binding(row[0], row[1])


def workshop_of_channel(
    session: Session, platform: str, channel_id: str, purpose: str = "workshop"
) -> Binding | None:
    """The workshop a channel runs, if it is bound."""
    return _first(
        session,
        _with_slug().where(
            ChannelBinding.platform == platform,
            ChannelBinding.channel_id == channel_id,
            ChannelBinding.purpose == purpose,
        ),
    )


def channel_of_workshop(
    session: Session, workshop_id: int, platform: str, purpose: str = "workshop"
) -> Binding | None:
    """Where a workshop runs (or is moderated) on ``platform``, if bound."""
    return _first(
        session,
        _with_slug().where(
            ChannelBinding.workshop_id == workshop_id,
            ChannelBinding.platform == platform,
            ChannelBinding.purpose == purpose,
        ),
    )


def bindings(session: Session, platform: str | None = None) -> list[Binding]:
    """Every binding (of one platform, if given), oldest first."""
    query = _with_slug()
    if platform is not None:
        query = query.where(ChannelBinding.platform == platform)
    rows = session.exec(query.order_by(col(ChannelBinding.id))).all()
    return [_binding(b, slug) for b, slug in rows]


def latest_workshop_of(session: Session, pseudonym: str) -> str | None:
    """The slug of the workshop this pseudonym last answered in (for direct messages).

    An unfinished conversation wins over a finished one, then the most recent.
    """
    rows = session.exec(
        select(Workshop.slug, Participant.last_seen_at, Conversation.finished)
        .where(
            Participant.pseudonym == pseudonym,
            Workshop.id == Participant.workshop_id,
            Conversation.participant_id == Participant.id,
        )
        .order_by(col(Participant.id))
    ).all()
    if not rows:
        return None

    def rank(row: tuple[str, datetime | None, bool]) -> tuple[bool, float]:
        seen = row[1].timestamp() if row[1] is not None else 0.0
        return (not row[2], seen)

    return max(rows, key=rank)[0]
