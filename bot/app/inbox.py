"""The inbox and outbox for adapters: events kept from before their ack, replies until sent.

The rules live in :mod:`storage.inbox`; this is the app layer's asynchronous
face on them (adapters reach storage only through here). How a turn stores its
replies with itself is :class:`~bot.app.events.TurnOutbox`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

from storage.clock import utcnow
from storage.inbox import (
    InboxItem,
    InboxStatus,
    OutboxItem,
    OutboxStatus,
    Outgoing,
    Received,
)

if TYPE_CHECKING:
    from storage.store import Store

__all__ = [
    "EventInbox",
    "InboxItem",
    "InboxStatus",
    "OutboxItem",
    "OutboxStatus",
    "Outgoing",
    "Received",
]


class EventInbox:
    """One platform's inbox and outbox in the store (every call off the event loop).

    Args:
        store: The database.
        platform: The adapter's platform (``slack``, ``discord``).
    """

    def __init__(self, store: Store, platform: str) -> None:
        self._inbox = store.inbox
        self.platform = platform

    async def receive(
        self, dedupe_key: str, payload: str, *, order_key: str | None = None
    ) -> Received:
        """Store a delivery durably before it is acknowledged (group-committed).

        ``order_key`` (the sender) keeps one person's rows in arrival order.
        """
        return await self._inbox.receive_async(
            self.platform, dedupe_key, payload, order_key=order_key
        )

    async def begin(self, inbox_id: int) -> InboxItem | None:
        """Count an attempt at a waiting row; ``None`` if it was handled meanwhile."""
        return await asyncio.to_thread(self._inbox.begin, inbox_id)

    async def complete(self, inbox_id: int, messages: Sequence[Outgoing]) -> list[int] | None:
        """Close a row and queue its replies in one transaction (``None``: it was closed)."""
        return await self._inbox.complete_async(inbox_id, messages)

    async def fail(self, inbox_id: int, note: str) -> None:
        """Give up on a row that can never be handled (``note``: why, without content)."""
        await asyncio.to_thread(self._inbox.fail, inbox_id, note)

    async def unfinished(self) -> list[InboxItem]:
        """Rows a dead process left waiting, oldest first."""
        return await asyncio.to_thread(self._inbox.unfinished, self.platform)

    async def outbox_of(self, inbox_id: int) -> list[OutboxItem]:
        """The replies queued for one event, in order."""
        return await asyncio.to_thread(self._inbox.outbox_of, inbox_id)

    async def unsent(self) -> list[OutboxItem]:
        """Replies still pending, in queue order."""
        return await asyncio.to_thread(self._inbox.unsent, self.platform)

    async def mark_sent(self, outbox_id: int, platform_ref: str | None) -> bool:
        """Record that the platform accepted a reply."""
        return await self._inbox.mark_sent_async(outbox_id, platform_ref)

    async def mark_failed(self, outbox_id: int) -> None:
        """Record that the platform refused a reply for good."""
        await asyncio.to_thread(self._inbox.mark_failed, outbox_id)

    async def counts(self) -> dict[str, int]:
        """Rows per status (``inbox.received``, ``outbox.sent``, …)."""
        return await asyncio.to_thread(self._inbox.counts, self.platform)

    async def prune(self, older_than: timedelta) -> int:
        """Delete handled rows (and their sent replies) finished more than ``older_than`` ago."""
        return await asyncio.to_thread(self._inbox.prune, self.platform, utcnow() - older_than)
