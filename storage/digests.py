"""Digest periods: the exactly-once claim, drafts, approval and posting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from flows.kinds import DigestStatus
from storage.audit import audit
from storage.models import Digest
from storage.upsert import insert_ignore

#: The lifecycle's states by name, as :class:`DigestStatus` members (the enum is the definition).
CLAIMED, DRAFT, APPROVED, POSTING, POSTED, SKIPPED = (
    DigestStatus.CLAIMED,
    DigestStatus.DRAFT,
    DigestStatus.APPROVED,
    DigestStatus.POSTING,
    DigestStatus.POSTED,
    DigestStatus.SKIPPED,
)


@dataclass(frozen=True)
class DigestRow:
    """A digest period: claimed → draft → approved → posting → posted (or skipped).

    While the status is ``posting``, ``posted_at`` is when the posting started.
    """

    id: int
    workshop_id: int
    period: str
    status: DigestStatus
    body: dict[str, Any]
    created_at: datetime | None
    posted_at: datetime | None
    platform_message_id: str | None
    claimed_by: str | None = None


def _row(d: Digest) -> DigestRow:
    return DigestRow(
        id=int(d.id or 0),
        workshop_id=d.workshop_id,
        period=d.period,
        status=DigestStatus(d.status),
        body=dict(d.body),
        created_at=d.created_at,
        posted_at=d.posted_at,
        platform_message_id=d.platform_message_id,
        claimed_by=d.claimed_by,
    )


def claim(
    session: Session, workshop_id: int, period: str, holder: str, now: datetime
) -> int | None:
    """Claim ``(workshop, period)``; return the new row id, or ``None`` if already claimed."""
    claimed: int | None = insert_ignore(
        session,
        Digest.__table__,  # type: ignore[attr-defined]
        {
            "workshop_id": workshop_id,
            "period": period,
            "status": DigestStatus.CLAIMED.value,
            "body": {},
            "claimed_by": holder,
            "created_at": now,
        },
        ["workshop_id", "period"],
    )
    return claimed


def get(session: Session, digest_id: int) -> DigestRow | None:
    """One digest by id."""
    row = session.get(Digest, digest_id)
    return None if row is None else _row(row)


def find(session: Session, workshop_id: int, period: str) -> DigestRow | None:
    """The digest of ``(workshop, period)``, if claimed."""
    row = session.exec(
        select(Digest).where(Digest.workshop_id == workshop_id, Digest.period == period)
    ).first()
    return None if row is None else _row(row)


def set_draft(session: Session, digest_id: int, body: dict[str, Any]) -> None:
    """Store a drafted body and mark the digest ``draft``."""
    row = session.get(Digest, digest_id)
    assert row is not None
    row.body = body
    row.status = DigestStatus.DRAFT.value
    session.add(row)


def redraft(
    session: Session, digest_id: int, body: dict[str, Any], actor: str, now: datetime
) -> DigestRow:
    """Replace a waiting draft's generated body (its moderators' note stays), audited.

    Raises:
        LookupError: No such digest.
    """
    row = session.get(Digest, digest_id)
    if row is None:
        raise LookupError(digest_id)
    kept = {"note": row.body["note"]} if row.body.get("note") else {}
    row.body = {**body, **kept}
    row.status = DigestStatus.DRAFT.value
    session.add(row)
    audit(session, row.workshop_id, actor, "digest.redraft", {"period": row.period}, now)
    return _row(row)


def approve(session: Session, digest_id: int, actor: str, now: datetime) -> DigestRow:
    """Approve a draft for posting (audited).

    Raises:
        LookupError: No such digest.
        ValueError: It is not a draft.
    """
    row = session.get(Digest, digest_id)
    if row is None:
        raise LookupError(digest_id)
    if row.status != DigestStatus.DRAFT.value:
        raise ValueError(f"digest {row.period} is {row.status}, not a draft")
    row.status = DigestStatus.APPROVED.value
    row.approved_by = actor
    row.approved_at = now
    session.add(row)
    audit(session, row.workshop_id, actor, "digest.approve", {"period": row.period}, now)
    return _row(row)


def skip(session: Session, digest_id: int, actor: str, now: datetime) -> None:
    """Skip a draft: it will never be posted (audited)."""
    row = session.get(Digest, digest_id)
    if row is None:
        raise LookupError(digest_id)
    row.status = DigestStatus.SKIPPED.value
    session.add(row)
    audit(session, row.workshop_id, actor, "digest.skip", {"period": row.period}, now)


def edit(session: Session, digest_id: int, intro: str, actor: str, now: datetime) -> None:
    """Add a moderator's note to a draft (audited); the generated sections stay as they are."""
    row = session.get(Digest, digest_id)
    if row is None:
        raise LookupError(digest_id)
    body = dict(row.body)
    body["note"] = intro
    row.body = body
    session.add(row)
    audit(session, row.workshop_id, actor, "digest.edit", {"period": row.period}, now)


