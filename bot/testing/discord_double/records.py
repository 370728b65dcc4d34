"""What crosses the fake's wire and what it records: requests, sent messages, interactions.

Tests read these from :class:`~bot.testing.discord_api.FakeDiscord` (``requests``,
``sent``, ``interactions``, :meth:`~bot.testing.discord_api.FakeDiscord.sent_to`…)
to check what the bot really sent.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.testing import discord_payloads as p


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
class Call:
    """One REST request as a route handler sees it."""

    request: web.Request
    record: RecordedRequest
    params: dict[str, str]


#: A REST route handler: the call in, ``(status, JSON payload)`` out.
Handler = Callable[[Call], Awaitable[tuple[int, Any]]]


class FakeDiscordError(RuntimeError):
    """The test used the fake wrongly (unknown user, channel, message…)."""


def json_response(
    payload: Any, *, status: int = 200, headers: Mapping[str, str] | None = None
) -> web.Response:
    """A JSON answer with Discord's exact ``Content-Type`` (discord.py compares it verbatim)."""
    return web.Response(
        body=json.dumps(payload).encode("utf-8"),
        status=status,
        headers={**(headers or {}), "Content-Type": "application/json"},
    )
