"""The inbox and the outbox: nothing a platform delivered is lost, no reply is sent twice.

An adapter stores every verified event in the inbox (:func:`receive`, its raw
payload under the platform's dedupe key) *before* it acknowledges it, and
handles it from there. The turn an event causes writes its replies to the
outbox and closes the inbox row in the same transaction (:func:`complete`,
called from the turn's own session), so either both the turn and its replies
are stored or neither is. A reply is marked sent (:func:`mark_sent`) once the
platform accepted it. On start an adapter finishes what a dead process left:
inbox rows still ``received`` (:func:`unfinished`) and outbox rows still
``pending`` (:func:`unsent`).

The tables are platform-neutral: ``platform`` names the adapter, and the
destination and payload of an outbox row are whatever the adapter needs to
send it again. Every function runs in the caller's transaction and uses Core
statements only, so it may run inside a group commit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Table, delete, func, select, update
from sqlmodel import Session

from storage.clock import utcnow
from storage.group_commit import GroupCommitter
from storage.models import InboxEvent, OutboxMessage
from storage.upsert import insert_ignore

_INBOX: Table = InboxEvent.__table__  # type: ignore[attr-defined]
_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[attr-defined]


class InboxStatus(StrEnum):
    """Where an inbox row is: waiting to be handled, handled, or given up on."""

    RECEIVED = "received"
    DONE = "done"
    FAILED = "failed"


class OutboxStatus(StrEnum):
    """Where an outbox row is: waiting to be sent, accepted by the platform, or refused."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


@dataclass(frozen=True)
class InboxItem:
    """One stored platform event."""

    id: int
    platform: str
    dedupe_key: str
    payload: str
    status: InboxStatus
    attempts: int
    received_at: datetime


@dataclass(frozen=True)
class Outgoing:
    """A reply an adapter wants sent: where to, and what (both in the adapter's own terms)."""

    destination: str
    payload: str


@dataclass(frozen=True)
class OutboxItem:
    """One stored reply, in the order of its event (``seq``)."""

    id: int
    platform: str
    inbox_id: int | None
    seq: int
    destination: str
    payload: str
    status: OutboxStatus
    attempts: int
    platform_ref: str | None


@dataclass(frozen=True)
class Received:
    """What :func:`receive` found: the row, and whether this delivery created it."""

    item: InboxItem
    fresh: bool


def receive(
    session: Session, platform: str, dedupe_key: str, payload: str, now: datetime
) -> Received:
    """Store a delivery unless its dedupe key was stored before; return the row either way."""
    inserted = insert_ignore(
        session,
        _INBOX,
        {
            "platform": platform,
            "dedupe_key": dedupe_key,
            "payload": payload,
            "status": InboxStatus.RECEIVED.value,
            "attempts": 0,
            "received_at": now,
        },
        ["platform", "dedupe_key"],
    )
    row = session.execute(
        select(_INBOX).where(_INBOX.c.platform == platform, _INBOX.c.dedupe_key == dedupe_key)
    ).one()
    return Received(item=_inbox_item(row._mapping), fresh=inserted is not None)


def begin(session: Session, inbox_id: int) -> InboxItem | None:
    """Count one more attempt at a ``received`` row; ``None`` if it is no longer waiting."""
    session.execute(
        update(_INBOX)
        .where(_INBOX.c.id == inbox_id, _INBOX.c.status == InboxStatus.RECEIVED.value)
        .values(attempts=_INBOX.c.attempts + 1)
    )
    item = get(session, inbox_id)
    return item if item is not None and item.status == InboxStatus.RECEIVED else None


def get(session: Session, inbox_id: int) -> InboxItem | None:
    """The inbox row ``inbox_id``, if it exists."""
    row = session.execute(select(_INBOX).where(_INBOX.c.id == inbox_id)).first()
    return None if row is None else _inbox_item(row._mapping)


def complete(
    session: Session,
    inbox_id: int,
    messages: Sequence[Outgoing],
    now: datetime,
) -> list[int] | None:
    """Close a ``received`` row and queue its replies, in the caller's transaction.

    Call it in the transaction of the turn the event caused, so the turn and
    its replies are stored together.

    Returns:
        The outbox ids in order, or ``None`` when the row was already closed
        (then nothing is written: a second handling queues no second reply).
    """
    closed = session.execute(
        update(_INBOX)
        .where(_INBOX.c.id == inbox_id, _INBOX.c.status == InboxStatus.RECEIVED.value)
        .values(status=InboxStatus.DONE.value, finished_at=now)
    )
    if _changed(closed) != 1:
        return None
    platform = session.execute(
        select(_INBOX.c.platform).where(_INBOX.c.id == inbox_id)
    ).scalar_one()
    ids: list[int] = []
    for seq, message in enumerate(messages):
        new_id = session.execute(
            _OUTBOX.insert()
            .values(
                platform=platform,
                inbox_id=inbox_id,
                seq=seq,
                destination=message.destination,
                payload=message.payload,
                status=OutboxStatus.PENDING.value,
                attempts=0,
                created_at=now,
            )
            .returning(_OUTBOX.c.id)
        ).scalar_one()
        ids.append(int(new_id))
    return ids


