"""What a Slack request is: its body read as Slack meant it, its kind and its dedupe key.

:func:`parse_body` replaces slack-bolt's parser, which takes any form body that
contains the word ``payload`` *anywhere* (a slash command's text, say) for an
interaction and then finds no ``payload`` field: the command was lost. Here
only a form *field* named ``payload`` makes an interaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qsl

from bot.app.inbox import Outgoing


class Kind(StrEnum):
    """What a request is, as far as the adapter cares."""

    EVENT = "event"
    COMMAND = "command"
    INTERACTION = "interaction"
    URL_VERIFICATION = "url_verification"
    SSL_CHECK = "ssl_check"
    OTHER = "other"


def parse_body(text: str, content_type: str) -> dict[str, Any]:
    """The request body as Slack sent it: JSON, a form, or a form's ``payload`` field.

    Raises:
        ValueError: The JSON (or the ``payload`` field) is not valid JSON.
    """
    if not text:
        return {}
    if content_type == "application/json" or text.startswith("{"):
        parsed = json.loads(text)
    else:
        fields = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in fields:
            return fields
        parsed = json.loads(fields["payload"])
    if not isinstance(parsed, dict):
        raise ValueError("the body is not a JSON object")
    return parsed


def kind_of(body: dict[str, Any]) -> Kind:
    """The kind of a parsed body (HTTP) or Socket Mode payload."""
    kind = body.get("type")
    if kind == "event_callback":
        return Kind.EVENT
    if kind == "url_verification":
        return Kind.URL_VERIFICATION
    if body.get("ssl_check"):
        return Kind.SSL_CHECK
    if body.get("command"):
        return Kind.COMMAND
    if kind in ("block_actions", "view_submission"):
        return Kind.INTERACTION
    return Kind.OTHER


def dedupe_key(body: dict[str, Any]) -> str:
    """The key under which a delivery is stored once: Slack's retries carry the same one.

    Events have an ``event_id``; a command or an interaction has a ``trigger_id``
    (Slack never resends those); anything else is known by its content.
    """
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"ev:{body['event_id']}"
    if body.get("trigger_id"):
        prefix = "cmd" if body.get("command") else "int"
        return f"{prefix}:{body['trigger_id']}"
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f"sha:{digest[:40]}"


def team_of(body: dict[str, Any]) -> str:
    """The workspace a request comes from (``""`` when it does not say)."""
    team = body.get("team_id") or body.get("team")
    if isinstance(team, dict):
        team = team.get("id")
    if not team:
        for authorization in body.get("authorizations") or []:
            if isinstance(authorization, dict) and authorization.get("team_id"):
                return str(authorization["team_id"])
    return str(team or "")


@dataclass(frozen=True)
class Ack:
    """What to answer Slack right away: a status and, for a challenge, a JSON body."""

    status: int = 200
    body: dict[str, Any] | None = None


class Posts(list[asyncio.Future[Any]]):
    """Web API calls a handler queued directly (not replies: those go through the outbox)."""


@dataclass
class Delivery:
    """One stored request being handled: its inbox row and what its handler produced.

    Attributes:
        inbox_id: The inbox row (a turn that stores its replies closes it).
        bot_user_id: The bot's user in the request's workspace (``auth.test``).
        posts: Calls queued directly (``chat.update``, uploads, ``response_url``).
        replies: Replies not stored by a turn; stored when the row is closed.
        closed: A turn closed the row and stored its replies with itself.
    """

    inbox_id: int
    bot_user_id: str
    posts: Posts = field(default_factory=Posts)
    replies: list[Outgoing] = field(default_factory=list)
    closed: bool = False
