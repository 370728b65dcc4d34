"""Marks of scheduled posts written before showing them where they cannot be read back."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from storage.models import PostMark
from storage.upsert import insert_ignore


def mark(session: Session, event: str, key: str, message_id: str, now: datetime) -> str | None:
    """Mark ``(event, key)`` as about to be shown; the earlier mark's id if it was marked."""
    inserted = insert_ignore(
        session,
        PostMark.__table__,  # type: ignore[attr-defined]
        {"event": event, "post_key": key, "message_id": message_id, "created_at": now},
        ["event", "post_key"],
    )
    return None if inserted is not None else find(session, event, key)


def find(session: Session, event: str, key: str) -> str | None:
    """The message id marked for ``(event, key)``, if any."""
    row = session.exec(
        select(PostMark).where(PostMark.event == event, PostMark.post_key == key)
    ).first()
    return None if row is None else row.message_id
