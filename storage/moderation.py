"""Moderation: the queue, approve / hide / unhide / redact, each audited."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, or_, select

from flows.kinds import Status
from storage.audit import audit
from storage.keys import stakeholder_key
from storage.models import ModerationAction, Need, Requirement, Stakeholder, StakeholderLink

_Table = type[Need] | type[Stakeholder] | type[StakeholderLink] | type[Requirement]

#: Contribution kinds a moderator can act on, with the text columns they hold
#: (a link has none of its own: the queue shows its two stakeholders' names).
ITEM_TABLES: dict[str, tuple[_Table, tuple[str, ...]]] = {
    "need": (Need, ("text", "hmw")),
    "stakeholder": (Stakeholder, ("name",)),
    "link": (StakeholderLink, ()),
    "requirement": (Requirement, ("module", "as_a", "i_want", "so_that", "acceptance")),
}
_ORDER = {kind: index for index, kind in enumerate(ITEM_TABLES)}


#: The moderation action each status change is recorded as.
_ACTIONS = {Status.APPROVED: "approve", Status.HIDDEN: "hide"}


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link: the stakeholder's id, name and moderation status."""

    id: int
    name: str
    status: Status


@dataclass(frozen=True)
class QueueItem:
    """A contribution as a moderator sees it.

    Attributes:
        texts: The contribution's own text fields (none for a link).
        relation: For a link, its relation code (``funds``…).
        ends: For a link, its source and target stakeholders.
    """

    kind: str
    id: int
    status: Status
    texts: dict[str, str]
    relation: str | None = None
    ends: tuple[LinkEnd, LinkEnd] | None = None


@dataclass(frozen=True)
class Moderated:
    """What one approval changed besides the item itself.

    Attributes:
        links_approved: Pending links of an approved stakeholder whose other end is
            approved too: approved with it.
        links_waiting: ``(link, stakeholder)``: pending links of an approved stakeholder
            that wait for the other end, or the ends an approved link still waits for.
    """

    links_approved: tuple[int, ...] = ()
    links_waiting: tuple[tuple[int, int], ...] = field(default=())


class UnknownItem(LookupError):
    """No contribution of that kind and id in the workshop."""


class NotHidden(ValueError):
    """``!unhide`` of a contribution that is not hidden."""


def queue(
    session: Session, workshop_id: int, *, status: Status = Status.PENDING, limit: int = 20
) -> list[QueueItem]:
    """Contributions with ``status``, by kind (needs, stakeholders, links, requirements) and id."""
    items: list[QueueItem] = []
    for kind, (table, columns) in ITEM_TABLES.items():
        rows = session.exec(
            select(table)
            .where(col(table.workshop_id) == workshop_id, col(table.status) == Status(status).value)
            .order_by(col(table.id))
            .limit(limit)
        ).all()
        if kind == "link":
            items.extend(_link_items(session, rows))
            continue
        for row in rows:
            texts = {c: str(getattr(row, c)) for c in columns if getattr(row, c)}
            items.append(QueueItem(kind, int(row.id or 0), Status(row.status), texts))
    items.sort(key=lambda i: (_ORDER[i.kind], i.id))
    return items[:limit]


def _link_items(session: Session, rows: Sequence[Any]) -> list[QueueItem]:
    ids = {r.source_id for r in rows} | {r.target_id for r in rows}
    ends = {
        s.id: LinkEnd(int(s.id or 0), s.name, Status(s.status))
        for s in session.exec(select(Stakeholder).where(col(Stakeholder.id).in_(ids)))
    }
    missing = LinkEnd(0, "?", Status.HIDDEN)
    return [
        QueueItem(
            "link",
            int(r.id or 0),
            Status(r.status),
            {},
            relation=r.relation,
            ends=(ends.get(r.source_id, missing), ends.get(r.target_id, missing)),
        )
        for r in rows
    ]


def counts(session: Session, workshop_id: int, status: Status = Status.PENDING) -> dict[str, int]:
    """How many contributions of each kind have ``status``."""
    found: dict[str, int] = {}
    for kind, (table, _columns) in ITEM_TABLES.items():
        found[kind] = int(
            session.exec(
                select(func.count())
                .select_from(table)
                .where(
                    col(table.workshop_id) == workshop_id,
                    col(table.status) == Status(status).value,
                )
            ).one()
        )
    return found


def pending_keys(session: Session, workshop_id: int, kinds: Iterable[str]) -> list[tuple[str, int]]:
    """``(kind, id)`` of every pending contribution of ``kinds``, in queue order."""
    keys: list[tuple[str, int]] = []
    for kind in sorted(set(kinds), key=_ORDER.__getitem__):
        table = ITEM_TABLES[kind][0]
        ids = session.exec(
            select(table.id)
            .where(
                col(table.workshop_id) == workshop_id,
                col(table.status) == Status.PENDING.value,
            )
            .order_by(col(table.id))
        ).all()
        keys.extend((kind, int(i or 0)) for i in ids)
    return keys


