"""Reading Slack's payloads: who sent a request, where it came from, what was picked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.blocks import MULTI


def slack_unescape(text: str) -> str:
    """Undo Slack's escaping of ``&``, ``<`` and ``>`` in message text (we store what was typed)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass(frozen=True)
class Where:
    """Where an input came from: the reply goes to ``channel`` (and ``thread_ts``)."""

    channel: str
    thread_ts: str | None
    workshop: str
    address: str | None


def user_of(body: dict[str, Any]) -> str:
    """The Slack user a request comes from (event, command or interaction)."""
    event = body.get("event")
    if isinstance(event, dict):
        return str(event.get("user") or "")
    user = body.get("user")
    if isinstance(user, dict):
        return str(user.get("id") or "")
    return str(body.get("user_id") or "")


def message_place(body: dict[str, Any]) -> tuple[str, str | None]:
    """The channel and thread of the message an interaction came from."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = str(container.get("channel_id") or (body.get("channel") or {}).get("id") or "")
    thread_ts = message.get("thread_ts") or container.get("thread_ts")
    if thread_ts == message.get("ts"):
        thread_ts = None  # the message is a thread's parent, not in a thread
    return channel, thread_ts


def multi_selection(state: dict[str, Any]) -> list[tuple[str, str]]:
    """``(value, label)`` of the items picked in the message's multi-select."""
    for block in (state.get("values") or {}).values():
        element = block.get(MULTI)
        if element is not None:
            return [
                (str(o.get("value")), str((o.get("text") or {}).get("text") or ""))
                for o in element.get("selected_options") or []
            ]
    return []
