"""What Slack says about a user (admin flag, locale) and their DM channel with the bot, cached."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from bot.adapters.slack.outbox import Outbox

log = logging.getLogger(__name__)

#: How long users.info answers (admin flag, locale) are trusted.
USER_CACHE_SECONDS = 300.0


@dataclass(frozen=True)
class UserInfo:
    """What ``users.info`` says about a user that the core needs."""

    is_admin: bool
    locale: str | None


class SlackPeople:
    """``users.info`` and ``conversations.open`` answers, through the outbox's sender.

    Args:
        outbox: Where Web API calls go.
        cache_seconds: How long a ``users.info`` answer is reused.
    """

    def __init__(self, outbox: Outbox, cache_seconds: float = USER_CACHE_SECONDS) -> None:
        self.outbox = outbox
        self.cache_seconds = cache_seconds
        self._users: dict[str, tuple[float, UserInfo]] = {}
        self._dms: dict[str, str] = {}

    def forget(self) -> None:
        """Drop every cached answer (the next request asks Slack again)."""
        self._users.clear()
        self._dms.clear()

    async def info(self, user: str) -> UserInfo:
        """Admin flag and locale from ``users.info`` (cached; a failure means "not admin")."""
        cached = self._users.get(user)
        now = time.monotonic()
        if cached is not None and now - cached[0] < self.cache_seconds:
            return cached[1]
        client = self.outbox.client
        try:
            response = await self.outbox.sender.call(
                lambda: client.users_info(user=user, include_locale=True), label="users.info"
            )
        except Exception as exc:
            # Kept like an answer, so a missing users:read scope costs one call per user
            # and cache period, not one per message.
            log.warning("users.info failed for a user (%s); treating them as a non-admin", exc)
            self._users[user] = (now, UserInfo(False, None))
            return UserInfo(False, None)
        data = response["user"]
        info = UserInfo(
            is_admin=bool(
                data.get("is_admin") or data.get("is_owner") or data.get("is_primary_owner")
            ),
            locale=data.get("locale"),
        )
        self._users[user] = (now, info)
        return info

    async def dm(self, user: str) -> str:
        """The user's direct-message channel with the bot (``conversations.open``, cached)."""
        found = self._dms.get(user)
        if found is not None:
            return found
        client = self.outbox.client
        response = await self.outbox.sender.call(
            lambda: client.conversations_open(users=user), label="conversations.open"
        )
        channel = str(response["channel"]["id"])
        self._dms[user] = channel
        return channel

    async def address(self, user: str) -> str | None:
        """The user's DM channel for reminders, or ``None`` if Slack will not open one."""
        try:
            return await self.dm(user)
        except Exception as exc:  # e.g. missing_scope without im:write
            log.warning("conversations.open failed (%s); no private address for this user", exc)
            return None
