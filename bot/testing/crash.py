"""A process that dies right after the platform accepted a post, before the database hears of it."""

from __future__ import annotations

from typing import Any

from bot.scheduler.keys import PostKey
from bot.scheduler.poster import Poster
from storage.schedules import ReminderTarget
from storage.workshops import WorkshopInfo


class ProcessKilled(BaseException):
    """Stands for SIGKILL: no ``except Exception`` sees it, so nothing records the post.

    The only database writes after a platform call are the "posted" records, and
    this skips them exactly as a killed process would.
    """


class DiesAfterPlatformCall:
    """Wraps a real poster: the platform accepts the digest or reminder, then the process dies.

    Attributes:
        poster: The real poster (its platform keeps what it accepted).
        accepted: Message ids the platform returned before each death.
    """

    def __init__(self, poster: Poster) -> None:
        self.poster = poster
        self.platform: str | None = getattr(poster, "platform", None)
        self.accepted: list[str] = []

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Post for real, then die."""
        message_id = await self.poster.post_digest(workshop, body, png, key)
        self.accepted.append(message_id)
        raise ProcessKilled(message_id)

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """Ask the real poster."""
        return await self.poster.find_digest(workshop, key)

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Send for real (drafts are not what this simulates)."""
        await self.poster.send_to_moderators(workshop, text)

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Send for real, then die."""
        message_id = await self.poster.send_reminder(workshop, target, text, key)
        self.accepted.append(message_id)
        raise ProcessKilled(message_id)

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """Ask the real poster."""
        return await self.poster.find_reminder(workshop, target, text, key)
