"""Moderation: the queue, approve / hide / redact, each audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from flows.kinds import Status
from storage.audit import audit
from storage.keys import stakeholder_key
from storage.models import ModerationAction, Need, Requirement, Stakeholder

#: Contribution kinds a moderator can act on, with the text columns they hold.
ITEM_TABLES: dict[
    str, tuple[type[Need] | type[Stakeholder] | type[Requirement], tuple[str, ...]]
] = {
    "need": (Need, ("text", "hmw")),
    "stakeholder": (Stakeholder, ("name",)),
    "requirement": (Requirement, ("module", "as_a", "i_want", "so_that", "acceptance")),
}


#: The moderation action each status change is recorded as.
_ACTIONS = {Status.APPROVED: "approve", Status.HIDDEN: "hide"}


@dataclass(frozen=True)
class QueueItem:
    """A contribution as a moderator sees it."""

    kind: str
    id: int
    status: Status
    texts: dict[str, str]


class UnknownItem(LookupError):
    """No contribution of that kind and id in the workshop."""


def queue(
    session: Session, workshop_id: int, *, status: Status = Status.PENDING, limit: int = 20
) -> list[QueueItem]:
    """Contributions with ``status``, oldest first."""
    items: list[QueueItem] = []
    for kind, (table, columns) in ITEM_TABLES.items():
        rows = session.exec(
            select(table)
            .where(col(table.workshop_id) == workshop_id, col(table.status) == Status(status).value)
            .order_by(col(table.id))
            .limit(limit)
        ).all()
        for row in rows:
            texts = {c: str(getattr(row, c)) for c in columns if getattr(row, c)}
            items.append(QueueItem(kind, int(row.id or 0), Status(row.status), texts))
    items.sort(key=lambda i: (i.kind, i.id))
    return items[:limit]


def _row(session: Session, workshop_id: int, kind: str, item_id: int) -> Any:
    if kind not in ITEM_TABLES:
        raise UnknownItem(f"{kind} {item_id}")
    row = session.get(ITEM_TABLES[kind][0], item_id)
    if row is None or row.workshop_id != workshop_id:
        raise UnknownItem(f"{kind} {item_id}")
    return row


def item_texts(session: Session, workshop_id: int, kind: str, item_id: int) -> dict[str, str]:
    """The text fields of one contribution.

    Raises:
        UnknownItem: No such contribution in the workshop.
    """
    row = _row(session, workshop_id, kind, item_id)
    return {c: str(getattr(row, c)) for c in ITEM_TABLES[kind][1] if getattr(row, c)}


def set_status(
    session: Session,
    workshop_id: int,
    kind: str,
    item_id: int,
    *,
    status: Status,
    moderator_id: int | None,
    actor: str,
    reason: str | None,
    now: datetime,
) -> None:
    """Approve (``approved``) or hide (``hidden``) a contribution, with an action and audit row.

    Raises:
        UnknownItem: No such contribution in the workshop.
    """
    row = _row(session, workshop_id, kind, item_id)
    before = row.status
    row.status = Status(status).value
    session.add(row)
    action = _ACTIONS.get(status, str(status))
    session.add(
        ModerationAction(
            workshop_id=workshop_id,
            moderator_id=moderator_id,
            item_kind=kind,
            item_id=item_id,
            action=action,
            reason=reason,
            created_at=now,
        )
    )
    audit(
        session,
        workshop_id,
        actor,
        f"moderation.{action}",
        {"kind": kind, "id": item_id, "from": before, "to": row.status, "reason": reason},
        now,
    )


def redact(
    session: Session,
    workshop_id: int,
    kind: str,
    item_id: int,
    *,
    replacements: dict[str, str],
    moderator_id: int | None,
    actor: str,
    what: list[str],
    now: datetime,
) -> None:
    """Replace text fields of a contribution (personal data removed), audited.

    ``what`` names the kinds of data removed (``email``, ``phone``) for the audit
    row; the removed values themselves are not logged.

    Raises:
        UnknownItem: No such contribution in the workshop.
    """
    row = _row(session, workshop_id, kind, item_id)
    for column, value in replacements.items():
        if column in ITEM_TABLES[kind][1]:
            setattr(row, column, value)
    if kind == "stakeholder" and "name" in replacements:
        row.key = stakeholder_key(replacements["name"])
    session.add(row)
    session.add(
        ModerationAction(
            workshop_id=workshop_id,
            moderator_id=moderator_id,
            item_kind=kind,
            item_id=item_id,
            action="redact",
            reason=", ".join(what),
            created_at=now,
        )
    )
    audit(
        session,
        workshop_id,
        actor,
        "moderation.redact",
        {"kind": kind, "id": item_id, "removed": what, "fields": sorted(replacements)},
        now,
    )
