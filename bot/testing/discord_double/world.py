"""The fake Discord's state: users, guilds, roles, channels, DMs, messages and queries.

:class:`DiscordWorld` holds everything the other parts (REST routes, rate limits,
gateway, driver) read and change; build the world a test needs with
:meth:`DiscordWorld.add_user`, :meth:`~DiscordWorld.add_guild`,
:meth:`~DiscordWorld.add_member`, :meth:`~DiscordWorld.add_text_channel`… and read
what happened with :meth:`~DiscordWorld.sent_to`, :meth:`~DiscordWorld.requests_to`,
:meth:`~DiscordWorld.channel_messages` and :meth:`~DiscordWorld.wait_for`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.testing import discord_payloads as p
from bot.testing.discord_double.buckets import DEFAULT_LIMITS, Bucket, BucketRule, Forced
from bot.testing.discord_double.records import (
    FakeDiscordError,
    InteractionRecord,
    RecordedRequest,
    SentMessage,
    UploadedFile,
)

API_PREFIX = "/api/v10"


@dataclass
class Session:
    """The bot's gateway session: its intents, sequence and dispatch log for RESUME."""

    id: str
    intents: int
    seq: int = 0
    log: list[dict[str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Guild:
    """A guild: roles, channels, members and threads by id."""

    id: str
    name: str
    owner_id: str
    roles: dict[str, dict[str, Any]] = field(default_factory=dict)
    channels: list[str] = field(default_factory=list)
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    threads: list[str] = field(default_factory=list)


class DiscordWorld:
    """Users, guilds, channels and messages of the fake, and what the bot did to them.

    Args:
        token: The bot token the fake accepts.
        bot_name: The bot user's name.
        heartbeat_interval_ms: Sent in HELLO.
        limits: Per-route limits by route template (``"POST /channels/{channel_id}/messages"``),
            merged over :data:`~bot.testing.discord_double.buckets.DEFAULT_LIMITS`.
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
        self.guilds: dict[str, Guild] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.messages: dict[str, dict[str, Any]] = {}
        self.history: dict[str, list[str]] = {}
        #: Enforced nonces of recent bot messages: ``(channel, nonce)`` → ``(message id, when)``.
        self.nonces: dict[tuple[str, str], tuple[str, float]] = {}
        #: How long a nonce is deduped, in seconds (Discord: "a few minutes").
        self.nonce_window = 300.0
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
        #: Accept interaction callbacks but keep the bot waiting for the answer until
        #: :meth:`release_callbacks` (to kill it right after an interaction is deferred).
        self.hold_callbacks = False
        self._callbacks_released = asyncio.Event()
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._global_window: deque[float] = deque()
        self._global_until = 0.0
        self._forced: list[Forced] = []
        #: Routes to refuse outright (status, Discord error code, message, how many more).
        self._refusals: list[list[Any]] = []
        self._session: Session | None = None
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._sockets: set[web.WebSocketResponse] = set()
        self._transports: dict[int, asyncio.BaseTransport | None] = {}
        self.port = 0

    @property
    def api_url(self) -> str:
        """Base URL for ``discord.http.Route.BASE`` (``CITYNEEDS_DISCORD_API_URL``)."""
        return f"http://{self.host}:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL (``CITYNEEDS_DISCORD_GATEWAY_URL``)."""
        return f"ws://{self.host}:{self.port}/gateway"

    def add_user(self, username: str) -> dict[str, Any]:
        """Create a (human) user."""
        new = p.user(self.ids.next(), username)
        self.users[new["id"]] = new
        return new

    def add_guild(self, name: str) -> str:
        """Create a guild with an ``@everyone`` role and the bot as a member; return its id."""
        gid = self.ids.next()
        g = Guild(gid, name, self.owner["id"])
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

    def release_callbacks(self) -> None:
        """Answer the held interaction callbacks and hold no more."""
        self.hold_callbacks = False
        self._callbacks_released.set()
        self._callbacks_released = asyncio.Event()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def store_bot_message(
        self,
        channel_id: str,
        body: Mapping[str, Any],
        files: Sequence[UploadedFile],
        *,
        flags: int = 0,
        webhook: bool = False,
        interaction: InteractionRecord | None = None,
    ) -> dict[str, Any]:
        """Store a message the bot sent (channel post, interaction answer or follow-up)."""
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
        components = numbered(body.get("components", []) or [])
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
                    "user": invoker(interaction.payload),
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

    def _interaction(self, interaction_id: str, token: str) -> InteractionRecord | None:
        found = self.interactions.get(interaction_id)
        return found if found is not None and found.token == token else None

    def _by_token(self, token: str) -> InteractionRecord | None:
        return next((i for i in self.interactions.values() if i.token == token), None)


def invoker(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The user who caused an interaction (member user in a guild, user in a DM)."""
    if "member" in payload:
        return dict(payload["member"]["user"])
    return dict(payload.get("user", {}))


def numbered(components: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
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
