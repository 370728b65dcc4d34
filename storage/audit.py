"""The audit log: who did what, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditLog


def audit(
    session: Session,
    workshop_id: int | None,
    actor: str,
    action: str,
    detail: dict[str, Any],
    now: datetime,
) -> None:
    """Append one audit row in the caller's transaction."""
    session.add(
        AuditLog(workshop_id=workshop_id, actor=actor, action=action, detail=detail, created_at=now)
    )


def audit_rows(session: Session, workshop_id: int) -> list[dict[str, Any]]:
    """A workshop's audit rows, oldest first."""
    rows = session.exec(
        select(AuditLog).where(AuditLog.workshop_id == workshop_id).order_by(col(AuditLog.id))
    ).all()
    return [
        {
            "actor": r.actor,
            "action": r.action,
            "detail": dict(r.detail),
            "created_at": r.created_at,
        }
        for r in rows
    ]
