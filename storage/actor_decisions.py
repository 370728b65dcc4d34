"""Moderators' decisions about actors and modules: merges, renames and splits, revocable.

A decision is never deleted: undoing it (a split undoes merges, a new name replaces
the old one) sets ``revoked_at``. The snapshot reads the decisions still in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session, col, select

from flows.snapshot import ActorDecisionRow
from storage.models import ActorDecision

MERGE, RENAME, APART = "merge", "rename", "apart"
STAKEHOLDER, MODULE = "stakeholder", "module"


def record(
    session: Session,
    workshop_id: int,
    kind: str,
    action: str,
    subject: str,
    value: str,
    actor: str,
    now: datetime,
) -> int:
    """Keep one decision; returns its id."""
    row = ActorDecision(
        workshop_id=workshop_id,
        kind=kind,
        action=action,
        subject=subject[:200],
        value=value[:200],
        created_by=actor[:100],
        created_at=now,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def revoke(
    session: Session, workshop_id: int, ids: Iterable[int], actor: str, now: datetime
) -> int:
    """Revoke the decisions ``ids`` of the workshop still in force; returns how many."""
    wanted = list(ids)
    if not wanted:
        return 0
    rows = session.exec(
        select(ActorDecision).where(
            ActorDecision.workshop_id == workshop_id,
            col(ActorDecision.id).in_(wanted),
            col(ActorDecision.revoked_at).is_(None),
        )
    ).all()
    for row in rows:
        row.revoked_by, row.revoked_at = actor[:100], now
        session.add(row)
    session.flush()
    return len(rows)


def in_force(session: Session, workshop_id: int) -> tuple[ActorDecisionRow, ...]:
    """The workshop's decisions not revoked, oldest first."""
    return tuple(
        ActorDecisionRow(
            id=row.id or 0,
            kind=row.kind,
            action=row.action,
            subject=row.subject,
            value=row.value,
            created_at=row.created_at or datetime.min,
        )
        for row in session.exec(
            select(ActorDecision)
            .where(
                ActorDecision.workshop_id == workshop_id,
                col(ActorDecision.revoked_at).is_(None),
            )
            .order_by(col(ActorDecision.id))
        )
    )
