"""A loopback Discord: the REST API and the gateway websocket, for the unmodified discord.py client.

:class:`FakeDiscord` is an aiohttp server on ``127.0.0.1`` (port 0 by default) that
speaks enough of Discord for a bot to log in, connect, receive dispatches and
answer them:

* REST under ``/api/v10``: the bot user, the application, application-command
  sync, channels, messages (JSON and multipart with attachments), threads,
  thread members, DM channels, interaction callbacks, webhook follow-ups and the
  original response. Every request is recorded (method, path, route template,
  JSON or multipart body, status) for assertions. Answers use the raw shapes of
  ``discord/types`` (see :mod:`bot.testing.discord_payloads`).
* Rate limits as Discord applies them: per-route buckets keyed by the route and
  its major parameter (channel, guild, webhook/interaction), each answer carrying
  ``X-RateLimit-Limit/-Remaining/-Reset/-Reset-After/-Bucket``; a global limit per
  second; and forced 429s on demand (:meth:`FakeDiscord.fail_next`,
  :meth:`FakeDiscord.fail_for`) with Discord's body
  ``{"message": "You are being rate limited.", "retry_after": N, "global": false}``
  and ``Retry-After``. A request past an exhausted bucket gets a real 429 and is
  counted in :attr:`FakeDiscord.violations`.
* Limits checked like Discord (400, code 50035 "Invalid Form Body"): content at
  most 2,000 characters, at most 10 embeds and 6,000 embed characters per
  message (256 per title, 4,096 per description, 2,048 per footer), component
  rows, buttons, selects and modals within their sizes.
* Interactions must be answered within :attr:`FakeDiscord.interaction_deadline`
  seconds (3 by default; later callbacks get 404 "Unknown interaction", code
  10062), once (a second callback gets 400, code 40060); follow-ups need an
  acknowledged interaction.
* The gateway: HELLO (op 10) → IDENTIFY (op 2) → READY (``session_id``,
  ``resume_gateway_url`` pointing back here, guilds unavailable) → GUILD_CREATE per
  guild; heartbeats (op 1 → op 11); RESUME (op 6) replays the dispatches after
  the client's sequence number, then RESUMED; unknown sessions get op 9.
  :meth:`FakeDiscord.drop` closes the socket (code 4000, 1006-style abort),
  sends op 7 RECONNECT or invalidates the session. Without the message content
  intent, guild messages reach the bot without content unless they mention it
  (as on Discord).

Tests drive it with :meth:`FakeDiscord.user_message`, :meth:`FakeDiscord.slash`,
:meth:`FakeDiscord.click`, :meth:`FakeDiscord.choose` and
:meth:`FakeDiscord.submit_modal`, and wait on conditions with
:meth:`FakeDiscord.wait_for`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import math
import re
import secrets
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web

from bot.testing import discord_payloads as p

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"

#: Discord's limits (documentation: "Create Message", "Embed Limits", "Component Reference").
CONTENT_CHARS = 2000
MAX_EMBEDS = 10
EMBED_TOTAL_CHARS = 6000
EMBED_TITLE_CHARS = 256
EMBED_DESCRIPTION_CHARS = 4096
EMBED_FOOTER_CHARS = 2048
EMBED_FIELDS = 25
MAX_ROWS = 5
MAX_ROW_BUTTONS = 5
BUTTON_LABEL_CHARS = 80
CUSTOM_ID_CHARS = 100
SELECT_OPTIONS = 25
SELECT_OPTION_CHARS = 100
SELECT_PLACEHOLDER_CHARS = 150
MODAL_TITLE_CHARS = 45
MODAL_LABEL_CHARS = 45
MAX_ATTACHMENTS = 10
THREAD_NAME_CHARS = 100

Handler = Callable[["_Call"], Awaitable[tuple[int, Any]]]


@dataclass(frozen=True)
class BucketRule:
    """A per-route limit: ``limit`` requests per ``window`` seconds."""

    limit: int
    window: float


#: Default per-route limits (roughly Discord's published/observed values).
DEFAULT_LIMITS: dict[str, BucketRule] = {
    "POST /channels/{channel_id}/messages": BucketRule(5, 5.0),
    "POST /channels/{channel_id}/threads": BucketRule(10, 10.0),
    "POST /users/@me/channels": BucketRule(10, 10.0),
    "POST /webhooks/{application_id}/{token}": BucketRule(5, 2.0),
}
#: Limit for routes not listed above.
OTHER_ROUTES = BucketRule(50, 1.0)
#: Routes outside the global limit (authenticated by token in the path, as on Discord).
_GLOBAL_EXEMPT = ("/interactions/", "/webhooks/")


@dataclass
class UploadedFile:
    """One file of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request the bot made, and how the fake answered."""

    method: str
    path: str
    route: str
    params: dict[str, str]
    query: dict[str, str]
    json: Any
    files: list[UploadedFile]
    at: float
    status: int = 0
    response: Any = None
    rate_limited: bool = False

    @property
    def multipart(self) -> bool:
        """Whether the body was multipart (files attached)."""
        return bool(self.files)


@dataclass
class SentMessage:
    """A message the bot created (channel message, interaction response or follow-up)."""

    id: str
    channel_id: str
    kind: str
    payload: dict[str, Any]
    request: RecordedRequest
    interaction_id: str | None = None

    @property
    def content(self) -> str:
        """The message text."""
        return str(self.payload.get("content", ""))

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The embeds as sent."""
        return list(self.payload.get("embeds", []))

    @property
    def components(self) -> list[dict[str, Any]]:
        """The component rows as sent."""
        return list(self.payload.get("components", []))

    @property
    def flags(self) -> int:
        """Message flags (64 = ephemeral)."""
        return int(self.payload.get("flags", 0))

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user sees it."""
        return bool(self.flags & p.EPHEMERAL)

    @property
    def attachments(self) -> list[dict[str, Any]]:
        """Attachment objects as the API returned them."""
        return list(self.payload.get("attachments", []))

    @property
    def allowed_mentions(self) -> Any:
        """The ``allowed_mentions`` the bot sent (``None`` if it sent none)."""
        body = self.request.json if isinstance(self.request.json, dict) else {}
        inner = body.get("data", body) if self.kind == "response" else body
        return inner.get("allowed_mentions") if isinstance(inner, dict) else None

    def custom_ids(self) -> list[str]:
        """Every component custom id, in order."""
        return [str(c["custom_id"]) for c in p.walk_components(self.components) if "custom_id" in c]

    def component(self, custom_id: str) -> dict[str, Any]:
        """The component with ``custom_id``.

        Raises:
            KeyError: The message has no such component.
        """
        for comp in p.walk_components(self.components):
            if comp.get("custom_id") == custom_id:
                return dict(comp)
        raise KeyError(custom_id)


@dataclass
class InteractionRecord:
    """An interaction the fake dispatched and what the bot did with it."""

    id: str
    token: str
    payload: dict[str, Any]
    dispatched_at: float
    responded_at: float | None = None
    response_type: int | None = None
    response: dict[str, Any] | None = None
    original_id: str | None = None
    original_pending: bool = False
    deferred_flags: int = 0
    deleted_original: bool = False
    followups: list[SentMessage] = field(default_factory=list)

    @property
    def latency(self) -> float | None:
        """Seconds from dispatch to the bot's callback, if it answered."""
        return None if self.responded_at is None else self.responded_at - self.dispatched_at

    @property
    def modal(self) -> dict[str, Any] | None:
        """The modal the bot answered with (callback type 9), if any."""
        if self.response_type == 9 and self.response is not None:
            return dict(self.response.get("data", {}))
        return None


@dataclass
class _Bucket:
    rule: BucketRule
    count: int = 0
    reset_at: float = 0.0
    name: str = ""


@dataclass
class _Forced:
    route: str
    remaining: int | None
    until: float | None
    retry_after: float | None
    is_global: bool