def confirmation_code(keys: Sequence[tuple[str, int]]) -> str:
    """A short code naming exactly these items: a bulk approval runs only with it.

    The moderator is shown the count and the code; a queue that changed since
    (an item arrived, another moderator acted) gives another code.
    """
    digest = hashlib.sha256(",".join(f"{k}:{i}" for k, i in keys).encode()).hexdigest()
    return digest[:4]


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


def item_status(session: Session, workshop_id: int, kind: str, item_id: int) -> Status:
    """The moderation status of one contribution.

    Raises:
        UnknownItem: No such contribution in the workshop.
    """
    return Status(_row(session, workshop_id, kind, item_id).status)


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
    action: str | None = None,
) -> Moderated:
    """Approve, hide or unhide a contribution, with an action and audit row.

    Approving a stakeholder approves its pending links whose other end is approved
    (each with its own rows, naming the stakeholder); the others are returned as
    waiting, so the reply can name them.

    Raises:
        UnknownItem: No such contribution in the workshop.
    """
    row = _row(session, workshop_id, kind, item_id)
    _change(session, row, kind, status, moderator_id, actor, reason, now, action)
    if status != Status.APPROVED:
        return Moderated()
    if kind == "link":
        waiting: list[tuple[int, int]] = []
        for end_id in (row.source_id, row.target_id):
            end = session.get(Stakeholder, end_id)
            if end is not None and end.status != Status.APPROVED.value:
                waiting.append((item_id, int(end_id)))
        return Moderated(links_waiting=tuple(waiting))
    if kind != "stakeholder":
        return Moderated()
    return _approve_links_of(session, item_id, moderator_id, actor, now)


def _approve_links_of(
    session: Session, stakeholder_id: int, moderator_id: int | None, actor: str, now: datetime
) -> Moderated:
    links = session.exec(
        select(StakeholderLink)
        .where(
            col(StakeholderLink.status) == Status.PENDING.value,
            or_(
                col(StakeholderLink.source_id) == stakeholder_id,
                col(StakeholderLink.target_id) == stakeholder_id,
            ),
        )
        .order_by(col(StakeholderLink.id))
    ).all()
    approved: list[int] = []
    waiting: list[tuple[int, int]] = []
    for link in links:
        other = link.target_id if link.source_id == stakeholder_id else link.source_id
        end = session.get(Stakeholder, other)
        if end is not None and end.status == Status.APPROVED.value:
            reason = f"with stakeholder {stakeholder_id}"
            _change(session, link, "link", Status.APPROVED, moderator_id, actor, reason, now, None)
            approved.append(int(link.id or 0))
        elif end is not None:
            waiting.append((int(link.id or 0), other))
    return Moderated(tuple(approved), tuple(waiting))


def _change(
    session: Session,
    row: Any,
    kind: str,
    status: Status,
    moderator_id: int | None,
    actor: str,
    reason: str | None,
    now: datetime,
    action: str | None,
) -> None:
    before = row.status
    row.status = Status(status).value
    session.add(row)
    name = action or _ACTIONS.get(status, str(status))
    session.add(
        ModerationAction(
            workshop_id=row.workshop_id,
            moderator_id=moderator_id,
            item_kind=kind,
            item_id=int(row.id),
            action=name,
            reason=reason,
            created_at=now,
        )
    )
    audit(
        session,
        row.workshop_id,
        actor,
        f"moderation.{name}",
        {"kind": kind, "id": int(row.id), "from": before, "to": row.status, "reason": reason},
        now,
    )


def approve_many(
    session: Session,
    workshop_id: int,
    keys: Sequence[tuple[str, int]],
    *,
    moderator_id: int | None,
    actor: str,
    now: datetime,
) -> int:
    """Approve every still-pending item of ``keys`` (``!approve all``); how many were approved.

    Each item gets its own moderation and audit rows, and one ``moderation.approve_all``
    row names the whole batch.
    """
    done = 0
    for kind, item_id in keys:
        row = _row(session, workshop_id, kind, item_id)
        if row.status != Status.PENDING.value:
            continue  # approved with its stakeholder, or acted on meanwhile
        set_status(
            session,
            workshop_id,
            kind,
            item_id,
            status=Status.APPROVED,
            moderator_id=moderator_id,
            actor=actor,
            reason="approve all",
            now=now,
        )
        done += 1
    audit(
        session,
        workshop_id,
        actor,
        "moderation.approve_all",
        {"kinds": sorted({k for k, _ in keys}), "count": len(keys), "ids": [list(k) for k in keys]},
        now,
    )
    return done


def unhide(
    session: Session,
    workshop_id: int,
    kind: str,
    item_id: int,
    *,
    to: Status,
    moderator_id: int | None,
    actor: str,
    now: datetime,
) -> None:
    """Bring a hidden contribution back as ``to`` (audited as ``moderation.unhide``).

    Raises:
        UnknownItem: No such contribution in the workshop.
        NotHidden: It is not hidden.
    """
    row = _row(session, workshop_id, kind, item_id)
    if row.status != Status.HIDDEN.value:
        raise NotHidden(f"{kind} {item_id} is {row.status}")
    _change(session, row, kind, to, moderator_id, actor, None, now, "unhide")


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
