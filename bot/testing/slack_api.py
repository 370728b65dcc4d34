"""A loopback Slack Web API for tests and benchmarks: answers like Slack, records every call.

Start it on ``127.0.0.1`` port 0 and point the app's ``AsyncWebClient`` at
:attr:`SlackApiDouble.api_url` (``CITYNEEDS_SLACK_API_URL``)::

    api = SlackApiDouble(token="xoxb-test")
    await api.start()
    client = make_web_client("xoxb-test", api.api_url)

What it does:

* Implements the methods the CityNeeds app calls: ``auth.test``,
  ``chat.postMessage``, ``chat.postEphemeral``, ``chat.update``,
  ``conversations.open``, ``users.info``, ``views.open``,
  ``files.getUploadURLExternal``, the upload URL it hands out (``POST``/``PUT``
  of the bytes to this same server), ``files.completeUploadExternal`` and
  ``apps.connections.open`` (with the app-level token), whose WebSocket URL is a
  small Socket Mode server: it says ``hello``, sends envelopes
  (:meth:`SlackApiDouble.socket_send`) and records the app's acks.
  Parameters are read from the query string, form, multipart or JSON body,
  as slack_sdk sends them; a missing or wrong ``Authorization: Bearer`` token
  gets ``not_authed``/``invalid_auth``; missing arguments get Slack's error
  codes (``channel_not_found``, ``no_text``, ``invalid_arguments``…).
* Enforces Slack's limits for real and per channel: at most one
  ``chat.postMessage`` per ``post_interval`` seconds per channel (else 429 with
  ``Retry-After``); ≤ 50 blocks, section text ≤ 3,000, header ≤ 150, button
  and option text ≤ 75, ≤ 25 elements per actions block, ≤ 100 select options,
  ``block_id`` unique per message and ``action_id`` per block (else
  ``invalid_blocks``); message text ≤ 40,000 (``msg_too_long``).
* Fault injection: 429 with ``Retry-After: N`` for a time window or the next K
  calls (of one method, optionally one channel), 500 for the next K calls, and
  ``ok: false`` with any error (``missing_scope``…), and a delay per method.
* ``response_url`` endpoints (:meth:`response_url`) that record what arrives.

Every call is an :class:`ApiCall` in :attr:`calls` (method, params, monotonic
time, HTTP status, response), in arrival order.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

#: Slack's documented limits the double enforces.
MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
BUTTON_CHARS = 75
OPTION_CHARS = 75
OPTION_VALUE_CHARS = 150
BUTTON_VALUE_CHARS = 2000
ACTION_ELEMENTS = 25
CONTEXT_ELEMENTS = 10
SELECT_OPTIONS = 100
ID_CHARS = 255
MESSAGE_CHARS = 40_000
MODAL_BLOCKS = 100
MODAL_TITLE_CHARS = 24
PRIVATE_METADATA_CHARS = 3000


@dataclass
class ApiCall:
    """One request the double received."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    response: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None

    @property
    def ok(self) -> bool:
        """Whether Slack would have accepted it."""
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class Message:
    """A message the double accepted (``chat.postMessage``), as currently shown."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    at: float
    user: str
    mrkdwn: bool = True
    updates: int = 0


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: float | None
    until: float | None
    remaining: int | None
    channel: str | None
    error: str = "internal_error"

    def matches(self, method: str, channel: str | None, now: float) -> bool:
        if self.method not in (method, "*"):
            return False
        if self.channel is not None and self.channel != channel:
            return False
        if self.until is not None and now >= self.until:
            return False
        return self.remaining is None or self.remaining > 0


class _Invalid(Exception):
    def __init__(self, error: str, detail: str = "") -> None:
        super().__init__(detail or error)
        self.error = error
        self.detail = detail


class SlackApiDouble:
    """The loopback Slack Web API (see the module docstring).

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
        self._faults: list[_Fault] = []
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

    # ------------------------------------------------------------ lifecycle
    async def start(self, host: str = "127.0.0.1", port: int = 0) -> SlackApiDouble:
        """Listen (port 0 picks a free port) and return ``self``."""
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_route("*", "/upload/{file_id}", self._upload)
        app.router.add_post("/response/{key}", self._response_url)
        app.router.add_get("/socket-mode", self._socket_mode)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        self._host = host
        return self

    async def close(self) -> None:
        """Stop listening."""
        if self._socket is not None and not self._socket.closed:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

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

    # ----------------------------------------------------------- the world
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

    # ------------------------------------------------------------- faults
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
        self._faults.append(_Fault(method, status, retry_after, until, calls, channel))

    # ------------------------------------------------------------ queries
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

    # ------------------------------------------------------------ handlers
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.method not in ("POST", "PUT"):
            return params
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        elif ctype == "application/x-www-form-urlencoded":
            params.update(parse_qsl((await request.read()).decode(), keep_blank_values=True))
        elif ctype.startswith("multipart/"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, str | bytes | bytearray):
                    params[key] = value
                else:
                    params[key] = value.file.read()
        return params

    def _auth(self, request: web.Request, params: dict[str, Any], method: str) -> str | None:
        header = request.headers.get("Authorization", "")
        token = header[7:] if header.startswith("Bearer ") else params.pop("token", None)
        expected = self.app_token if method == "apps.connections.open" else self.token
        if not token:
            return "not_authed"
        if token != expected:
            return "invalid_auth"
        return None

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        params = await self._params(request)
        channel = params.get("channel") or params.get("channel_id")
        call = ApiCall(method, params, time.monotonic(), channel=channel)
        self.calls.append(call)
        try:
            delay = self._delays.get(method, 0.0)
            if delay:
                await asyncio.sleep(delay)
            response = self._answer(request, call)
            return response
        finally:
            await self._notify()

    def _answer(self, request: web.Request, call: ApiCall) -> web.Response:
        method, params = call.method, call.params
        error = self._auth(request, params, method)
        if error is not None:
            return self._json(call, {"ok": False, "error": error})
        now = time.monotonic()
        for fault in self._faults:
            if fault.matches(method, call.channel, now):
                if fault.remaining is not None:
                    fault.remaining -= 1
                if fault.status == 429:
                    return self._json(
                        call,
                        {"ok": False, "error": "ratelimited"},
                        status=429,
                        headers={"Retry-After": _seconds(fault.retry_after or 1)},
                    )
                return self._json(call, {"ok": False, "error": fault.error}, status=fault.status)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return self._json(call, {"ok": False, "error": "unknown_method"})
        try:
            body: dict[str, Any] = handler(params, call)
        except _Invalid as exc:
            answer: dict[str, Any] = {"ok": False, "error": exc.error}
            if exc.detail:
                answer["errors"] = [exc.detail]
            return self._json(call, answer)
        except _RateLimited as exc:
            return self._json(
                call,
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": _seconds(exc.retry_after)},
            )
        return self._json(call, {"ok": True, **body})

    def _json(
        self,
        call: ApiCall,
        body: dict[str, Any],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> web.Response:
        call.status = status
        call.response = body
        return web.json_response(body, status=status, headers=headers)

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["file_id"]
        data = await request.read()
        call = ApiCall("upload", {"file_id": file_id, "bytes": len(data)}, time.monotonic())
        self.calls.append(call)
        try:
            meta = self.files.get(file_id)
            if meta is None:
                call.status = 404
                return web.Response(status=404, text="unknown upload")
            if int(meta["length"]) != len(data):
                call.status = 400
                return web.Response(status=400, text="length mismatch")
            self.uploads[file_id] = data
            call.status = 200
            return web.Response(text=f"OK - {len(data)}", content_type="text/plain")
        finally:
            await self._notify()

    async def _socket_mode(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": 1,
                "debug_info": {"host": "loopback", "approximate_connection_time": 3600},
                "connection_info": {"app_id": "A0CITY"},
            }
        )
        await self._notify()
        async for frame in ws:
            if frame.type != web.WSMsgType.TEXT:
                continue
            ack = json.loads(frame.data)
            if isinstance(ack, dict) and ack.get("envelope_id"):
                self.socket_acks[str(ack["envelope_id"])] = (time.monotonic(), ack)
                await self._notify()
        if self._socket is ws:
            self._socket = None
        return ws

    @property
    def socket_connected(self) -> bool:
        """Whether an app is connected over Socket Mode."""
        return self._socket is not None and not self._socket.closed

    async def socket_send(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Send one Socket Mode envelope (``events_api``, ``slash_commands``, ``interactive``).

        Returns:
            Its ``envelope_id`` (the app's ack lands in :attr:`socket_acks`).

        Raises:
            RuntimeError: No app is connected.
        """
        if self._socket is None or self._socket.closed:
            raise RuntimeError("no app is connected over Socket Mode")
        envelope_id = f"env-{next(self._ids):08d}"
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = retry_reason
        self.socket_sent[envelope_id] = time.monotonic()
        await self._socket.send_json(envelope)
        return envelope_id

    async def socket_send_raw(self, frame: str) -> None:
        """Send one Socket Mode text frame exactly as given (malformed frames, for tests).

        Raises:
            RuntimeError: No app is connected.
        """
        if self._socket is None or self._socket.closed:
            raise RuntimeError("no app is connected over Socket Mode")
        await self._socket.send_str(frame)

    async def _response_url(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        body = await request.json()
        call = ApiCall("response_url", {"key": key, **body}, time.monotonic())
        call.response = {"ok": True}
        self.calls.append(call)
        self.responses[key].append(body)
        await self._notify()
        return web.Response(text="ok", content_type="text/plain")

    # ------------------------------------------------------------- methods
    def _m_auth_test(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        return {
            "url": "https://cityneeds-test.slack.com/",
            "team": "CityNeeds Test",
            "user": "cityneeds",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _m_apps_connections_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        return {"url": f"ws://{self._host}:{self.port}/socket-mode"}

    def _m_users_info(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        user = self.users.get(str(params.get("user") or ""))
        if user is None:
            raise _Invalid("user_not_found")
        data = dict(user)
        if str(params.get("include_locale")).lower() not in ("1", "true"):
            data.pop("locale", None)
        return {"user": data}

    def _m_conversations_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        users = [u for u in str(params.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise _Invalid("users_list_not_supplied" if not users else "not_supported")
        return {"channel": {"id": self.dm_channel(users[0])}}

    def _next_ts(self) -> str:
        self._ts_clock += 0.000100
        return f"{self._ts_clock:.6f}"

    def _m_chat_postMessage(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if not channel:
            raise _Invalid("channel_not_found")
        text = str(params.get("text") or "")
        blocks = _blocks(params.get("blocks"))
        if not text and not blocks and not params.get("attachments"):
            raise _Invalid("no_text")
        if len(text) > MESSAGE_CHARS:
            raise _Invalid("msg_too_long")
        if channel in self.not_member:
            raise _Invalid("not_in_channel")
        check_blocks(blocks)
        now = time.monotonic()
        if self.post_interval is not None:
            last = self._last_post.get(channel)
            if last is not None and now - last < self.post_interval:
                self.limit_violations += 1
                raise _RateLimited(max(1, math.ceil(self.post_interval - (now - last))))
            self._last_post[channel] = now
        ts = self._next_ts()
        message = Message(
            channel=channel,
            ts=ts,
            text=text,
            blocks=blocks,
            thread_ts=params.get("thread_ts") or None,
            at=now,
            user=self.bot_user_id,
            mrkdwn=str(params.get("mrkdwn", True)).lower() not in ("false", "0"),
        )
        self.messages.append(message)
        self._by_channel[channel].append(message)
        self._by_ts[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": _shown(message, self.bot_id)}

    def _m_chat_postEphemeral(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if not channel:
            raise _Invalid("channel_not_found")
        if not params.get("user"):
            raise _Invalid("user_not_found")
        blocks = _blocks(params.get("blocks"))
        if not params.get("text") and not blocks:
            raise _Invalid("no_text")
        check_blocks(blocks)
        self.ephemeral.append(dict(params, blocks=blocks))
        return {"message_ts": self._next_ts()}

    def _m_chat_update(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        ts = str(params.get("ts") or "")
        message = self._by_ts.get((channel, ts))
        if message is None:
            raise _Invalid("message_not_found")
        blocks = _blocks(params.get("blocks"))
        check_blocks(blocks)
        if params.get("text") is not None:
            message.text = str(params["text"])
        if params.get("blocks") is not None:
            message.blocks = blocks
        message.updates += 1
        return {"channel": channel, "ts": ts, "text": message.text}

    def _m_views_open(self, params: dict[str, Any], call: ApiCall) -> dict[str, Any]:
        if not params.get("trigger_id"):
            raise _Invalid("invalid_arguments", "trigger_id is required")
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict):
            raise _Invalid("invalid_arguments", "view is required")
        check_view(view)
        view_id = f"V{next(self._ids):08d}"
        shown = {**view, "id": view_id, "team_id": self.team_id, "hash": f"h{view_id}"}
        self.views.append(shown)
        return {"view": shown}

    def _m_files_getUploadURLExternal(
        self, params: dict[str, Any], call: ApiCall
    ) -> dict[str, Any]:
        filename = params.get("filename")
        length = params.get("length")
        if not filename or length is None or not str(length).isdigit():
            raise _Invalid("invalid_arguments", "filename and length are required")
        file_id = f"F{next(self._ids):08d}"
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "length": int(length),
            "alt_txt": params.get("alt_txt"),
            "completed": False,
        }
        return {"upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(
        self, params: dict[str, Any], call: ApiCall
    ) -> dict[str, Any]:
        raw = params.get("files")
        files = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(files, list) or not files:
            raise _Invalid("invalid_arguments", "files is required")
        shown = []
        for item in files:
            meta = self.files.get(str(item.get("id")))
            if meta is None or meta["id"] not in self.uploads:
                raise _Invalid("file_not_found")
            meta.update(
                completed=True,
                title=item.get("title"),
                channel=params.get("channel_id"),
                thread_ts=params.get("thread_ts"),
            )
            shown.append({"id": meta["id"], "name": meta["name"], "title": item.get("title")})
        return {"files": shown}


class _RateLimited(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__("ratelimited")
        self.retry_after = retry_after


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _blocks(raw: Any) -> list[dict[str, Any]]:
    if raw is None or raw == "":
        return []
    blocks = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(blocks, list):
        raise _Invalid("invalid_blocks", "blocks must be a list")
    return blocks


def _shown(message: Message, bot_id: str) -> dict[str, Any]:
    shown: dict[str, Any] = {
        "type": "message",
        "user": message.user,
        "bot_id": bot_id,
        "text": message.text,
        "ts": message.ts,
        "blocks": message.blocks,
    }
    if message.thread_ts:
        shown["thread_ts"] = message.thread_ts
    return shown


def _text_object(obj: Any, limit: int, where: str) -> None:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        raise _Invalid("invalid_blocks", f"{where}: expected a text object")
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        raise _Invalid("invalid_blocks", f"{where}: text must not be empty")
    if len(text) > limit:
        raise _Invalid("invalid_blocks", f"{where}: must be at most {limit} characters")


def _element(element: dict[str, Any], where: str, action_ids: set[str]) -> None:
    kind = element.get("type")
    action_id = element.get("action_id")
    if action_id is not None:
        if len(str(action_id)) > ID_CHARS:
            raise _Invalid("invalid_blocks", f"{where}: action_id too long")
        if action_id in action_ids:
            raise _Invalid("invalid_blocks", f"{where}: duplicate action_id {action_id}")
        action_ids.add(str(action_id))
    if kind == "button":
        _text_object(element.get("text"), BUTTON_CHARS, f"{where}.text")
        if len(str(element.get("value") or "")) > BUTTON_VALUE_CHARS:
            raise _Invalid("invalid_blocks", f"{where}: value too long")
    elif kind in ("static_select", "multi_static_select"):
        options = element.get("options") or []
        if not options or len(options) > SELECT_OPTIONS:
            raise _Invalid("invalid_blocks", f"{where}: 1 to {SELECT_OPTIONS} options")
        for n, option in enumerate(options):
            _text_object(option.get("text"), OPTION_CHARS, f"{where}.options[{n}].text")
            if len(str(option.get("value") or "")) > OPTION_VALUE_CHARS:
                raise _Invalid("invalid_blocks", f"{where}.options[{n}]: value too long")
    elif kind == "plain_text_input":
        return
    else:
        raise _Invalid("invalid_blocks", f"{where}: unsupported element {kind!r}")


def check_blocks(blocks: list[dict[str, Any]], *, max_blocks: int = MAX_BLOCKS) -> None:
    """Raise the double's ``invalid_blocks`` error if ``blocks`` break Slack's limits."""
    if len(blocks) > max_blocks:
        raise _Invalid("invalid_blocks", f"no more than {max_blocks} items allowed")
    block_ids: set[str] = set()
    for n, block in enumerate(blocks):
        where = f"[{n}]"
        action_ids: set[str] = set()  # action ids are unique within their block
        block_id = block.get("block_id")
        if block_id is not None:
            if len(str(block_id)) > ID_CHARS or block_id in block_ids:
                raise _Invalid("invalid_blocks", f"{where}: bad or duplicate block_id")
            block_ids.add(str(block_id))
        kind = block.get("type")
        if kind == "section":
            _text_object(block.get("text"), SECTION_CHARS, f"{where}.text")
        elif kind == "header":
            _text_object(block.get("text"), HEADER_CHARS, f"{where}.text")
            if block["text"].get("type") != "plain_text":
                raise _Invalid("invalid_blocks", f"{where}: header text must be plain_text")
        elif kind == "context":
            elements = block.get("elements") or []
            if not elements or len(elements) > CONTEXT_ELEMENTS:
                raise _Invalid("invalid_blocks", f"{where}: 1 to {CONTEXT_ELEMENTS} elements")
            for m, element in enumerate(elements):
                _text_object(element, SECTION_CHARS, f"{where}.elements[{m}]")
        elif kind == "actions":
            elements = block.get("elements") or []
            if not elements or len(elements) > ACTION_ELEMENTS:
                raise _Invalid("invalid_blocks", f"{where}: 1 to {ACTION_ELEMENTS} elements")
            for m, element in enumerate(elements):
                _element(element, f"{where}.elements[{m}]", action_ids)
        elif kind == "input":
            _text_object(block.get("label"), 2000, f"{where}.label")
            _element(block.get("element") or {}, f"{where}.element", action_ids)
        elif kind in ("divider", "image"):
            continue
        else:
            raise _Invalid("invalid_blocks", f"{where}: unsupported block type {kind!r}")


def check_view(view: dict[str, Any]) -> None:
    """Raise ``invalid_arguments`` if a modal breaks Slack's limits."""
    if view.get("type") != "modal":
        raise _Invalid("invalid_arguments", "view.type must be modal")
    try:
        _text_object(view.get("title"), MODAL_TITLE_CHARS, "view.title")
        for key in ("submit", "close"):
            if key in view:
                _text_object(view[key], MODAL_TITLE_CHARS, f"view.{key}")
        check_blocks(list(view.get("blocks") or []), max_blocks=MODAL_BLOCKS)
    except _Invalid as exc:
        raise _Invalid("invalid_arguments", exc.detail) from exc
    if len(str(view.get("private_metadata") or "")) > PRIVATE_METADATA_CHARS:
        raise _Invalid("invalid_arguments", "private_metadata too long")
