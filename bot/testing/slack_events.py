"""Signed HTTP requests to a Slack app, built the way Slack builds them.

Payload builders return the raw structures Slack sends (``event_callback``
with an ``event_id``, ``block_actions``, ``view_submission``, slash-command form
fields); :class:`SlackEventsClient` encodes them like Slack (JSON for events, a
form field ``payload`` for interactions, a form for commands) and signs them
with the v0 scheme (``X-Slack-Request-Timestamp``, ``X-Slack-Signature`` =
``v0=`` + HMAC-SHA256 of ``v0:{timestamp}:{body}``), optionally with a stale
timestamp, a wrong secret or no signature at all, and with Slack's retry
headers (``X-Slack-Retry-Num``, ``X-Slack-Retry-Reason``).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlencode

import aiohttp

from flows.direction import strip_marks

Signing = Literal["valid", "stale", "wrong", "none"]

#: How far back a "stale" signature is dated (Slack's window is 5 minutes).
STALE_SECONDS = 6 * 60

_counter = itertools.count(1)


def _next(prefix: str) -> str:
    return f"{prefix}{next(_counter):010d}"


def slack_escape(text: str) -> str:
    """Escape typed text as Slack does in message events (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def signature(secret: str, timestamp: int, body: str) -> str:
    """Slack's v0 request signature of ``body`` sent at ``timestamp``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


# ----------------------------------------------------------------- payloads
def message_event(
    user: str,
    channel: str,
    text: str,
    *,
    channel_type: str = "im",
    ts: str | None = None,
    thread_ts: str | None = None,
    parent_user_id: str | None = None,
    team_id: str = "T0CITY",
    escape: bool = True,
) -> dict[str, Any]:
    """A ``message`` event as a user typed it (text escaped as Slack escapes it)."""
    ts = ts or f"{time.time():.6f}"
    event: dict[str, Any] = {
        "type": "message",
        "user": user,
        "text": slack_escape(text) if escape else text,
        "ts": ts,
        "channel": channel,
        "channel_type": channel_type,
        "team": team_id,
        "event_ts": ts,
        "client_msg_id": _next("msg-"),
    }
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
        event["parent_user_id"] = parent_user_id
    return event


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = "T0CITY",
    api_app_id: str = "A0CITY",
) -> dict[str, Any]:
    """The Events API envelope around ``event``."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or _next("Ev"),
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": team_id, "user_id": "U0BOT", "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
    }


def slash_command(
    user: str,
    channel: str,
    text: str,
    *,
    response_url: str,
    command: str = "/cityneeds",
    channel_name: str | None = None,
    trigger_id: str | None = None,
    team_id: str = "T0CITY",
    api_app_id: str = "A0CITY",
) -> dict[str, str]:
    """A slash command's form fields."""
    return {
        "token": "legacy-verification-token",
        "team_id": team_id,
        "team_domain": "cityneeds-test",
        "channel_id": channel,
        "channel_name": channel_name
        or ("directmessage" if channel.startswith("D") else "workshop"),
        "user_id": user,
        "user_name": user.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or _next("trig-"),
    }


