"""Where scheduled output goes: the interface adapters implement, and a console one."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Protocol, TextIO

from bot.scheduler.keys import PostKey
from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo


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


def console_marks_path(database_url: str) -> Path | None:
    """Where the console poster keeps its marks: next to a SQLite file, else nowhere."""
    prefix = "sqlite:///"
    if not database_url.startswith(prefix) or ":memory:" in database_url:
        return None
    database = Path(database_url[len(prefix) :].split("?", 1)[0])
    return database.with_name(database.name + ".posted")


class ConsolePoster:
    """Writes everything to a stream (the console adapter's "channel").

    A stream cannot be read back, so before printing a digest or a reminder the
    poster appends its key to ``marks`` (a file, flushed to disk): after a crash
    the key is found there and nothing is printed twice. A crash between the mark
    and the print loses that print instead (at most once, on the console).

    Args:
        out: The stream (standard output by default).
        marks: The marks file; ``None`` keeps marks in memory (this process only).
    """

    def __init__(self, out: TextIO | None = None, marks: Path | None = None) -> None:
        self.out = out or sys.stdout
        self.marks = marks
        self._memory: dict[str, str] = {}
        self._count = 0

    def _seen(self, key: PostKey) -> str | None:
        if self.marks is None or not self.marks.exists():
            return self._memory.get(f"{key.event}:{key.value}")
        for line in self.marks.read_text(encoding="utf-8").splitlines():
            try:
                mark = json.loads(line)
            except ValueError:
                continue  # a line cut short by a crash
            if mark.get("event") == key.event and mark.get("key") == key.value:
                return str(mark["id"])
        return None

    def _mark(self, key: PostKey) -> str:
        self._count += 1
        message_id = f"console-{key.event}-{key.value}"
        self._memory[f"{key.event}:{key.value}"] = message_id
        if self.marks is not None:
            line = json.dumps({"event": key.event, "key": key.value, "id": message_id})
            with self.marks.open("a", encoding="utf-8") as f:
                f.write(line + "\n")
                f.flush()
                os.fsync(f.fileno())
        return message_id

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Print the digest text (once per key)."""
        seen = self._seen(key)
        if seen is not None:
            return seen
        message_id = self._mark(key)
        self.out.write(
            f"[digest {workshop.slug} {body.get('period', '')}]\n{body.get('text', '')}\n\n"
        )
        self.out.flush()
        return message_id

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
        seen = self._seen(key)
        if seen is not None:
            return seen
        message_id = self._mark(key)
        self.out.write(f"[reminder to {target.address}]\n{text}\n\n")
        self.out.flush()
        return message_id

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The mark of a reminder printed (or about to be printed) with ``key``."""
        return self._seen(key)