def fail(session: Session, inbox_id: int, note: str, now: datetime) -> None:
    """Give up on a ``received`` row (it can never be handled); ``note`` says why (no content)."""
    session.execute(
        update(_INBOX)
        .where(_INBOX.c.id == inbox_id, _INBOX.c.status == InboxStatus.RECEIVED.value)
        .values(status=InboxStatus.FAILED.value, note=note[:200], finished_at=now)
    )


def unfinished(session: Session, platform: str, limit: int = 1000) -> list[InboxItem]:
    """Rows of ``platform`` still ``received``, oldest first."""
    rows = session.execute(
        select(_INBOX)
        .where(_INBOX.c.platform == platform, _INBOX.c.status == InboxStatus.RECEIVED.value)
        .order_by(_INBOX.c.id)
        .limit(limit)
    )
    return [_inbox_item(row._mapping) for row in rows]


def outbox_of(session: Session, inbox_id: int) -> list[OutboxItem]:
    """Every reply queued for one event, in order."""
    rows = session.execute(
        select(_OUTBOX).where(_OUTBOX.c.inbox_id == inbox_id).order_by(_OUTBOX.c.seq)
    )
    return [_outbox_item(row._mapping) for row in rows]


def unsent(session: Session, platform: str, limit: int = 1000) -> list[OutboxItem]:
    """Replies of ``platform`` still ``pending``, in the order they were queued."""
    rows = session.execute(
        select(_OUTBOX)
        .where(_OUTBOX.c.platform == platform, _OUTBOX.c.status == OutboxStatus.PENDING.value)
        .order_by(_OUTBOX.c.id)
        .limit(limit)
    )
    return [_outbox_item(row._mapping) for row in rows]


def attempt(session: Session, outbox_id: int) -> None:
    """Count one more send attempt (a later start then looks on the platform before resending)."""
    session.execute(
        update(_OUTBOX).where(_OUTBOX.c.id == outbox_id).values(attempts=_OUTBOX.c.attempts + 1)
    )


def mark_sent(session: Session, outbox_id: int, platform_ref: str | None, now: datetime) -> bool:
    """Record that the platform accepted a reply; ``False`` if it was not pending."""
    done = session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == outbox_id, _OUTBOX.c.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.SENT.value, platform_ref=platform_ref, sent_at=now)
    )
    return _changed(done) == 1


def mark_failed(session: Session, outbox_id: int, now: datetime) -> None:
    """Record that the platform refused a reply for good (it is not retried)."""
    session.execute(
        update(_OUTBOX)
        .where(_OUTBOX.c.id == outbox_id, _OUTBOX.c.status == OutboxStatus.PENDING.value)
        .values(status=OutboxStatus.FAILED.value, sent_at=now)
    )


def counts(session: Session, platform: str) -> dict[str, int]:
    """How many inbox and outbox rows of ``platform`` are in each status (``inbox.done``, …)."""
    found: dict[str, int] = {}
    for name, table in (("inbox", _INBOX), ("outbox", _OUTBOX)):
        rows = session.execute(
            select(table.c.status, func.count())
            .where(table.c.platform == platform)
            .group_by(table.c.status)
        )
        for status, count in rows:
            found[f"{name}.{status}"] = int(count)
    return found


def prune(session: Session, platform: str, before: datetime) -> int:
    """Delete finished rows of ``platform`` older than ``before``; return how many inbox rows."""
    old = (
        select(_INBOX.c.id)
        .where(
            _INBOX.c.platform == platform,
            _INBOX.c.status != InboxStatus.RECEIVED.value,
            _INBOX.c.finished_at < before,
        )
        .scalar_subquery()
    )
    waiting = (
        select(_OUTBOX.c.inbox_id)
        .where(_OUTBOX.c.status == OutboxStatus.PENDING.value, _OUTBOX.c.inbox_id.is_not(None))
        .scalar_subquery()
    )
    session.execute(
        delete(_OUTBOX).where(
            _OUTBOX.c.inbox_id.in_(old), _OUTBOX.c.status != OutboxStatus.PENDING.value
        )
    )
    gone = session.execute(delete(_INBOX).where(_INBOX.c.id.in_(old), _INBOX.c.id.not_in(waiting)))
    return _changed(gone)


def _changed(result: Any) -> int:
    """Rows an UPDATE or DELETE touched (``Session.execute`` types it as a plain ``Result``)."""
    return int(result.rowcount or 0)