def start_posting(session: Session, digest_id: int, now: datetime) -> bool:
    """Record that an approved digest is about to be posted; ``False`` if it is not approved.

    Written before the platform call, so that after a crash the reconciler knows
    the digest may already be visible and looks for it before posting again.
    """
    result = session.execute(
        update(Digest)
        .where(
            col(Digest.id) == digest_id,
            col(Digest.status).in_((DigestStatus.APPROVED.value, DigestStatus.POSTING.value)),
        )
        .values(status=DigestStatus.POSTING.value, posted_at=now)
        .execution_options(synchronize_session="fetch")
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def posting_interrupted(session: Session, digest_id: int) -> None:
    """Forget when a failed post started: it stays ``posting``, for the reconciler at once."""
    session.execute(
        update(Digest)
        .where(col(Digest.id) == digest_id, col(Digest.status) == DigestStatus.POSTING.value)
        .values(posted_at=None)
        .execution_options(synchronize_session="fetch")
    )


def mark_posted(
    session: Session, digest_id: int, message_id: str, actor: str, now: datetime
) -> bool:
    """Mark a digest posted by ``actor``; ``False`` if another process already did.

    The row's ``claimed_by`` becomes the poster (a replica may finish a digest
    another one claimed); the audit row keeps who claimed it.
    """
    row = session.get(Digest, digest_id)
    if row is None or row.status == POSTED:
        return False
    claimer = row.claimed_by
    result = session.execute(
        update(Digest)
        .where(col(Digest.id) == digest_id, col(Digest.status) != DigestStatus.POSTED.value)
        .values(
            status=DigestStatus.POSTED.value,
            platform_message_id=message_id,
            posted_at=now,
            claimed_by=actor,
        )
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:  # type: ignore[attr-defined]
        detail = {"period": row.period, "claimed_by": claimer}
        audit(session, row.workshop_id, actor, "digest.post", detail, now)
        return True
    return False


def unfinished(session: Session) -> list[DigestRow]:
    """Digests claimed but not yet posted or skipped (for the reconciler)."""
    rows = session.exec(
        select(Digest)
        .where(
            col(Digest.status).in_(
                (
                    DigestStatus.CLAIMED.value,
                    DigestStatus.DRAFT.value,
                    DigestStatus.APPROVED.value,
                    DigestStatus.POSTING.value,
                )
            )
        )
        .order_by(col(Digest.id))
    ).all()
    return [_row(r) for r in rows]


def latest_posted(session: Session, workshop_id: int) -> DigestRow | None:
    """The most recent posted digest of a workshop (for "new since the last digest")."""
    row = session.exec(
        select(Digest)
        .where(Digest.workshop_id == workshop_id, Digest.status == DigestStatus.POSTED.value)
        .order_by(col(Digest.posted_at).desc())
    ).first()
    return None if row is None else _row(row)


def redraft_unposted(session: Session, workshop_id: int) -> int:
    """Send unposted drafts of a workshop back to ``claimed`` (after ``forget me``)."""
    result = session.execute(
        update(Digest)
        .where(
            col(Digest.workshop_id) == workshop_id,
            col(Digest.status).in_((DigestStatus.DRAFT.value, DigestStatus.APPROVED.value)),
        )
        .values(status=DigestStatus.CLAIMED.value, body={})
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def latest_draft(session: Session, workshop_id: int) -> DigestRow | None:
    """The newest digest of a workshop waiting for review."""
    row = session.exec(
        select(Digest)
        .where(Digest.workshop_id == workshop_id, Digest.status == DigestStatus.DRAFT.value)
        .order_by(col(Digest.id).desc())
    ).first()
    return None if row is None else _row(row)