def find_element(
    blocks: list[dict[str, Any]],
    *,
    action_id: str | None = None,
    label: str | None = None,
    kind: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """``(block_id, element)`` of the first interactive element that matches.

    Raises:
        LookupError: No element matches.
    """
    for block in blocks:
        if block.get("type") != "actions":
            continue
        for element in block.get("elements", []):
            if action_id is not None and element.get("action_id") != action_id:
                continue
            if kind is not None and element.get("type") != kind:
                continue
            text = (element.get("text") or {}).get("text")
            if label is not None and text != label:
                continue
            return str(block.get("block_id")), element
    raise LookupError(f"no element action_id={action_id} label={label} kind={kind}")


def _option(element: dict[str, Any], value: str | None, number: int | None) -> dict[str, Any]:
    options: list[dict[str, Any]] = element.get("options", [])
    for option in options:
        text = str(option["text"]["text"])
        raw = str(option["value"])
        if (value is not None and (raw == value or raw.endswith("|" + value))) or (
            number is not None and strip_marks(text).startswith(f"{number}) ")
        ):
            return option
    raise LookupError(f"no option value={value} number={number}")


def button_action(block_id: str, element: dict[str, Any]) -> dict[str, Any]:
    """The ``actions[0]`` of a button press."""
    return {
        "action_id": element["action_id"],
        "block_id": block_id,
        "text": element["text"],
        "value": element.get("value", ""),
        "type": "button",
        "action_ts": f"{time.time():.6f}",
    }


def select_action(
    block_id: str, element: dict[str, Any], *, value: str | None = None, number: int | None = None
) -> dict[str, Any]:
    """The ``actions[0]`` of picking an option (by value suffix or number) in a static select."""
    option = _option(element, value, number)
    return {
        "action_id": element["action_id"],
        "block_id": block_id,
        "selected_option": option,
        "placeholder": element.get("placeholder"),
        "type": "static_select",
        "action_ts": f"{time.time():.6f}",
    }


def multi_state(
    block_id: str,
    element: dict[str, Any],
    *,
    values: list[str] | None = None,
    numbers: list[int] | None = None,
) -> dict[str, Any]:
    """The message ``state`` after picking options in a multi-select."""
    chosen = [_option(element, v, None) for v in values or []]
    chosen += [_option(element, None, n) for n in numbers or []]
    return {
        "values": {
            block_id: {
                element["action_id"]: {"type": "multi_static_select", "selected_options": chosen}
            }
        }
    }


def block_actions(
    user: str,
    *,
    channel: str,
    message: dict[str, Any],
    action: dict[str, Any],
    response_url: str,
    state: dict[str, Any] | None = None,
    trigger_id: str | None = None,
    team_id: str = "T0CITY",
    api_app_id: str = "A0CITY",
) -> dict[str, Any]:
    """A ``block_actions`` payload for ``action`` on ``message`` (``ts``, ``text``, ``blocks``)."""
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message["ts"],
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if message.get("thread_ts"):
        container["thread_ts"] = message["thread_ts"]
    return {
        "type": "block_actions",
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "legacy-verification-token",
        "container": container,
        "trigger_id": trigger_id or _next("trig-"),
        "team": {"id": team_id, "domain": "cityneeds-test"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {
            "id": channel,
            "name": "directmessage" if channel.startswith("D") else "workshop",
        },
        "message": message,
        "state": state or {"values": {}},
        "response_url": response_url,
        "actions": [action],
    }


def view_submission(
    user: str,
    view: dict[str, Any],
    values: dict[str, str],
    *,
    team_id: str = "T0CITY",
    api_app_id: str = "A0CITY",
) -> dict[str, Any]:
    """A ``view_submission`` for an opened ``view``; ``values`` maps input ``block_id`` to text.

    Select inputs get ``selected_option`` (matched by option value), text inputs ``value``.
    """
    state: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        raw = values.get(block["block_id"])
        if element["type"] == "static_select":
            option = next((o for o in element["options"] if o["value"] == raw), None)
            entry: dict[str, Any] = {"type": "static_select", "selected_option": option}
        else:
            entry = {"type": element["type"], "value": raw or None}
        state[block["block_id"]] = {element["action_id"]: entry}
    submitted = {**view, "state": {"values": state}}
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "cityneeds-test"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team_id},
        "api_app_id": api_app_id,
        "token": "legacy-verification-token",
        "trigger_id": _next("trig-"),
        "view": submitted,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


# ------------------------------------------------------------------ client
@dataclass(frozen=True)
class Delivered:
    """The app's HTTP answer to one request, and how long it took."""

    status: int
    body: str
    elapsed: float


class SlackEventsClient:
    """Sends signed requests to a Slack app's request URL (as Slack would).

    Args:
        url: The app's request URL (``http://127.0.0.1:PORT/slack/events``).
        signing_secret: The app's signing secret.
        clock: Wall-clock time for timestamps (Slack uses Unix seconds).
    """

    def __init__(self, url: str, signing_secret: str, *, clock: Any = time.time) -> None:
        self.url = url
        self.signing_secret = signing_secret
        self.clock = clock
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> SlackEventsClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    def headers(
        self,
        body: str,
        content_type: str,
        *,
        signing: Signing = "valid",
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> dict[str, str]:
        """The headers Slack would send with ``body``."""
        headers = {"Content-Type": content_type, "User-Agent": "Slackbot 1.0"}
        now = int(self.clock())
        if signing != "none":
            stamp = now - STALE_SECONDS if signing == "stale" else now
            secret = self.signing_secret + "-wrong" if signing == "wrong" else self.signing_secret
            headers["X-Slack-Request-Timestamp"] = str(stamp)
            headers["X-Slack-Signature"] = signature(secret, stamp, body)
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason
        return headers

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        signing: Signing = "valid",
        retry_num: int | None = None,
        retry_reason: str = "http_timeout",
    ) -> Delivered:
        """POST ``body`` to the app and time the answer."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = self.headers(
            body, content_type, signing=signing, retry_num=retry_num, retry_reason=retry_reason
        )
        started = time.monotonic()
        async with self._session.post(self.url, data=body.encode(), headers=headers) as resp:
            text = await resp.text()
        return Delivered(resp.status, text, time.monotonic() - started)

    async def event(self, envelope: dict[str, Any], **options: Any) -> Delivered:
        """Deliver an ``event_callback`` (JSON body)."""
        return await self.post(json.dumps(envelope), "application/json", **options)

    async def interaction(self, payload: dict[str, Any], **options: Any) -> Delivered:
        """Deliver a ``block_actions``/``view_submission`` (form field ``payload``)."""
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def command(self, form: dict[str, str], **options: Any) -> Delivered:
        """Deliver a slash command (form body)."""
        return await self.post(urlencode(form), "application/x-www-form-urlencoded", **options)
