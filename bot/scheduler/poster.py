"""Where scheduled output goes: the interface adapters implement, and a console one."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from bot.scheduler.keys import PostKey
from storage import postmarks
from storage.clock import utcnow
from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo

if TYPE_CHECKING:
    from storage.store import Store


class Poster(Protocol):
    """What the scheduler needs from a chat platform.

    A poster may have a ``platform`` attribute (``"slack"``, ``"discord"``): then
    only reminders of that platform's participants are claimed and sent through it.

    Posts carry a :class:`PostKey`; after a crash between the platform call and
    the database record, the scheduler asks ``find_digest`` / ``find_reminder``
    whether the platform already shows the post before sending it again.
    """

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Post an approved digest to the workshop's channel; return the platform message id."""
        ...

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """The message id of the digest posted with ``key``, if the platform shows it."""
        ...

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Show moderators a draft (or any review request)."""
        ...

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Send one participant a gentle reminder; return the message id (``""``: not sent)."""
        ...

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The message id of the reminder sent with ``key``, if the platform shows it."""
        ...


class ConsolePoster:
    """Writes everything to a stream (the console adapter's "channel").

    A stream cannot be read back, so before printing a digest or a reminder the
    poster marks its key in the database (table ``postmark``): after a crash the
    mark is found and nothing is printed twice. A crash between the mark and the
    print loses that print instead (at most once, on the console).

    Args:
        out: The stream (standard output by default).
        store: Where the marks go; ``None`` keeps them in memory (this process only).
    """

    def __init__(self, out: TextIO | None = None, store: Store | None = None) -> None:
        self.out = out or sys.stdout
        self.store = store
        self._memory: dict[tuple[str, str], str] = {}

    def _seen(self, key: PostKey) -> str | None:
        if self.store is None:
            return self._memory.get((key.event, key.value))
        with self.store.session() as session:
            return postmarks.find(session, key.event, key.value)

    def _mark(self, key: PostKey) -> str | None:
        """Mark ``key`` before printing; the earlier mark's id if it was already marked."""
        message_id = f"console-{key.event}-{key.value}"
        if self.store is None:
            earlier = self._memory.get((key.event, key.value))
            self._memory.setdefault((key.event, key.value), message_id)
            return earlier
        with self.store.session() as session:
            return postmarks.mark(session, key.event, key.value, message_id, utcnow())

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Print the digest text (once per key)."""
        earlier = self._mark(key)
        if earlier is not None:
            return earlier
        self.out.write(
            f"[digest {workshop.slug} {body.get('period', '')}]\n{body.get('text', '')}\n\n"
        )
        self.out.flush()
        return f"console-{key.event}-{key.value}"

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """The mark of a digest printed (or about to be printed) with ``key``."""
        return self._seen(key)

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Print the review request."""
        self.out.write(f"[moderators of {workshop.slug}]\n{text}\n\n")
        self.out.flush()

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Print the reminder (once per key)."""
        earlier = self._mark(key)
        if earlier is not None:
            return earlier
        self.out.write(f"[reminder to {target.address}]\n{text}\n\n")
        self.out.flush()
        return f"console-{key.event}-{key.value}"

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The mark of a reminder printed (or about to be printed) with ``key``."""
        return self._seen(key)
