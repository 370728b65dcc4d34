"""Moderators' theme decisions: renamed themes and needs pinned to a theme."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import ThemeOverride

RENAME, MOVE = "rename", "move"


@dataclass(frozen=True)
class ThemeDecisions:
    """Theme id → label, and text key → theme id, for one workshop."""

    renames: dict[str, str] = field(default_factory=dict)
    moves: dict[str, str] = field(default_factory=dict)


def _set(
    session: Session,
    workshop_id: int,
    kind: str,
    subject: str,
    value: str,
    actor: str,
    now: datetime,
) -> str | None:
    row = session.exec(
        select(ThemeOverride).where(
            ThemeOverride.workshop_id == workshop_id,
            ThemeOverride.kind == kind,
            ThemeOverride.subject == subject,
        )
    ).first()
    before = row.value if row is not None else None
    if row is None:
        row = ThemeOverride(
            workshop_id=workshop_id,
            kind=kind,
            subject=subject,
            value=value,
            created_by=actor,
            created_at=now,
        )
    else:
        row.value, row.created_by, row.created_at = value, actor, now
    session.add(row)
    session.flush()
    return before


def rename(
    session: Session, workshop_id: int, theme_id: str, label: str, actor: str, now: datetime
) -> str | None:
    """Give theme ``theme_id`` the label ``label``; returns the label it had (or ``None``)."""
    return _set(session, workshop_id, RENAME, theme_id, label, actor, now)


def move(
    session: Session, workshop_id: int, key: str, theme_id: str, actor: str, now: datetime
) -> str | None:
    """Pin text ``key`` (``need:12``) to ``theme_id``; returns the earlier pin (or ``None``)."""
    return _set(session, workshop_id, MOVE, key, theme_id, actor, now)


def decisions(session: Session, workshop_id: int) -> ThemeDecisions:
    """Every rename and move of the workshop."""
    found = ThemeDecisions()
    for row in session.exec(
        select(ThemeOverride)
        .where(ThemeOverride.workshop_id == workshop_id)
        .order_by(col(ThemeOverride.id))
    ):
        (found.renames if row.kind == RENAME else found.moves)[row.subject] = row.value
    return found
