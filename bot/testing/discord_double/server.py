"""The REST plumbing: read a request, record it, apply auth and rate limits, answer."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from aiohttp import BodyPartReader, web

from bot.testing.discord_double.buckets import GLOBAL_EXEMPT
from bot.testing.discord_double.rate_limits import RateLimits
from bot.testing.discord_double.records import (
    Call,
    FakeDiscordError,
    Handler,
    RecordedRequest,
    UploadedFile,
    json_response,
)

log = logging.getLogger(__name__)


class RestServer(RateLimits):
    """Every REST request goes through here before its route handler."""

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
        token_route = any(part in record.path for part in GLOBAL_EXEMPT)
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
            status, payload = await handler(Call(request, record, dict(request.match_info)))
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
        return json_response(payload, status=status, headers=headers)

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
        return json_response(record.response, status=404)
