"""HTTP mode: an aiohttp server that stores Slack's signed requests in the inbox, then answers."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.adapters.slack.guard import Refusal, RequestGuard, quiet_bolt_logs, refused
from bot.adapters.slack.requests import parse_body

if TYPE_CHECKING:
    from bot.adapters.slack.intake import SlackIntake

log = logging.getLogger(__name__)

#: Where Slack sends events, commands and interactions (the manifest's request URL).
EVENTS_PATH = "/slack/events"


def slack_web_app(
    intake: SlackIntake, path: str = EVENTS_PATH, *, guard: RequestGuard
) -> web.Application:
    """An aiohttp app: ``POST path`` goes through ``guard`` into the inbox; ``GET /healthz``.

    Only signed, well-formed requests are read (see :mod:`bot.adapters.slack.guard`).
    A request is answered 200 only once it is stored; signed requests that no
    listener takes are answered 200 too, so Slack does not retry. If the database
    cannot store a request the answer is 503, and Slack sends it again.
    """
    quiet_bolt_logs()

    async def events(request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        refusal = guard.check(request.headers, raw)
        if refusal is None:
            try:
                body = parse_body(raw.decode("utf-8"), request.content_type)
            except ValueError:
                refusal = Refusal(400, "the body (or its payload field) is not JSON")
            else:
                try:
                    ack = await intake.accept(body)
                except Exception as exc:  # not stored: Slack must send it again
                    log.warning("Slack request not stored (%s); answered 503", type(exc).__name__)
                    return web.Response(status=503)
                if ack.body is not None:
                    return web.json_response(ack.body, status=ack.status)
                return web.Response(status=ack.status)
        refused(refusal)
        return web.json_response({"error": refusal.reason}, status=refusal.status)

    async def health(_: web.Request) -> web.StreamResponse:
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post(path, events)
    app.router.add_get("/healthz", health)
    return app


class SlackHttpServer:
    """The HTTP-mode server, startable on port 0 (tests) and stoppable.

    Args:
        intake: Where requests are stored and handled (``SlackBot.app``).
        signing_secret: Verifies every request before anything is parsed.
        path: Request URL path.
    """

    def __init__(
        self, intake: SlackIntake, *, signing_secret: str, path: str = EVENTS_PATH
    ) -> None:
        self.path = path
        app = slack_web_app(intake, path, guard=RequestGuard(signing_secret))
        self._runner = web.AppRunner(app, access_log=None)
        self.port: int | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> int:
        """Listen on ``host:port`` (0 picks a free port); return the port."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server  # aiohttp keeps the listening sockets here
        sockets = getattr(server, "sockets", None) or []
        self.port = int(sockets[0].getsockname()[1]) if sockets else port
        return self.port

    def url(self, host: str = "127.0.0.1") -> str:
        """The request URL (after :meth:`start`)."""
        return f"http://{host}:{self.port}{self.path}"

    async def stop(self) -> None:
        """Stop listening and close connections."""
        await self._runner.cleanup()
