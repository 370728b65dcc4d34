"""The Slack double's HTTP server: the Web API, uploads, ``response_url`` and Socket Mode."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from bot.testing.slack_double.methods import WebApiMethods
from bot.testing.slack_double.records import ApiCall, Invalid, RateLimited


class SlackApiDouble(WebApiMethods):
    """The loopback Slack Web API (see :mod:`bot.testing.slack_api`).

    The arguments are :class:`~bot.testing.slack_double.world.SlackWorld`'s.
    """

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
        except Invalid as exc:
            answer: dict[str, Any] = {"ok": False, "error": exc.error}
            if exc.detail:
                answer["errors"] = [exc.detail]
            return self._json(call, answer)
        except RateLimited as exc:
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

    async def socket_send_raw(self, frame: str) -> None:
        """Send one Socket Mode text frame exactly as given (malformed frames, for tests).

        Raises:
            RuntimeError: No app is connected.
        """
        if self._socket is None or self._socket.closed:
            raise RuntimeError("no app is connected over Socket Mode")
        await self._socket.send_str(frame)

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

    async def _response_url(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        body = await request.json()
        call = ApiCall("response_url", {"key": key, **body}, time.monotonic())
        call.response = {"ok": True}
        self.calls.append(call)
        self.responses[key].append(body)
        await self._notify()
        return web.Response(text="ok", content_type="text/plain")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
