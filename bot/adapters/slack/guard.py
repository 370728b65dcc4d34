"""What stands between the network and Bolt: signatures first, then the shape of the body.

Over HTTP the signature is checked before a single byte is parsed: an unsigned,
forged or stale request gets 401, a signed but malformed one (a timestamp that
is not a number, a body that is not JSON, a ``payload=`` that is not JSON, a
JSON list, an ``event`` that is not an object) gets 400, each with one log line
that holds no request body. Bolt then sees only bodies it can parse. Signed
requests of a kind nobody listens to are answered 200 (a 404 makes Slack
retry). Over Socket Mode there are no signatures; malformed envelopes are
acknowledged (so Slack does not resend them) and logged in one line.

Bolt itself logs the whole body of a badly signed request at INFO, and
unhandled requests at WARNING; :func:`quiet_bolt_logs` keeps bodies out of
every log record at INFO or above.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.requests import parse_body

if TYPE_CHECKING:
    from bot.adapters.slack.intake import SlackIntake

log = logging.getLogger(__name__)

#: Slack's replay window for request timestamps.
TOLERANCE_SECONDS = 5 * 60
#: Fields that Bolt reads as an id string or an object with an ``id``.
_ID_FIELDS = ("team", "user", "channel", "enterprise")


@dataclass(frozen=True)
class Refusal:
    """Why a request is not handed to Bolt, and the HTTP status that says so."""

    status: int
    reason: str


def body_problem(body: object) -> str | None:
    """What is wrong with a parsed body or Socket Mode payload, or ``None`` when Bolt can take it.

    Only the shape is checked (what Bolt and our listeners index into); the
    listeners decide what the content means.
    """
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    kind = body.get("type")
    if kind is not None and not isinstance(kind, str):
        return "its type is not a string"
    problem = _ids_problem(body, "")
    if problem:
        return problem
    if kind == "event_callback":
        event = body.get("event")
        if not isinstance(event, dict) or not isinstance(event.get("type"), str):
            return "its event is not an object with a type"
        return _ids_problem(event, "event ")
    if kind == "url_verification" and not isinstance(body.get("challenge"), str):
        return "its challenge is not a string"
    if kind in ("block_actions", "block_suggestion") and not _list_of_objects(
        body.get("actions", [])
    ):
        return "its actions are not a list of objects"
    if kind in ("view_submission", "view_closed") and not isinstance(body.get("view"), dict):
        return "its view is not an object"
    if "authorizations" in body and not _list_of_objects(body["authorizations"]):
        return "its authorizations are not a list of objects"
    return None


def _ids_problem(body: Mapping[str, Any], where: str) -> str | None:
    for name in _ID_FIELDS:
        value = body.get(name)
        if value is not None and not isinstance(value, str | dict):
            return f"its {where}{name} is neither an id nor an object"
    return None


def _list_of_objects(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)


class RequestGuard:
    """Checks a raw HTTP request from Slack before Bolt parses it.

    Args:
        signing_secret: The app's signing secret.
        clock: Wall-clock time in Unix seconds (tests may pass their own).
    """

    def __init__(self, signing_secret: str, *, clock: Callable[[], float] = time.time) -> None:
        if not signing_secret:
            raise ValueError("HTTP mode needs the signing secret to verify Slack's requests")
        self._secret = signing_secret.encode()
        self._clock = clock

    def check(self, headers: Mapping[str, str], body: bytes) -> Refusal | None:
        """``None`` when the request is signed, fresh and well formed, else the refusal."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        sent = headers.get("X-Slack-Signature", "")
        if not stamp or not sent or not self._signed(stamp, body, sent):
            return Refusal(401, "the signature is missing or wrong")
        if not stamp.isdecimal():
            return Refusal(400, "the signed timestamp is not a number")
        if abs(self._clock() - int(stamp)) > TOLERANCE_SECONDS:
            return Refusal(401, "the signed timestamp is too old or in the future")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return Refusal(400, "the body is not UTF-8")
        content_type = headers.get("Content-Type", "").split(";")[0].strip()
        # The same choice parse_body makes.
        if content_type != "application/json" and not text.startswith("{"):
            fields = dict(parse_qsl(text, keep_blank_values=True))
            if "payload" not in fields:
                if fields.get("command") or fields.get("ssl_check"):
                    return None
                return Refusal(400, "the form is neither a command nor an interaction payload")
        try:
            parsed = parse_body(text, content_type)
        except ValueError:
            return Refusal(400, "the body (or its payload field) is not JSON")
        problem = body_problem(parsed)
        return Refusal(400, problem) if problem else None

    def _signed(self, stamp: str, body: bytes, sent: str) -> bool:
        base = b"v0:" + stamp.encode("utf-8", "replace") + b":" + body
        expected = "v0=" + hmac.new(self._secret, base, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace"))


def refused(refusal: Refusal) -> None:
    """Log one line for a refused HTTP request (never its body)."""
    level = logging.WARNING if refusal.status == 400 else logging.INFO
    log.log(level, "Slack request refused with %s: %s", refusal.status, refusal.reason)


class _BodyFilter(logging.Filter):
    """Keeps request bodies out of Bolt's log records at INFO and above."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.INFO:
            return True
        message = record.getMessage()
        if message.startswith("Invalid request signature detected"):
            record.msg, record.args = "Invalid request signature detected (body withheld)", ()
        elif message.startswith("Unhandled request") or "without providing a response" in message:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


_FILTER = _BodyFilter()


def quiet_bolt_logs(app: object | None = None) -> None:
    """Install the body filter on the Bolt loggers that can print a request body."""
    names = ("slack_bolt.RequestVerification", "slack_bolt.AsyncRequestVerification")
    loggers = [logging.getLogger(name) for name in names]
    own = getattr(app, "logger", None)
    if isinstance(own, logging.Logger):
        loggers.append(own)
    for logger in loggers:
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


#: Listener tasks of the guarded client, kept referenced until they finish.
_RUNNING: set[asyncio.Future[None]] = set()


class _GuardedClient(SocketModeClient):
    """A Socket Mode client that drops frames which are not JSON objects, in one log line."""

    async def process_message(self) -> None:
        raw = await self.message_queue.get()
        if raw is None:
            return
        try:
            message = json.loads(raw)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            log.warning("Slack Socket Mode frame ignored: not a JSON object (%d chars)", len(raw))
            return
        envelope_id = message.get("envelope_id")
        if "payload" in message and not isinstance(message["payload"], dict):
            if isinstance(envelope_id, str):
                await unread(self, envelope_id, "its payload is not a JSON object")
            return
        task = asyncio.ensure_future(self.run_message_listeners(message, raw))
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)


async def unread(client: SocketModeClient, envelope_id: str, problem: str) -> None:
    """Acknowledge a Socket Mode envelope nobody will read (Slack would resend it), in one line."""
    log.warning("Slack Socket Mode envelope %s acked unread: %s", envelope_id, problem)
    await client.send_socket_mode_response(SocketModeResponse(envelope_id=envelope_id))


class GuardedSocketModeHandler:
    """Socket Mode into the inbox: well-formed envelopes are stored, then acknowledged.

    A malformed payload is acknowledged and logged in one line (Slack would
    otherwise resend it); one that no listener takes is acknowledged too. An
    envelope the database could not store is left unacknowledged, so Slack
    sends it again.

    Args:
        intake: Where requests are stored and handled.
        app_token: The app-level token (``xapp-…``).
        web_client: The Web API client (``apps.connections.open``).
    """

    def __init__(self, intake: SlackIntake, app_token: str, web_client: AsyncWebClient) -> None:
        self.intake = intake
        self.app_token = app_token
        self.client = _GuardedClient(app_token=app_token, web_client=web_client)
        self.client.socket_mode_request_listeners.append(self.handle)  # type: ignore[arg-type]
        quiet_bolt_logs()

    async def connect_async(self) -> None:
        """Open the WebSocket (``apps.connections.open``)."""
        await self.client.connect()  # type: ignore[no-untyped-call]

    async def close_async(self) -> None:
        """Close the WebSocket."""
        await self.client.close()  # type: ignore[no-untyped-call]

    async def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:
        """Store a well-formed envelope and acknowledge it; acknowledge the rest unread."""
        problem = body_problem(req.payload)
        if problem is not None:
            await unread(client, req.envelope_id, problem)
            return
        try:
            ack = await self.intake.accept(req.payload)
        except Exception as exc:  # not stored: not acknowledged, so Slack resends it
            log.warning("Slack Socket Mode envelope not stored (%s); left for a resend", exc)
            return
        response = SocketModeResponse(envelope_id=req.envelope_id, payload=ack.body)
        await client.send_socket_mode_response(response)
