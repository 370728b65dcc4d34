"""Who the bot is in a workspace (``auth.test``), cached per team and refreshed with backoff.

slack-bolt asks ``auth.test`` before every request until one answer is cached,
so a burst after start made one call per request, and a 500 or 429 there made
Bolt answer the event with a ":warning: …your installation… is no longer
available" message: Slack saw a 200 and never resent it. Here:

* one answer per team is kept for :data:`AUTH_CACHE_SECONDS`; concurrent
  requests for a team wait for one call (single flight);
* the call goes through the :class:`~bot.adapters.slack.sender.SlackSender`,
  so a 429 waits ``Retry-After`` and a 5xx or network error is retried with
  exponential backoff, like every other Web API call;
* a stale answer is used while a fresh one is fetched in the background, so a
  hiccup at refresh time delays nothing;
* only a permanent refusal (``invalid_auth``, ``account_inactive``…) raises
  :class:`AuthRefused`; the event then stays in the inbox for the next start.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.sender import SlackSender

log = logging.getLogger(__name__)

#: How long an ``auth.test`` answer is trusted before it is refreshed (in the background).
AUTH_CACHE_SECONDS = 3600.0


@dataclass(frozen=True)
class Authorization:
    """What ``auth.test`` says about the bot in one workspace."""

    team_id: str
    bot_user_id: str
    bot_id: str
    user: str


class AuthRefused(Exception):
    """Slack refused the bot token for good (it was revoked, or the app uninstalled)."""


@dataclass
class _Cached:
    auth: Authorization
    at: float


class TeamAuth:
    """``auth.test`` answers per team (see the module docstring).

    Args:
        client: The Web API client.
        sender: The rate-limited sender every call goes through.
        cache_seconds: How long an answer is used before it is refreshed.
        clock: Monotonic time source.
    """

    def __init__(
        self,
        client: AsyncWebClient,
        sender: SlackSender,
        *,
        cache_seconds: float = AUTH_CACHE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.sender = sender
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._teams: dict[str, _Cached] = {}
        self._pending: dict[str, asyncio.Future[Authorization]] = {}
        #: ``auth.test`` calls started (one per refresh, however many requests wait).
        self.calls = 0

    async def check(self) -> Authorization:
        """Ask ``auth.test`` now (at start) and keep the answer for its team.

        Raises:
            SlackApiError: Slack refused the token (a transient error is retried).
        """
        auth = _authorization(await self._call())
        self._keep(auth, "")
        return auth

    async def of(self, team: str) -> Authorization:
        """The bot's authorization for ``team`` (cached; waits only when nothing is cached).

        Raises:
            AuthRefused: Slack refused the token for good.
        """
        cached = self._teams.get(team)
        if cached is not None:
            if self._clock() - cached.at >= self.cache_seconds:
                self._refresh(team)  # in the background; the stale answer serves meanwhile
            return cached.auth
        return await asyncio.shield(self._refresh(team))

    def forget(self) -> None:
        """Drop every cached answer (the next request waits for a fresh one)."""
        self._teams.clear()

    def _refresh(self, team: str) -> asyncio.Future[Authorization]:
        pending = self._pending.get(team)
        if pending is None:
            pending = asyncio.ensure_future(self._fetch(team))
            self._pending[team] = pending
            pending.add_done_callback(lambda done: self._settled(team, done))
        return pending

    def _settled(self, team: str, done: asyncio.Future[Authorization]) -> None:
        self._pending.pop(team, None)
        if not done.cancelled() and done.exception() is not None:
            log.error("auth.test failed for a workspace: %s", done.exception())

    async def _fetch(self, team: str) -> Authorization:
        try:
            auth = _authorization(await self._call())
        except SlackApiError as exc:
            raise AuthRefused(str(exc.response.get("error"))) from exc
        self._keep(auth, team)
        return auth

    async def _call(self) -> Any:
        self.calls += 1
        return await self.sender.call(self.client.auth_test, label="auth.test")

    def _keep(self, auth: Authorization, team: str) -> None:
        entry = _Cached(auth, self._clock())
        # Under the team asked for, the team Slack named, and "" (requests naming none).
        for key in {team, auth.team_id, ""}:
            self._teams[key] = entry


def _authorization(response: Any) -> Authorization:
    return Authorization(
        team_id=str(response.get("team_id") or ""),
        bot_user_id=str(response.get("user_id") or ""),
        bot_id=str(response.get("bot_id") or ""),
        user=str(response.get("user") or ""),
    )
