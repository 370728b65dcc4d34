"""HTTP mode: an aiohttp server that hands Slack's signed requests to the Bolt app."""

from __future__ import annotations

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

#: Where Slack sends events, commands and interactions (the manifest's request URL).
EVENTS_PATH = "/slack/events"


def slack_web_app(bolt: AsyncApp, path: str = EVENTS_PATH) -> web.Application:
    """An aiohttp app: ``POST path`` goes to Bolt (which verifies signatures); ``GET /healthz``."""

    async def events(request: web.Request) -> web.StreamResponse:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

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
        path: Request URL path.
    """

    def __init__(self, bolt: AsyncApp, path: str = EVENTS_PATH) -> None:
        self.path = path
        self._runner = web.AppRunner(slack_web_app(bolt, path), access_log=None)
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
