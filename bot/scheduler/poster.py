"""Where scheduled output goes: the interface adapters implement, and a console one."""

from __future__ import annotations

import sys
from typing import Any, Protocol, TextIO

from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo


class Poster(Protocol):
    """What the scheduler needs from a chat platform.

    A poster may have a ``platform`` attribute (``"slack"``, ``"discord"``): then
    only reminders of that platform's participants are claimed and sent through it.
    """

    async def post_digest(self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes) -> str:
        """Post an approved digest to the workshop's channel; return the platform message id."""
        ...

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Show moderators a draft (or any review request)."""
        ...

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str
    ) -> None:
        """Send one participant a gentle reminder at their private address."""
        ...


class ConsolePoster:
    """Writes everything to a stream (the console adapter's "channel")."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self._count = 0

    async def post_digest(self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes) -> str:
        """Print the digest text."""
        self._count += 1
        self.out.write(
            f"[digest {workshop.slug} {body.get('period', '')}]\n{body.get('text', '')}\n\n"
        )
        self.out.flush()
        return f"console-{self._count}"

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Print the review request."""
        self.out.write(f"[moderators of {workshop.slug}]\n{text}\n\n")
        self.out.flush()

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str
    ) -> None:
        """Print the reminder."""
        self.out.write(f"[reminder to {target.address}]\n{text}\n\n")
        self.out.flush()