@dataclass
class _Session:
    id: str
    intents: int
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class _Guild:
    id: str
    name: str
    owner_id: str
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    threads: list[str] = field(default_factory=list)


@dataclass
class _Call:
    request: web.Request
    record: RecordedRequest
    params: dict[str, str]


class FakeDiscordError(RuntimeError):
    """The test used the fake wrongly (unknown user, channel, message…)."""


class FakeDiscord:
    """Discord's REST API and gateway on the loopback interface.

    Args:
        token: The bot token the fake accepts.
        bot_name: The bot user's name.
        heartbeat_interval_ms: Sent in HELLO.
        limits: Per-route limits by route template (``"POST /channels/{channel_id}/messages"``),
            merged over :data:`DEFAULT_LIMITS`.
        global_limit: Requests per second across routes (0 = none).
        interaction_deadline: Seconds within which interactions must be answered.
        host: Address to listen on.
        message_content_allowed: Whether the application may use the privileged message
            content intent (if not, IDENTIFY asking for it is closed with 4014, as on Discord).
    """

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_name: str = "CityNeeds",
        heartbeat_interval_ms: int = 41_250,
        limits: Mapping[str, BucketRule] | None = None,
        global_limit: int = 50,
        interaction_deadline: float = 3.0,
        host: str = "127.0.0.1",
        message_content_allowed: bool = True,
    ) -> None:
        self.token = token
        self.message_content_allowed = message_content_allowed
        self.host = host
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.global_limit = global_limit
        self.interaction_deadline = interaction_deadline
        self.ids = p.Snowflakes()
        self.bot_user = p.user(self.ids.next(), bot_name, bot=True)
        self.application_id = str(self.bot_user["id"])
        self.owner = p.user(self.ids.next(), "owner")
        self.users: dict[str, dict[str, Any]] = {
            self.bot_user["id"]: self.bot_user,
            self.owner["id"]: self.owner,
        }
        self.guilds: dict[str, _Guild] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.history: dict[str, list[str]] = {}
        self.dm_channels: dict[str, str] = {}
        self.blocked_dms: set[str] = set()
        self.commands: list[dict[str, Any]] = []
        self.requests: list[RecordedRequest] = []
        self.sent: list[SentMessage] = []
        self.interactions: dict[str, InteractionRecord] = {}
        self.violations = 0
        self.rate_limited = 0
        self.identifies = 0
        self.heartbeats = 0
        self.resumes = 0
        self.connections = 0
        self.unhandled: list[RecordedRequest] = []
        #: On the next RESUME, also resend the MESSAGE_CREATEs among the last this many
        #: dispatches the bot already had (Discord may redeliver; bots must dedupe).
        self.redeliver_on_resume = 0
        self._buckets: dict[tuple[str, str], _Bucket] = {}
        self._global_window: deque[float] = deque()
        self._global_until = 0.0
        self._forced: list[_Forced] = []
        #: Routes to refuse outright (status, Discord error code, message, how many more).
        self._refusals: list[list[Any]] = []
        self._session: _Session | None = None
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._transports: dict[int, asyncio.BaseTransport | None] = {}
        self.port = 0

    # ------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        """Listen on ``host`` and a free port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        for method, template, handler in self._routes():
            app.router.add_route(
                method, API_PREFIX + template, self._wrap(method, template, handler)
            )
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._unknown)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1])

    async def close(self) -> None:
        """Close every gateway connection and stop the server."""
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close(code=1001)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def api_url(self) -> str:
        """Base URL for ``discord.http.Route.BASE`` (``CITYNEEDS_DISCORD_API_URL``)."""
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL (``CITYNEEDS_DISCORD_GATEWAY_URL``)."""
        return f"ws://{self.host}:{self.port}/gateway"

    # ---------------------------------------------------------------- world
    def add_user(self, username: str) -> dict[str, Any]:
        """Create a (human) user."""
        new = p.user(self.ids.next(), username)
        self.users[new["id"]] = new
        return new

    def add_guild(self, name: str) -> str:
        """Create a guild with an ``@everyone`` role and the bot as a member; return its id."""
        gid = self.ids.next()
        g = _Guild(gid, name, self.owner["id"])
        g.roles[gid] = p.role(gid, "@everyone", p.MEMBER_PERMISSIONS)
        self.guilds[gid] = g
        self.add_member(gid, self.bot_user["id"])
        self.add_member(gid, self.owner["id"])
        return gid

    def add_role(self, guild_id: str, name: str, permissions: int) -> str:
        """Add a role to a guild; return its id."""
        rid = self.ids.next()
        g = self.guilds[guild_id]
        g.roles[rid] = p.role(rid, name, permissions, position=len(g.roles))
        return rid

    def add_member(self, guild_id: str, user_id: str, roles: Sequence[str] = ()) -> None:
        """Make a user a member of a guild."""
        self.guilds[guild_id].members[user_id] = p.member(self.users[user_id], roles)

    def add_text_channel(self, guild_id: str, name: str) -> str:
        """Add a text channel to a guild; return its id."""
        cid = self.ids.next()
        g = self.guilds[guild_id]
        self.channels[cid] = p.text_channel(cid, guild_id, name, position=len(g.channels))
        g.channels.append(cid)
        self.history[cid] = []
        return cid

    def block_dms(self, user_id: str) -> None:
        """Refuse DMs to a user (403, code 50007), as when they close their DMs."""
        self.blocked_dms.add(user_id)

    def permissions(self, guild_id: str, user_id: str) -> int:
        """A member's permissions from their roles (administrator means all)."""
        g = self.guilds[guild_id]
        if user_id == g.owner_id:
            return p.ALL_PERMISSIONS
        value = int(g.roles[guild_id]["permissions"])
        for rid in g.members[user_id]["roles"]:
            value |= int(g.roles[rid]["permissions"])
        return p.ALL_PERMISSIONS if value & p.ADMINISTRATOR else value

    def guild_payload(self, guild_id: str) -> dict[str, Any]:
        """The guild as GUILD_CREATE sends it (active threads included)."""
        g = self.guilds[guild_id]
        return p.guild(
            g.id,
            g.name,
            g.owner_id,
            roles=list(g.roles.values()),
            channels=[self.channels[c] for c in g.channels],
            members=list(g.members.values()),
            threads=[self.channels[t] for t in g.threads],
        )

    def channel_messages(self, channel_id: str) -> list[dict[str, Any]]:
        """Every message in a channel (users' and the bot's), oldest first."""
        return [self.messages[m] for m in self.history.get(channel_id, [])]

    def threads_of(self, parent_id: str) -> list[dict[str, Any]]:
        """Threads created under a channel."""
        return [c for c in self.channels.values() if c.get("parent_id") == parent_id]

    def open_dm(self, user_id: str) -> str:
        """The DM channel between a user and the bot, as when the user writes to the bot first."""
        cid = self.dm_channels.get(user_id)
        if cid is None:
            cid = self.ids.next()
            self.dm_channels[user_id] = cid
            self.channels[cid] = p.dm_channel(cid, self.users[user_id])
            self.history[cid] = []
        return cid

    def dm_channel_of(self, user_id: str) -> str | None:
        """The DM channel the bot opened with a user, if any."""
        return self.dm_channels.get(user_id)

    # ------------------------------------------------------------- queries
    def sent_to(self, channel_id: str) -> list[SentMessage]:
        """Messages the bot created in a channel (including interaction follow-ups)."""
        return [m for m in self.sent if m.channel_id == channel_id]

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Requests for a route template such as ``"POST /channels/{channel_id}/messages"``."""
        return [r for r in self.requests if r.route == route]

    def command(self, name: str) -> dict[str, Any]:
        """A synced application command by name.

        Raises:
            FakeDiscordError: The bot has not registered it.
        """
        for cmd in self.commands:
            if cmd["name"] == name:
                return cmd
        raise FakeDiscordError(f"no application command {name!r} was synced")

    async def wait_for(
        self, predicate: Callable[[], bool], *, timeout: float = 10.0, what: str = "condition"
    ) -> None:
        """Wait until ``predicate()`` holds (it is re-checked after every request and dispatch).

        Raises:
            TimeoutError: It did not hold within ``timeout`` seconds.
        """
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(predicate)
        except TimeoutError:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}") from None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---------------------------------------------------------- rate limits
    def fail_next(
        self, route: str, count: int = 1, *, retry_after: float = 0.3, is_global: bool = False
    ) -> None:
        """Answer the next ``count`` requests to ``route`` with 429 and ``retry_after``."""
        self._forced.append(_Forced(route, count, None, retry_after, is_global))

    def fail_for(self, route: str, seconds: float, *, retry_after: float | None = None) -> None:
        """Answer every request to ``route`` with 429 for ``seconds`` from now."""
        until = time.monotonic() + seconds
        self._forced.append(_Forced(route, None, until, retry_after, False))

    def refuse_next(
        self,
        route: str,
        count: int = 1,
        *,
        after: int = 0,
        status: int = 403,
        code: int = 50013,
        message: str = "Missing Permissions",
    ) -> None:
        """Refuse ``count`` requests to ``route`` (after letting ``after`` through) with an error.

        Not a rate limit: discord.py raises (``Forbidden`` for 403) instead of retrying.
        """
        self._refusals.append([route, after, count, status, code, message])

    def _refused(self, route: str) -> tuple[int, int, str] | None:
        for rule in self._refusals:
            if rule[0] != route:
                continue
            if rule[1] > 0:
                rule[1] -= 1
                return None
            if rule[2] > 0:
                rule[2] -= 1
                return rule[3], rule[4], rule[5]
        return None

    def _forced_429(self, route: str, now: float) -> _Forced | None:
        for rule in self._forced:
            if rule.route != route:
                continue
            if rule.remaining is not None and rule.remaining > 0:
                rule.remaining -= 1
                return rule
            if rule.until is not None and now < rule.until:
                return rule
        return None

    def _bucket(self, route: str, params: Mapping[str, str]) -> _Bucket:
        major = "+".join(
            params[k]
            for k in ("channel_id", "guild_id", "application_id", "interaction_id", "token")
            if k in params
        )
        key = (route, major)
        bucket = self._buckets.get(key)
        if bucket is None:
            rule = self.limits.get(route, OTHER_ROUTES)
            name = hashlib.sha1(route.encode()).hexdigest()[:32]
            bucket = self._buckets[key] = _Bucket(rule, name=name)
        return bucket

    @staticmethod
    def _limit_headers(bucket: _Bucket, now: float) -> dict[str, str]:
        reset_after = max(0.0, bucket.reset_at - now)
        return {
            "X-RateLimit-Limit": str(bucket.rule.limit),
            "X-RateLimit-Remaining": str(max(0, bucket.rule.limit - bucket.count)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": bucket.name,
        }

    def _too_many(
        self, retry_after: float, headers: dict[str, str], *, is_global: bool, scope: str
    ) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": round(retry_after, 3),
            "global": is_global,
            "code": 0,
        }
        headers = {
            **headers,
            "Retry-After": str(max(1, math.ceil(retry_after))),
            "X-RateLimit-Scope": scope,
            "Via": "1.1 google",
        }
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return _json_response(body, status=429, headers=headers)

    # ------------------------------------------------------------- plumbing
    def _wrap(self, method: str, template: str, handler: Handler) -> Any:
        route = f"{method} {template}"

        async def endpoint(request: web.Request) -> web.StreamResponse:
            return await self._serve(request, route, handler)

        return endpoint

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if request.content_type.startswith("multipart/"):
            payload: Any = None
            files: list[UploadedFile] = []
            reader = await request.multipart()
            while True:
                part = await reader.next()
                if part is None:
                    break
                if not isinstance(part, BodyPartReader):
                    continue
                name = part.name or ""
                data = await part.read()
                if name == "payload_json":
                    payload = json.loads(data.decode("utf-8"))
                else:
                    files.append(
                        UploadedFile(
                            name,
                            part.filename or "",
                            part.headers.get("Content-Type", ""),
                            bytes(data),
                        )
                    )
            return payload, files
        if request.can_read_body:
            raw = await request.read()
            if raw:
                return json.loads(raw.decode("utf-8")), []
        return None, []

    async def _serve(self, request: web.Request, route: str, handler: Handler) -> web.Response:
        body, files = await self._read_body(request)
        now = time.monotonic()
        record = RecordedRequest(
            method=request.method,
            path=request.path,
            route=route,
            params=dict(request.match_info),
            query=dict(request.query),
            json=body,
            files=files,
            at=now,
        )
        self.requests.append(record)
        try:
            response = await self._answer(request, record, handler, now)
        finally:
            await self._notify()
        return response

    async def _answer(
        self, request: web.Request, record: RecordedRequest, handler: Handler, now: float
    ) -> web.Response:
        route = record.route
        token_route = any(part in record.path for part in _GLOBAL_EXEMPT)
        if not token_route and request.headers.get("Authorization") != f"Bot {self.token}":
            return self._finish(record, 401, {"message": "401: Unauthorized", "code": 0}, {})
        refused = self._refused(route)
        if refused is not None:
            status, code, message = refused
            return self._finish(record, status, {"message": message, "code": code}, {})
        bucket = self._bucket(route, record.params)
        if now >= bucket.reset_at:
            bucket.count = 0
            bucket.reset_at = now + bucket.rule.window
        forced = self._forced_429(route, now)
        if forced is not None:
            retry = forced.retry_after
            if retry is None:
                retry = max(0.05, (forced.until or now) - now)
            self.rate_limited += 1
            record.rate_limited = True
            headers = self._limit_headers(bucket, now)
            headers["X-RateLimit-Remaining"] = "0"
            headers["X-RateLimit-Reset-After"] = f"{retry:.3f}"
            return self._finish_raw(
                record,
                self._too_many(retry, headers, is_global=forced.is_global, scope="user"),
            )
        if not token_route and self.global_limit:
            while self._global_window and now - self._global_window[0] >= 1.0:
                self._global_window.popleft()
            if now < self._global_until or len(self._global_window) >= self.global_limit:
                retry = max(self._global_until - now, 1.0 - (now - self._global_window[0]))
                self._global_until = max(self._global_until, now + retry)
                self.violations += 1
                self.rate_limited += 1
                record.rate_limited = True
                return self._finish_raw(
                    record, self._too_many(retry, {}, is_global=True, scope="global")
                )
            self._global_window.append(now)
        if bucket.count >= bucket.rule.limit:
            self.violations += 1
            self.rate_limited += 1
            record.rate_limited = True
            headers = self._limit_headers(bucket, now)
            return self._finish_raw(
                record,
                self._too_many(bucket.reset_at - now, headers, is_global=False, scope="user"),
            )
        bucket.count += 1
        headers = self._limit_headers(bucket, now)
        try:
            status, payload = await handler(_Call(request, record, dict(request.match_info)))
        except FakeDiscordError as exc:
            status, payload = 404, {"message": str(exc), "code": 10003}
        return self._finish(record, status, payload, headers)

    def _finish(
        self, record: RecordedRequest, status: int, payload: Any, headers: dict[str, str]
    ) -> web.Response:
        record.status = status
        record.response = payload
        if status == 204 or payload is None:
            return web.Response(status=204, headers=headers)
        return _json_response(payload, status=status, headers=headers)

    @staticmethod
    def _finish_raw(record: RecordedRequest, response: web.Response) -> web.Response:
        record.status = response.status
        record.response = json.loads(response.text or "null")
        return response

    async def _unknown(self, request: web.Request) -> web.Response:
        body, files = await self._read_body(request)
        record = RecordedRequest(
            request.method,
            request.path,
            f"{request.method} <unhandled>",
            {},
            dict(request.query),
            body,
            files,
            time.monotonic(),
            404,
            {"message": "404: Not Found", "code": 0},
        )
        self.requests.append(record)
        self.unhandled.append(record)
        log.warning("fake discord: unhandled %s %s", request.method, request.path)
        await self._notify()
        return _json_response(record.response, status=404)

    def _routes(self) -> list[tuple[str, str, Handler]]:
        return [
            ("GET", "/users/@me", self._get_me),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/@me", self._get_application),
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway_bot),
            ("PUT", "/applications/{application_id}/commands", self._put_commands),
            ("GET", "/applications/{application_id}/commands", self._get_commands),
            (
                "PUT",
                "/applications/{application_id}/guilds/{guild_id}/commands",
                self._put_commands,
            ),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/users/{user_id}", self._get_user),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("PATCH", "/channels/{channel_id}", self._edit_thread),
            (
                "GET",
                "/channels/{channel_id}/users/@me/threads/archived/private",
                self._joined_archived_threads,
            ),
            ("POST", "/channels/{channel_id}/messages", self._create_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message),
            ("POST", "/channels/{channel_id}/threads", self._create_thread),
            (
                "POST",
                "/channels/{channel_id}/messages/{message_id}/threads",
                self._create_thread,
            ),
            ("PUT", "/channels/{channel_id}/thread-members/{user_id}", self._add_thread_member),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("POST", "/interactions/{interaction_id}/{token}/callback", self._callback),
            ("POST", "/webhooks/{application_id}/{token}", self._followup),
            (
                "GET",
                "/webhooks/{application_id}/{token}/messages/{message_id}",
                self._get_webhook_message,
            ),
            (
                "PATCH",
                "/webhooks/{application_id}/{token}/messages/{message_id}",
                self._edit_webhook_message,
            ),
            (
                "DELETE",
                "/webhooks/{application_id}/{token}/messages/{message_id}",
                self._delete_webhook_message,
            ),
        ]

    # --------------------------------------------------------------- routes
    async def _get_me(self, call: _Call) -> tuple[int, Any]:
        return 200, self.bot_user

    async def _get_application(self, call: _Call) -> tuple[int, Any]:
        return 200, {
            "id": self.application_id,
            "name": self.bot_user["username"],
            "icon": None,
            "description": "",
            "rpc_origins": [],
            "bot_public": False,
            "bot_require_code_grant": False,
            "bot": self.bot_user,
            "owner": self.owner,
            "team": None,
            "verify_key": secrets.token_hex(32),
            "flags": 1 << 19,
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "tags": [],
            "approximate_guild_count": len(self.guilds),
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, call: _Call) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url}

    async def _get_gateway_bot(self, call: _Call) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url,
            "shards": 1,
            "session_start_limit": {
                "total": 1000,
                "remaining": 999,
                "reset_after": 14_400_000,
                "max_concurrency": 1,
            },
        }

    async def _put_commands(self, call: _Call) -> tuple[int, Any]:
        body = call.record.json
        if not isinstance(body, list):
            return 400, _form_error({"_errors": [_err("BASE_TYPE_REQUIRED", "Expected a list")]})
        errors: dict[str, Any] = {}
        name_re = re.compile(r"^[-_\w]{1,32}$")
        registered = []
        for index, cmd in enumerate(body):
            problems = []
            name = str(cmd.get("name", ""))
            if not name_re.match(name) or name != name.lower():
                problems.append(_err("APPLICATION_COMMAND_INVALID_NAME", "Invalid name"))
            description = str(cmd.get("description", ""))
            if cmd.get("type", 1) == 1 and not 1 <= len(description) <= 100:
                problems.append(_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100"))
            problems.extend(_check_options(cmd.get("options", [])))
            if problems:
                errors[str(index)] = {"_errors": problems}
                continue
            registered.append(
                {
                    **cmd,
                    "id": self.ids.next(),
                    "application_id": self.application_id,
                    "version": self.ids.next(),
                    "type": cmd.get("type", 1),
                    "options": cmd.get("options", []),
                    "default_member_permissions": cmd.get("default_member_permissions"),
                    "nsfw": cmd.get("nsfw", False),
                }
            )
        if errors:
            return 400, _form_error(errors)
        if "guild_id" not in call.params:
            self.commands = registered
        return 200, registered

    async def _get_commands(self, call: _Call) -> tuple[int, Any]:
        return 200, self.commands

    async def _get_user(self, call: _Call) -> tuple[int, Any]:
        found = self.users.get(call.params["user_id"])
        if found is None:
            return 404, {"message": "Unknown User", "code": 10013}
        return 200, found

    async def _get_member(self, call: _Call) -> tuple[int, Any]:
        g = self.guilds.get(call.params["guild_id"])
        if g is None or call.params["user_id"] not in g.members:
            return 404, {"message": "Unknown Member", "code": 10007}
        return 200, g.members[call.params["user_id"]]

    async def _get_channel(self, call: _Call) -> tuple[int, Any]:
        found = self.channels.get(call.params["channel_id"])
        if found is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        return 200, found

    async def archive_thread(self, thread_id: str) -> None:
        """Archive a thread, as Discord does after its auto-archive duration (THREAD_UPDATE)."""
        thread = self.channels[thread_id]
        thread["thread_metadata"]["archived"] = True
        await self.dispatch("THREAD_UPDATE", thread)

    async def _edit_thread(self, call: _Call) -> tuple[int, Any]:
        """``PATCH /channels/{id}`` for threads: only ``archived`` (unarchiving, as we use it)."""
        thread = self.channels.get(call.params["channel_id"])
        if thread is None or thread["type"] not in p.THREAD_TYPES:
            return 404, {"message": "Unknown Channel", "code": 10003}
        body = call.record.json or {}
        if "archived" in body:
            thread["thread_metadata"]["archived"] = bool(body["archived"])
        await self.dispatch("THREAD_UPDATE", thread)
        return 200, thread

    async def _joined_archived_threads(self, call: _Call) -> tuple[int, Any]:
        """Archived private threads of a channel that the bot is in (it created them)."""
        archived = [
            t
            for t in self.threads_of(call.params["channel_id"])
            if t["type"] == p.PRIVATE_THREAD and t["thread_metadata"]["archived"]
        ]
        return 200, {"threads": archived, "members": [], "has_more": False}

    async def _create_dm(self, call: _Call) -> tuple[int, Any]:
        body = call.record.json or {}
        recipient = str(body.get("recipient_id", ""))
        if recipient not in self.users:
            return 400, _form_error(
                {"recipient_id": {"_errors": [_err("USER_UNKNOWN", "Unknown user")]}}
            )
        return 200, self.channels[self.open_dm(recipient)]

    def _store_bot_message(
        self,
        channel_id: str,
        body: Mapping[str, Any],
        files: Sequence[UploadedFile],
        *,
        flags: int = 0,
        webhook: bool = False,
        interaction: InteractionRecord | None = None,
    ) -> dict[str, Any]:
        attachments = []
        described = {str(a.get("id")): a for a in body.get("attachments", []) or []}
        for index, f in enumerate(files):
            meta = described.get(str(index), {})
            attachments.append(
                {
                    "id": self.ids.next(),
                    "filename": f.filename,
                    "description": meta.get("description"),
                    "content_type": f.content_type or "application/octet-stream",
                    "size": len(f.data),
                    "url": f"{self.api_url}/attachments/{f.filename}",
                    "proxy_url": f"{self.api_url}/attachments/{f.filename}",
                }
            )
        components = _numbered(body.get("components", []) or [])
        channel = self.channels[channel_id]
        msg = p.message(
            self.ids.next(),
            channel_id,
            self.bot_user,
            str(body.get("content") or ""),
            embeds=body.get("embeds", []) or [],
            components=components,
            attachments=attachments,
            flags=flags,
            webhook_id=self.application_id if webhook else None,
            application_id=self.application_id if webhook else None,
            interaction_metadata=(
                {
                    "id": interaction.id,
                    "type": interaction.payload["type"],
                    "user": _invoker(interaction.payload),
                    "authorizing_integration_owners": {},
                }
                if interaction is not None
                else None
            ),
        )
        if channel.get("guild_id"):
            msg["guild_id"] = channel["guild_id"]
        self.messages[msg["id"]] = msg
        self.history.setdefault(channel_id, []).append(msg["id"])
        return msg

    async def _create_message(self, call: _Call) -> tuple[int, Any]:
        cid = call.params["channel_id"]
        channel = self.channels.get(cid)
        if channel is None:
            return 404, {"message": "Unknown Channel", "code": 10003}
        if channel["type"] == p.DM:
            recipient = channel["recipients"][0]["id"]
            if recipient in self.blocked_dms:
                return 403, {"message": "Cannot send messages to this user", "code": 50007}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        msg = self._store_bot_message(cid, body, call.record.files)
        self.sent.append(SentMessage(msg["id"], cid, "channel", msg, call.record))
        return 200, msg

    async def _get_message(self, call: _Call) -> tuple[int, Any]:
        msg = self.messages.get(call.params["message_id"])
        if msg is None or msg["channel_id"] != call.params["channel_id"]:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, msg

    async def _edit_message(self, call: _Call) -> tuple[int, Any]:
        msg = self.messages.get(call.params["message_id"])
        if msg is None:
            return 404, {"message": "Unknown Message", "code": 10008}
        body = call.record.json or {}
        problem = validate_message({**msg, **body}, call.record.files)
        if problem is not None:
            return 400, problem
        for key in ("content", "embeds", "components", "flags"):
            if key in body:
                msg[key] = _numbered(body[key]) if key == "components" else body[key]
        msg["edited_timestamp"] = p.iso_now()
        return 200, msg

    async def _create_thread(self, call: _Call) -> tuple[int, Any]:
        parent = self.channels.get(call.params["channel_id"])
        if parent is None or parent["type"] != p.GUILD_TEXT:
            return 404, {"message": "Unknown Channel", "code": 10003}
        body = call.record.json or {}
        name = str(body.get("name", ""))
        if not 1 <= len(name) <= THREAD_NAME_CHARS:
            return 400, _form_error(
                {"name": {"_errors": [_err("BASE_TYPE_BAD_LENGTH", "Must be 1 to 100 long")]}}
            )
        private = body.get("type", p.PUBLIC_THREAD) == p.PRIVATE_THREAD
        tid = self.ids.next()
        thread = p.thread_channel(
            tid,
            parent["guild_id"],
            parent["id"],
            self.bot_user["id"],
            name,
            private=private and "message_id" not in call.params,
            auto_archive_duration=int(body.get("auto_archive_duration", 10080)),
            invitable=bool(body.get("invitable", True)),
        )
        self.channels[tid] = thread
        self.history[tid] = []
        self.guilds[parent["guild_id"]].threads.append(tid)
        event = {
            **thread,
            "newly_created": True,
            "member": {
                "id": tid,
                "user_id": self.bot_user["id"],
                "join_timestamp": p.iso_now(),
                "flags": 0,
            },
        }
        await self.dispatch("THREAD_CREATE", event)
        return 201, thread

    async def _add_thread_member(self, call: _Call) -> tuple[int, Any]:
        thread = self.channels.get(call.params["channel_id"])
        if thread is None or thread["type"] not in p.THREAD_TYPES:
            return 404, {"message": "Unknown Channel", "code": 10003}
        thread.setdefault("_members", [])
        if call.params["user_id"] not in thread["_members"]:
            thread["_members"].append(call.params["user_id"])
            thread["member_count"] = len(thread["_members"]) + 1
        return 204, None

    # -------------------------------------------------------- interactions
    def _interaction(self, interaction_id: str, token: str) -> InteractionRecord | None:
        found = self.interactions.get(interaction_id)
        return found if found is not None and found.token == token else None

    def _by_token(self, token: str) -> InteractionRecord | None:
        return next((i for i in self.interactions.values() if i.token == token), None)

    async def _callback(self, call: _Call) -> tuple[int, Any]:
        record = self._interaction(call.params["interaction_id"], call.params["token"])
        now = time.monotonic()
        if record is None or now - record.dispatched_at > self.interaction_deadline:
            return 404, {"message": "Unknown interaction", "code": 10062}
        if record.responded_at is not None:
            return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
        body = call.record.json or {}
        kind = int(body.get("type", 0))
        data = body.get("data") or {}
        channel_id = str(record.payload["channel_id"])
        answer: dict[str, Any] = {
            "interaction": {"id": record.id, "type": record.payload["type"]},
        }
        if kind == 4:
            problem = validate_message(data, call.record.files)
            if problem is not None:
                return 400, problem
            msg = self._store_bot_message(
                channel_id,
                data,
                call.record.files,
                flags=int(data.get("flags", 0)),
                webhook=True,
                interaction=record,
            )
            record.original_id = msg["id"]
            self.sent.append(
                SentMessage(msg["id"], channel_id, "response", msg, call.record, record.id)
            )
            answer["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=False,
                response_message_ephemeral=bool(msg["flags"] & p.EPHEMERAL),
            )
            answer["resource"] = {"type": 4, "message": msg}
        elif kind == 5:
            flags = int(data.get("flags", 0)) & p.EPHEMERAL
            msg = self._store_bot_message(
                channel_id,
                {"content": ""},
                [],
                flags=flags | p.LOADING,
                webhook=True,
                interaction=record,
            )
            record.original_id = msg["id"]
            record.original_pending = True
            record.deferred_flags = flags
            answer["interaction"].update(
                response_message_id=msg["id"],
                response_message_loading=True,
                response_message_ephemeral=bool(flags),
            )
            answer["resource"] = {"type": 5, "message": msg}
        elif kind in (6, 7):
            if record.payload["type"] not in (p.MESSAGE_COMPONENT, p.MODAL_SUBMIT):
                return 400, {"message": "Interaction response type invalid", "code": 50035}
            answer["resource"] = {"type": kind}
        elif kind == 9:
            problem = validate_modal(data)
            if problem is not None:
                return 400, problem
            answer["resource"] = {"type": 9}
        else:
            return 400, _form_error(
                {"type": {"_errors": [_err("BASE_TYPE_CHOICES", "Value must be one of …")]}}
            )
        record.responded_at = now
        record.response_type = kind
        record.response = body
        return 200, answer

    async def _followup(self, call: _Call) -> tuple[int, Any]:
        record = self._by_token(call.params["token"])
        if record is None or record.responded_at is None:
            return 404, {"message": "Unknown Webhook", "code": 10015}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        channel_id = str(record.payload["channel_id"])
        flags = int(body.get("flags", 0))
        if record.original_pending and record.original_id is not None:
            # The first follow-up after a deferred response replaces the "thinking" message.
            record.original_pending = False
            msg = self.messages[record.original_id]
            msg.update(
                content=str(body.get("content") or ""),
                embeds=body.get("embeds", []) or [],
                components=_numbered(body.get("components", []) or []),
                flags=record.deferred_flags | (flags & p.EPHEMERAL),
            )
        else:
            msg = self._store_bot_message(
                channel_id,
                body,
                call.record.files,
                flags=flags,
                webhook=True,
                interaction=record,
            )
        sent = SentMessage(msg["id"], channel_id, "followup", msg, call.record, record.id)
        record.followups.append(sent)
        self.sent.append(sent)
        return 200, msg

    def _webhook_message(self, call: _Call) -> tuple[InteractionRecord | None, str | None]:
        record = self._by_token(call.params["token"])
        if record is None:
            return None, None
        mid = call.params["message_id"]
        return record, record.original_id if mid == "@original" else mid

    async def _get_webhook_message(self, call: _Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        return 200, self.messages[mid]

    async def _edit_webhook_message(self, call: _Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        body = call.record.json or {}
        problem = validate_message(body, call.record.files)
        if problem is not None:
            return 400, problem
        msg = self.messages[mid]
        for key in ("content", "embeds", "components"):
            if key in body:
                msg[key] = _numbered(body[key]) if key == "components" else body[key]
        if mid == record.original_id:
            record.original_pending = False
            msg["flags"] = int(msg.get("flags", 0)) & ~p.LOADING
        sent = SentMessage(mid, str(msg["channel_id"]), "edit", msg, call.record, record.id)
        self.sent.append(sent)
        return 200, msg

    async def _delete_webhook_message(self, call: _Call) -> tuple[int, Any]:
        record, mid = self._webhook_message(call)
        if record is None or mid is None or mid not in self.messages:
            return 404, {"message": "Unknown Message", "code": 10008}
        msg = self.messages.pop(mid)
        with contextlib.suppress(ValueError):
            self.history[str(msg["channel_id"])].remove(mid)
        if mid == record.original_id:
            record.original_pending = False
            record.deleted_original = True
        return 204, None

    # -------------------------------------------------------------- gateway
    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self._sockets.add(ws)
        self._transports[id(ws)] = request.transport
        self.connections += 1
        try:
            await ws.send_json(
                {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}, "s": None}
            )
            async for msg in ws:
                if msg.type != WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                await self._gateway_frame(ws, frame)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self._sockets.discard(ws)
            self._transports.pop(id(ws), None)
            session = self._session
            if session is not None and session.ws is ws:
                session.ws = None
            await self._notify()
        return ws

    async def _gateway_frame(self, ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        data = frame.get("d")
        if op == 1:
            self.heartbeats += 1
            await ws.send_json({"op": 11, "d": None, "s": None})
        elif op == 2:
            if not isinstance(data, dict) or data.get("token") != self.token:
                await ws.close(code=4004, message=b"Authentication failed.")
                return
            intents = int(data.get("intents", 0))
            if intents & p.INTENT_MESSAGE_CONTENT and not self.message_content_allowed:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
                return
            await self._identify(ws, intents)
        elif op == 6:
            await self._resume(ws, data if isinstance(data, dict) else {})
        elif op == 8 and isinstance(data, dict):
            gid = str(data.get("guild_id"))
            if gid in self.guilds:
                await self.dispatch(
                    "GUILD_MEMBERS_CHUNK",
                    {
                        "guild_id": gid,
                        "members": list(self.guilds[gid].members.values()),
                        "chunk_index": 0,
                        "chunk_count": 1,
                        "nonce": data.get("nonce"),
                    },
                )
        await self._notify()

    async def _identify(self, ws: web.WebSocketResponse, intents: int) -> None:
        self.identifies += 1
        old = self._session
        if old is not None and old.ws is not None and old.ws is not ws:
            with contextlib.suppress(Exception):
                await old.ws.close(code=4000)
        session = _Session(id=secrets.token_hex(16), intents=intents)
        session.ws = ws
        self._session = session
        await self.dispatch(
            "READY",
            {
                "v": 10,
                "user": self.bot_user,
                "guilds": [{"id": gid, "unavailable": True} for gid in self.guilds],
                "session_id": session.id,
                "session_type": "normal",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": self.application_id, "flags": 1 << 19},
                "private_channels": [],
                "relationships": [],
                "presences": [],
                "geo_ordered_rtc_regions": ["rotterdam"],
                "user_settings": {},
                "auth": {},
                "_trace": ["fake-discord"],
            },
        )
        for gid in self.guilds:
            await self.dispatch("GUILD_CREATE", self.guild_payload(gid))

    async def _resume(self, ws: web.WebSocketResponse, data: Mapping[str, Any]) -> None:
        session = self._session
        if (
            session is None
            or data.get("session_id") != session.id
            or data.get("token") != self.token
        ):
            await ws.send_json({"op": 9, "d": False, "s": None})
            return
        self.resumes += 1
        after = int(data.get("seq") or 0)
        async with session.lock:
            if session.ws is not None and session.ws is not ws:
                with contextlib.suppress(Exception):
                    await session.ws.close(code=4000)
            again = self.redeliver_on_resume
            self.redeliver_on_resume = 0
            for frame in session.log:
                redelivered = (
                    again and frame["s"] > after - again and frame["t"] == "MESSAGE_CREATE"
                )
                if frame["s"] > after or redelivered:
                    await ws.send_json(frame)
            session.seq += 1
            await ws.send_json(
                {"op": 0, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake-discord"]}}
            )
            session.ws = ws

    async def dispatch(self, event: str, data: dict[str, Any]) -> int:
        """Send a dispatch (op 0) to the bot; while it is disconnected, keep it for RESUME.

        Returns:
            The dispatch's sequence number.

        Raises:
            FakeDiscordError: No bot has identified yet.
        """
        session = self._session
        if session is None:
            raise FakeDiscordError("no gateway session: the bot has not identified")
        if event == "MESSAGE_CREATE":
            data = self._apply_content_intent(data, session.intents)
        async with session.lock:
            session.seq += 1
            seq = session.seq
            frame = {"op": 0, "t": event, "s": seq, "d": data}
            session.log.append(frame)
            ws = session.ws
            if ws is not None and not ws.closed:
                try:
                    await ws.send_json(frame)
                except (ConnectionResetError, RuntimeError):
                    session.ws = None
        await self._notify()
        return seq

    def _apply_content_intent(self, data: dict[str, Any], intents: int) -> dict[str, Any]:
        if intents & p.INTENT_MESSAGE_CONTENT or "guild_id" not in data:
            return data
        author = data.get("author", {}).get("id")
        mentioned = any(m.get("id") == self.bot_user["id"] for m in data.get("mentions", []))
        if author == self.bot_user["id"] or mentioned:
            return data
        return {**data, "content": "", "embeds": [], "attachments": [], "components": []}

    async def drop(self, mode: str = "close", *, code: int = 4000) -> None:
        """Break the bot's gateway connection.

        Args:
            mode: ``close`` (close frame with ``code``), ``abort`` (the TCP connection
                is cut without a close frame, like 1006), ``reconnect`` (op 7) or
                ``invalidate`` (op 9, not resumable: the bot must identify again).
            code: Close code for ``close``.

        Raises:
            FakeDiscordError: The bot is not connected.
        """
        session = self._session
        if session is None or session.ws is None:
            raise FakeDiscordError("the bot is not connected")
        ws = session.ws
        async with session.lock:
            session.ws = None
            if mode == "close":
                await ws.close(code=code, message=b"fake discord dropped the connection")
            elif mode == "abort":
                transport = self._transports.get(id(ws))
                if isinstance(transport, asyncio.Transport):
                    transport.abort()
            elif mode == "reconnect":
                await ws.send_json({"op": 7, "d": None, "s": None})
            elif mode == "invalidate":
                self._session = None
                await ws.send_json({"op": 9, "d": False, "s": None})
            else:
                raise ValueError(f"unknown drop mode {mode!r}")

    @property
    def connected(self) -> bool:
        """Whether a bot is connected and identified (or resumed)."""
        return self._session is not None and self._session.ws is not None

    @property
    def intents(self) -> int | None:
        """The intents of the current gateway session."""
        return None if self._session is None else self._session.intents

    @property
    def session_id(self) -> str | None:
        """The current gateway session."""
        return None if self._session is None else self._session.id

    # ------------------------------------------------------ driving the bot
    def _channel_context(
        self, user_id: str, channel_id: str
    ) -> tuple[dict[str, Any], str | None, dict[str, Any] | None]:
        channel = self.channels.get(channel_id)
        if channel is None:
            raise FakeDiscordError(f"unknown channel {channel_id}")
        gid = channel.get("guild_id")
        if gid is None:
            return channel, None, None
        g = self.guilds[gid]
        if user_id not in g.members:
            raise FakeDiscordError(f"user {user_id} is not a member of guild {gid}")
        return channel, gid, g.members[user_id]

    async def user_message(self, user_id: str, channel_id: str, content: str) -> dict[str, Any]:
        """A user posts ``content`` in a channel, thread or DM; the bot gets MESSAGE_CREATE.

        ``<@BOT_ID>`` in the content mentions the bot (and lets the content through
        without the message content intent).

        Returns:
            The dispatched message payload.
        """
        channel, gid, mem = self._channel_context(user_id, channel_id)
        author = self.users[user_id]
        mentions = [
            self.users[uid] for uid in re.findall(r"<@!?(\d+)>", content) if uid in self.users
        ]
        msg = p.message(
            self.ids.next(),
            channel_id,
            author,
            content,
            guild_id=gid,
            author_member=mem,
            mentions=mentions,
        )
        self.messages[msg["id"]] = msg
        self.history.setdefault(channel_id, []).append(msg["id"])
        if channel["type"] in p.THREAD_TYPES:
            channel["message_count"] = int(channel.get("message_count", 0)) + 1
        await self.dispatch("MESSAGE_CREATE", msg)
        return msg

    def _interaction_channel(self, channel: Mapping[str, Any], user_id: str) -> dict[str, Any]:
        body = {k: v for k, v in channel.items() if not k.startswith("_")}
        gid = channel.get("guild_id")
        if gid is not None:
            body["permissions"] = str(self.permissions(gid, user_id))
        return body

    async def _push_interaction(self, payload: dict[str, Any]) -> InteractionRecord:
        record = InteractionRecord(
            id=str(payload["id"]),
            token=str(payload["token"]),
            payload=payload,
            dispatched_at=time.monotonic(),
        )
        self.interactions[record.id] = record
        await self.dispatch("INTERACTION_CREATE", payload)
        record.dispatched_at = time.monotonic()
        return record

    def _invoker_fields(
        self, user_id: str, channel_id: str
    ) -> tuple[dict[str, Any], str | None, dict[str, Any] | None, dict[str, Any]]:
        channel, gid, mem = self._channel_context(user_id, channel_id)
        invoker_member = None
        if gid is not None and mem is not None:
            invoker_member = {**mem, "permissions": str(self.permissions(gid, user_id))}
        return channel, gid, invoker_member, self._interaction_channel(channel, user_id)

    async def slash(
        self,
        user_id: str,
        channel_id: str,
        command: str,
        subcommand: str,
        options: Mapping[str, str | int] | None = None,
        *,
        locale: str = "en-US",
        users: Mapping[str, str] | None = None,
    ) -> InteractionRecord:
        """A user runs ``/command subcommand name:value …`` in a channel, thread or DM.

        Args:
            user_id: Who runs it.
            channel_id: Where.
            command: The top-level (group) command name, as synced by the bot.
            subcommand: The subcommand.
            options: String and integer options.
            locale: The user's client locale.
            users: User options (option name → user id); resolved data is included.
        """
        cmd = self.command(command)
        _, gid, invoker_member, channel = self._invoker_fields(user_id, channel_id)
        opts = p.subcommand_options(subcommand, options)
        resolved: dict[str, Any] = {}
        for name, uid in (users or {}).items():
            opts[0]["options"].append({"type": p.USER, "name": name, "value": uid})
            resolved.setdefault("users", {})[uid] = self.users[uid]
            if gid is not None and uid in self.guilds[gid].members:
                body = dict(self.guilds[gid].members[uid])
                body.pop("user", None)
                resolved.setdefault("members", {})[uid] = body
        payload = p.application_command(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            command=cmd,
            options=opts,
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            locale=locale,
            resolved=resolved or None,
        )
        return await self._push_interaction(payload)

    def _source(self, message: SentMessage | Mapping[str, Any]) -> dict[str, Any]:
        mid = message.id if isinstance(message, SentMessage) else str(message["id"])
        found = self.messages.get(mid)
        if found is None:
            raise FakeDiscordError(f"unknown message {mid}")
        return found

    async def click(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user presses the button ``custom_id`` on one of the bot's messages."""
        return await self._component(user_id, message, custom_id, p.BUTTON, None, locale)

    async def choose(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        values: Sequence[str],
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user picks ``values`` in the select ``custom_id`` on one of the bot's messages."""
        return await self._component(user_id, message, custom_id, p.STRING_SELECT, values, locale)

    async def _component(
        self,
        user_id: str,
        message: SentMessage | Mapping[str, Any],
        custom_id: str,
        component_type: int,
        values: Sequence[str] | None,
        locale: str,
    ) -> InteractionRecord:
        source = self._source(message)
        comp = next(
            (
                c
                for c in p.walk_components(source.get("components", []))
                if c.get("custom_id") == custom_id
            ),
            None,
        )
        if comp is None or comp.get("type") != component_type:
            raise FakeDiscordError(f"message {source['id']} has no such component {custom_id!r}")
        if component_type == p.STRING_SELECT:
            allowed = {o["value"] for o in comp.get("options", [])}
            if not set(values or []) <= allowed:
                raise FakeDiscordError(f"{values} are not options of {custom_id!r}")
        _, gid, invoker_member, channel = self._invoker_fields(user_id, str(source["channel_id"]))
        payload = p.component_interaction(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            source=source,
            custom_id=custom_id,
            component_type=component_type,
            values=values,
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            locale=locale,
        )
        return await self._push_interaction(payload)

    async def submit_modal(
        self,
        user_id: str,
        opened_by: InteractionRecord,
        values: Mapping[str, str],
        *,
        locale: str = "en-US",
    ) -> InteractionRecord:
        """A user fills in and submits the modal the bot opened in answer to ``opened_by``.

        Raises:
            FakeDiscordError: The bot did not answer ``opened_by`` with a modal.
        """
        modal = opened_by.modal
        if modal is None:
            raise FakeDiscordError(f"interaction {opened_by.id} was not answered with a modal")
        channel_id = str(opened_by.payload["channel_id"])
        _, gid, invoker_member, channel = self._invoker_fields(user_id, channel_id)
        source = opened_by.payload.get("message")
        payload = p.modal_submit_interaction(
            interaction_id=self.ids.next(),
            application_id=self.application_id,
            token=p.new_token(),
            custom_id=str(modal["custom_id"]),
            components=p.modal_answers(modal, values),
            channel=channel,
            invoker=self.users[user_id],
            invoker_member=invoker_member,
            guild_id=gid,
            source=source,
            locale=locale,
        )
        return await self._push_interaction(payload)


# ------------------------------------------------------------------ validation
def _json_response(
    payload: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON answer with Discord's exact ``Content-Type`` (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(payload).encode("utf-8"),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )


def _err(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}


def _form_error(errors: dict[str, Any]) -> dict[str, Any]:
    return {"code": 50035, "errors": errors, "message": "Invalid Form Body"}


def _invoker(payload: Mapping[str, Any]) -> dict[str, Any]:
    if "member" in payload:
        return dict(payload["member"]["user"])
    return dict(payload.get("user", {}))


def _numbered(components: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Components as Discord returns them: each with a numeric ``id``."""
    counter = iter(range(1, 1000))

    def number(comp: Mapping[str, Any]) -> dict[str, Any]:
        out = dict(comp)
        out.setdefault("id", next(counter))
        if "components" in out:
            out["components"] = [number(c) for c in out["components"]]
        if isinstance(out.get("component"), Mapping):
            out["component"] = number(out["component"])
        return out

    return [number(c) for c in components]


def embed_chars(embed: Mapping[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 limit for one embed."""
    total = len(str(embed.get("title", ""))) + len(str(embed.get("description", "")))
    total += len(str((embed.get("footer") or {}).get("text", "")))
    total += len(str((embed.get("author") or {}).get("name", "")))
    for f in embed.get("fields", []) or []:
        total += len(str(f.get("name", ""))) + len(str(f.get("value", "")))
    return total


def _check_options(options: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    if len(options) > 25:
        problems.append(_err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."))
    for opt in options:
        if not 1 <= len(str(opt.get("description", ""))) <= 100:
            problems.append(_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."))
        if not re.match(r"^[-_\w]{1,32}$", str(opt.get("name", ""))):
            problems.append(_err("APPLICATION_COMMAND_INVALID_NAME", "Invalid option name"))
        problems.extend(_check_options(opt.get("options", []) or []))
    return problems


def validate_message(
    body: Mapping[str, Any], files: Sequence[UploadedFile] = ()
) -> dict[str, Any] | None:
    """Discord's checks on a message body; the 400 answer if one fails, else ``None``."""
    errors: dict[str, Any] = {}
    content = body.get("content")
    if content is not None and len(str(content)) > CONTENT_CHARS:
        errors["content"] = {
            "_errors": [
                _err("BASE_TYPE_MAX_LENGTH", f"Must be {CONTENT_CHARS} or fewer in length.")
            ]
        }
    embeds = body.get("embeds") or []
    if len(embeds) > MAX_EMBEDS:
        errors["embeds"] = {
            "_errors": [_err("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_EMBEDS} or fewer in length.")]
        }
    embed_errors: dict[str, Any] = {}
    for index, embed in enumerate(embeds):
        problems: dict[str, Any] = {}
        for key, limit in (("title", EMBED_TITLE_CHARS), ("description", EMBED_DESCRIPTION_CHARS)):
            if len(str(embed.get(key, ""))) > limit:
                problems[key] = {
                    "_errors": [
                        _err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
                    ]
                }
        if len(str((embed.get("footer") or {}).get("text", ""))) > EMBED_FOOTER_CHARS:
            problems["footer"] = {"text": {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Too long")]}}
        if len(embed.get("fields", []) or []) > EMBED_FIELDS:
            problems["fields"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Too many fields")]}
        if problems:
            embed_errors[str(index)] = problems
    if embed_errors:
        errors.setdefault("embeds", {}).update(embed_errors)
    if sum(embed_chars(e) for e in embeds) > EMBED_TOTAL_CHARS:
        errors.setdefault("embeds", {}).setdefault("_errors", []).append(
            _err(
                "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of {EMBED_TOTAL_CHARS}"
            )
        )
    component_errors = _check_components(body.get("components") or [])
    if component_errors:
        errors["components"] = component_errors
    if len(files) > MAX_ATTACHMENTS:
        errors["files"] = {"_errors": [_err("BASE_TYPE_MAX_LENGTH", "Too many attachments")]}
    allowed = body.get("allowed_mentions")
    if allowed is not None and not isinstance(allowed.get("parse", []), list):
        errors["allowed_mentions"] = {
            "_errors": [_err("BASE_TYPE_BAD_TYPE", "parse must be a list")]
        }
    if errors:
        return _form_error(errors)
    if not (content or embeds or files or body.get("components") or body.get("sticker_ids")):
        return {"message": "Cannot send an empty message", "code": 50006}
    return None


def _check_components(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if len(rows) > MAX_ROWS:
        errors["_errors"] = [
            _err("BASE_TYPE_MAX_LENGTH", f"Must be {MAX_ROWS} or fewer in length.")
        ]
    seen: set[str] = set()
    for r_index, row in enumerate(rows):
        problems: list[dict[str, str]] = []
        if row.get("type") != p.ACTION_ROW:
            problems.append(_err("COMPONENT_LAYOUT_INVALID", "Top-level components must be rows"))
        children = row.get("components", []) or []
        kinds = {c.get("type") for c in children}
        if p.STRING_SELECT in kinds and len(children) != 1:
            problems.append(_err("COMPONENT_LAYOUT_WIDTH_EXCEEDED", "A select fills a row"))
        if len(children) > MAX_ROW_BUTTONS or not children:
            problems.append(_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."))
        for comp in children:
            custom_id = str(comp.get("custom_id", ""))
            if comp.get("style") != 5 and not 1 <= len(custom_id) <= CUSTOM_ID_CHARS:
                problems.append(_err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
            if custom_id and custom_id in seen:
                problems.append(_err("COMPONENT_CUSTOM_ID_DUPLICATED", "Duplicate custom_id"))
            seen.add(custom_id)
            if comp.get("type") == p.BUTTON:
                if len(str(comp.get("label", ""))) > BUTTON_LABEL_CHARS:
                    problems.append(_err("BASE_TYPE_MAX_LENGTH", "Button label too long"))
            elif comp.get("type") == p.STRING_SELECT:
                options = comp.get("options", []) or []
                if not 1 <= len(options) <= SELECT_OPTIONS:
                    problems.append(_err("BASE_TYPE_BAD_LENGTH", "Select needs 1 to 25 options"))
                for opt in options:
                    for key in ("label", "value", "description"):
                        if len(str(opt.get(key) or "")) > SELECT_OPTION_CHARS:
                            problems.append(_err("BASE_TYPE_MAX_LENGTH", f"Option {key} too long"))
                if len(str(comp.get("placeholder") or "")) > SELECT_PLACEHOLDER_CHARS:
                    problems.append(_err("BASE_TYPE_MAX_LENGTH", "Placeholder too long"))
                low, high = int(comp.get("min_values", 1)), int(comp.get("max_values", 1))
                if not (0 <= low <= high <= max(1, len(options)) and high >= 1):
                    problems.append(_err("BASE_TYPE_BAD_VALUE", "min/max values out of range"))
            else:
                problems.append(_err("UNION_TYPE_CHOICES", "Unknown component type"))
        if problems:
            errors[str(r_index)] = {"_errors": problems}
    return errors


def validate_modal(data: Mapping[str, Any]) -> dict[str, Any] | None:
    """Discord's checks on a modal; the 400 answer if one fails, else ``None``."""
    problems: list[dict[str, str]] = []
    if not 1 <= len(str(data.get("title", ""))) <= MODAL_TITLE_CHARS:
        problems.append(_err("BASE_TYPE_BAD_LENGTH", "Title must be 1 to 45 long"))
    if not 1 <= len(str(data.get("custom_id", ""))) <= CUSTOM_ID_CHARS:
        problems.append(_err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        problems.append(_err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."))
    for top in components:
        inputs: list[Mapping[str, Any]]
        if top.get("type") == p.LABEL:
            if not 1 <= len(str(top.get("label", ""))) <= MODAL_LABEL_CHARS:
                problems.append(_err("BASE_TYPE_BAD_LENGTH", "Label must be 1 to 45 long"))
            inputs = [top.get("component") or {}]
        elif top.get("type") == p.ACTION_ROW:
            inputs = list(top.get("components") or [])
            for comp in inputs:
                if not 1 <= len(str(comp.get("label", ""))) <= MODAL_LABEL_CHARS:
                    problems.append(_err("BASE_TYPE_BAD_LENGTH", "Label must be 1 to 45 long"))
        else:
            problems.append(_err("UNION_TYPE_CHOICES", "Unknown modal component"))
            continue
        for comp in inputs:
            if comp.get("type") != p.TEXT_INPUT:
                problems.append(_err("UNION_TYPE_CHOICES", "Expected a text input"))
                continue
            if not 1 <= len(str(comp.get("custom_id", ""))) <= CUSTOM_ID_CHARS:
                problems.append(_err("BASE_TYPE_BAD_LENGTH", "custom_id must be 1 to 100 long"))
            if len(str(comp.get("placeholder") or "")) > 100:
                problems.append(_err("BASE_TYPE_MAX_LENGTH", "Placeholder too long"))
            if len(str(comp.get("value") or "")) > 4000:
                problems.append(_err("BASE_TYPE_MAX_LENGTH", "Value too long"))
            high = comp.get("max_length")
            if high is not None and not 1 <= int(high) <= 4000:
                problems.append(_err("BASE_TYPE_BAD_VALUE", "max_length must be 1 to 4000"))
    return _form_error({"data": {"_errors": problems}}) if problems else None
