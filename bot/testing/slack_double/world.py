"""The Slack double's state: users, messages, views, files, faults, and queries on them.

Build what a test needs with :meth:`SlackWorld.add_user`, inject faults with
:meth:`~SlackWorld.rate_limit`, :meth:`~SlackWorld.fail`, :meth:`~SlackWorld.refuse`
and :meth:`~SlackWorld.delay`, and read what the app did with
:meth:`~SlackWorld.calls_to`, :meth:`~SlackWorld.posted`, :meth:`~SlackWorld.message`
and :meth:`~SlackWorld.wait_for`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from collections import defaultdict
from typing import Any

from aiohttp import web

from bot.testing.slack_double.records import ApiCall, Fault, Message


class SlackWorld:
    """The loopback Slack Web API (see :mod:`bot.testing.slack_api`).

    Args:
        token: The bot token the app must send.
        app_token: The app-level token (``apps.connections.open``).
        post_interval: Minimum seconds between two accepted ``chat.postMessage``
            calls in one channel (Slack: about 1); ``None`` turns the check off.
        team_id: Workspace id in answers.
        bot_user_id: The bot's user id (``auth.test``).
        bot_id: The bot id (``auth.test``).
    """

    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",
        app_token: str = "xapp-test-token",
        post_interval: float | None = 1.0,
        team_id: str = "T0CITY",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
    ) -> None:
        self.token = token
        self.app_token = app_token
        self.post_interval = post_interval
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.calls: list[ApiCall] = []
        self.messages: list[Message] = []
        self._by_channel: dict[str, list[Message]] = defaultdict(list)
        self.ephemeral: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []
        self.uploads: dict[str, bytes] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.responses: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.users: dict[str, dict[str, Any]] = {}
        #: Channels the bot is not a member of (posting there gets ``not_in_channel``).
        self.not_member: set[str] = set()
        #: ``chat.postMessage`` calls refused because the channel was posted to too fast.
        self.limit_violations = 0
        self._faults: list[Fault] = []
        self._delays: dict[str, float] = {}
        self._last_post: dict[str, float] = {}
        self._by_ts: dict[tuple[str, str], Message] = {}
        self._ids = itertools.count(1)
        self._ts_clock = 1_700_000_000.0
        self._runner: web.AppRunner | None = None
        self._host = "127.0.0.1"
        self.port: int | None = None
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        #: Socket Mode acks: ``envelope_id -> (monotonic time, ack message)``.
        self.socket_acks: dict[str, tuple[float, dict[str, Any]]] = {}
        self.socket_sent: dict[str, float] = {}

    @property
    def url(self) -> str:
        """``http://host:port`` of the double."""
        return f"http://{self._host}:{self.port}"

    @property
    def api_url(self) -> str:
        """The Web API base URL (``…/api/``) for ``AsyncWebClient(base_url=…)``."""
        return f"{self.url}/api/"

    def response_url(self, key: str) -> str:
        """A ``response_url`` for a command or interaction; posts land in :attr:`responses`."""
        return f"{self.url}/response/{key}"

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        is_admin: bool = False,
        is_owner: bool = False,
        locale: str = "en-US",
    ) -> None:
        """Make ``users.info`` know a user."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or user_id.lower(),
            "real_name": name or user_id,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_primary_owner": False,
            "is_bot": False,
            "locale": locale,
            "tz": "Europe/Berlin",
        }

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The direct-message channel ``conversations.open`` gives for a user."""
        return f"D{user_id}"

    def rate_limit(
        self,
        method: str = "chat.postMessage",
        *,
        retry_after: float = 1,
        seconds: float | None = None,
        calls: int | None = None,
        channel: str | None = None,
    ) -> None:
        """Answer ``method`` with 429 and ``Retry-After`` for ``seconds`` or the next ``calls``."""
        self._add_fault(method, 429, retry_after, seconds, calls, channel)

    def fail(
        self,
        method: str = "chat.postMessage",
        *,
        status: int = 500,
        calls: int = 1,
        seconds: float | None = None,
        channel: str | None = None,
    ) -> None:
        """Answer ``method`` with ``status`` (5xx) for the next ``calls`` (or ``seconds``)."""
        self._add_fault(method, status, None, seconds, None if seconds else calls, channel)

    def refuse(
        self,
        method: str,
        error: str,
        *,
        calls: int | None = None,
        seconds: float | None = None,
        channel: str | None = None,
    ) -> None:
        """Answer ``method`` with HTTP 200 and ``{"ok": false, "error": error}``.

        For the next ``calls``, for ``seconds``, or (neither given) always: a
        permanent error such as ``missing_scope`` or ``channel_not_found``.
        """
        if calls is None and seconds is None:
            seconds = float("inf")
        self._add_fault(method, 200, None, seconds, calls, channel)
        self._faults[-1].error = error

    def delay(self, method: str, seconds: float) -> None:
        """Wait ``seconds`` before answering every call of ``method`` (0 turns it off)."""
        self._delays[method] = seconds

    def _add_fault(
        self,
        method: str,
        status: int,
        retry_after: float | None,
        seconds: float | None,
        calls: int | None,
        channel: str | None,
    ) -> None:
        if seconds is None and calls is None:
            raise ValueError("give seconds or calls")
        until = time.monotonic() + seconds if seconds is not None else None
        self._faults.append(Fault(method, status, retry_after, until, calls, channel))

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[ApiCall]:
        """Calls of one method (only accepted or only refused ones, if ``ok`` is given)."""
        return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def posted(self, channel: str | None = None) -> list[Message]:
        """Accepted messages (of one channel), in the order they were accepted."""
        if channel is None:
            return list(self.messages)
        return list(self._by_channel.get(channel, ()))

    def message(self, channel: str, ts: str) -> Message | None:
        """The message ``ts`` of ``channel``, as currently shown."""
        return self._by_ts.get((channel, ts))

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Wait until ``predicate()`` is true (re-checked after every call), or time out.

        Raises:
            TimeoutError: Still false after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the Slack double never saw what the test waited for")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), min(remaining, 0.25))

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _next_ts(self) -> str:
        self._ts_clock += 0.000100
        return f"{self._ts_clock:.6f}"