def _inbox_item(row: Any) -> InboxItem:
    return InboxItem(
        id=int(row["id"]),
        platform=str(row["platform"]),
        dedupe_key=str(row["dedupe_key"]),
        payload=str(row["payload"]),
        status=InboxStatus(row["status"]),
        attempts=int(row["attempts"]),
        received_at=row["received_at"],
    )


def _outbox_item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=int(row["id"]),
        platform=str(row["platform"]),
        inbox_id=None if row["inbox_id"] is None else int(row["inbox_id"]),
        seq=int(row["seq"]),
        destination=str(row["destination"]),
        payload=str(row["payload"]),
        status=OutboxStatus(row["status"]),
        attempts=int(row["attempts"]),
        platform_ref=row["platform_ref"],
    )


class Inbox:
    """The inbox and outbox of one database, for adapters (each call is its own transaction).

    Args:
        session: Opens a session in one transaction (``Store.session``).
        committer: The store's group committer: :meth:`receive_async` shares
            commits with concurrent turns, so a burst of events costs few fsyncs.
    """

    def __init__(
        self,
        session: Callable[[], AbstractContextManager[Session]],
        committer: GroupCommitter,
    ) -> None:
        self._session = session
        self._committer = committer

    def receive(self, platform: str, dedupe_key: str, payload: str) -> Received:
        """Store a delivery durably (see :func:`receive`)."""
        with self._session() as session:
            return receive(session, platform, dedupe_key, payload, utcnow())

    async def receive_async(
        self, platform: str, dedupe_key: str, payload: str, *, order_key: str | None = None
    ) -> Received:
        """:meth:`receive` through the group committer; returns once the row is durable.

        Rows with the same ``order_key`` (one person's events) are written in the
        order they were submitted.
        """
        now = utcnow()

        def work(session: Session) -> Received:
            return receive(session, platform, dedupe_key, payload, now)

        key = f"{platform}:{order_key if order_key is not None else dedupe_key}"
        return await self._committer.submit_async(key, work)

    def begin(self, inbox_id: int) -> InboxItem | None:
        """Count an attempt (see :func:`begin`)."""
        with self._session() as session:
            return begin(session, inbox_id)

    def get(self, inbox_id: int) -> InboxItem | None:
        """One inbox row."""
        with self._session() as session:
            return get(session, inbox_id)

    def complete(self, inbox_id: int, messages: Sequence[Outgoing]) -> list[int] | None:
        """Close a row and queue its replies in one transaction (see :func:`complete`)."""
        with self._session() as session:
            return complete(session, inbox_id, messages, utcnow())

    def fail(self, inbox_id: int, note: str) -> None:
        """Give up on a row (see :func:`fail`)."""
        with self._session() as session:
            fail(session, inbox_id, note, utcnow())

    def unfinished(self, platform: str, limit: int = 1000) -> list[InboxItem]:
        """Rows still waiting, oldest first."""
        with self._session() as session:
            return unfinished(session, platform, limit)

    def outbox_of(self, inbox_id: int) -> list[OutboxItem]:
        """The replies of one event, in order."""
        with self._session() as session:
            return outbox_of(session, inbox_id)

    def unsent(self, platform: str, limit: int = 1000) -> list[OutboxItem]:
        """Replies still pending, in queue order."""
        with self._session() as session:
            return unsent(session, platform, limit)

    def attempt(self, outbox_id: int) -> None:
        """Count a send attempt."""
        with self._session() as session:
            attempt(session, outbox_id)

    async def complete_async(self, inbox_id: int, messages: Sequence[Outgoing]) -> list[int] | None:
        """:meth:`complete` through the group committer (shares commits with turns)."""
        now = utcnow()

        def work(session: Session) -> list[int] | None:
            return complete(session, inbox_id, messages, now)

        return await self._committer.submit_async(f"inbox:{inbox_id}", work)

    async def mark_sent_async(self, outbox_id: int, platform_ref: str | None = None) -> bool:
        """:meth:`mark_sent` through the group committer (shares commits with turns)."""
        now = utcnow()

        def work(session: Session) -> bool:
            return mark_sent(session, outbox_id, platform_ref, now)

        return await self._committer.submit_async(f"outbox:{outbox_id}", work)

    def mark_sent(self, outbox_id: int, platform_ref: str | None = None) -> bool:
        """Record that the platform accepted a reply."""
        with self._session() as session:
            return mark_sent(session, outbox_id, platform_ref, utcnow())

    def mark_failed(self, outbox_id: int) -> None:
        """Record that the platform refused a reply for good."""
        with self._session() as session:
            mark_failed(session, outbox_id, utcnow())

    def counts(self, platform: str) -> dict[str, int]:
        """Rows per status (``inbox.received``, ``outbox.sent``, …)."""
        with self._session() as session:
            return counts(session, platform)

    def prune(self, platform: str, before: datetime) -> int:
        """Delete finished rows older than ``before``."""
        with self._session() as session:
            return prune(session, platform, before)
