"""A poster that records what the scheduler sent, with the (fake) time it was sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.scheduler.keys import PostKey
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
    key: PostKey | None = None
    message_id: str = ""


@dataclass
class RecordingPoster:
    """Records digests, drafts and reminders; can fail on demand to test retries."""

    clock: Callable[[], datetime]
    sent: list[Sent] = field(default_factory=list)
    fail_next_posts: int = 0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    #: Deliver reminders of this platform's participants only (``None``: all).
    platform: str | None = None

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
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
                    key=key,
                    message_id=f"msg-{len(self.sent) + 1}",
                )
            )
            return f"msg-{len(self.sent)}"

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """The id of a recorded digest with ``key``."""
        return next((s.message_id for s in self.of("digest") if s.key == key), None)

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Record a review request."""
        self.sent.append(Sent("draft", workshop.slug, self.clock(), text))

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Record a reminder."""
        message_id = f"msg-{len(self.sent) + 1}"
        self.sent.append(
            Sent(
                "reminder",
                workshop.slug,
                self.clock(),
                text,
                address=target.address,
                key=key,
                message_id=message_id,
            )
        )
        return message_id

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The id of a recorded reminder with ``key``."""
        return next((s.message_id for s in self.of("reminder") if s.key == key), None)

    def of(self, kind: str) -> list[Sent]:
        """Everything of one kind, in order."""
        return [s for s in self.sent if s.kind == kind]
