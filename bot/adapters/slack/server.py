"""HTTP mode: an aiohttp server that hands Slack's signed requests to the Bolt app."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack.guard import Refusal, RequestGuard, quiet_bolt_logs, refused

#: Where Slack sends events, commands and interactions (the manifest's request URL).
EVENTS_PATH = "/slack/events"


def slack_web_app(
    bolt: AsyncApp, path: str = EVENTS_PATH, *, guard: RequestGuard
) -> web.Application:
    """An aiohttp app: ``POST path`` goes through ``guard`` to Bolt; ``GET /healthz``.

    Bolt sees only signed, well-formed requests (see :mod:`bot.adapters.slack.guard`);
    signed requests that no listener takes are answered 200 so Slack does not retry.
    """
    quiet_bolt_logs(bolt)

    async def events(request: web.Request) -> web.StreamResponse:
        refusal = guard.check(request.headers, await request.read())
        if refusal is None:
            try:
                response = await bolt.async_dispatch(await to_bolt_request(request))
            except Exception as exc:  # a shape the guard let through: still no 500
                refusal = Refusal(400, f"Bolt could not read it ({type(exc).__name__})")
            else:
                if response.status == 404:
                    return web.Response(status=200)
                return await to_aiohttp_response(response)
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
        bolt: The Bolt app.
        signing_secret: Verifies every request before anything is parsed.
        path: Request URL path.
    """

    def __init__(self, bolt: AsyncApp, *, signing_secret: str, path: str = EVENTS_PATH) -> None:
        self.path = path
        app = slack_web_app(bolt, path, guard=RequestGuard(signing_secret))
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
