"""A poster that records what the scheduler sent, with the (fake) time it was sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo


@dataclass
class Sent:
    """One thing the scheduler sent."""

    kind: str
    workshop: str
    at: datetime
    text: str
    period: str | None = None
    png: bytes = b""
    address: str | None = None


@dataclass
class RecordingPoster:
    """Records digests, drafts and reminders; can fail on demand to test retries."""

    clock: Callable[[], datetime]
    sent: list[Sent] = field(default_factory=list)
    fail_next_posts: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Deliver reminders of this platform's participants only (``None``: all).
    platform: str | None = None

    async def post_digest(self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes) -> str:
        """Record a posted digest (or fail, if asked to)."""
        async with self.lock:
            if self.fail_next_posts > 0:
                self.fail_next_posts -= 1
                raise ConnectionError("simulated platform outage")
            self.sent.append(
                Sent(
                    "digest",
                    workshop.slug,
                    self.clock(),
                    str(body.get("text", "")),
                    body.get("period"),
                    png,
                )
            )
            return f"msg-{len(self.sent)}"

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Record a review request."""
        self.sent.append(Sent("draft", workshop.slug, self.clock(), text))

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str
    ) -> None:
        """Record a reminder."""
        self.sent.append(
            Sent("reminder", workshop.slug, self.clock(), text, address=target.address)
        )

    def of(self, kind: str) -> list[Sent]:
        """Everything of one kind, in order."""
        return [s for s in self.sent if s.kind == kind]
