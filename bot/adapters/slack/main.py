"""``cityneeds run slack``: check the tokens, then serve over Socket Mode or HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable

from slack_sdk.errors import SlackApiError

from bot.adapters.slack.guard import GuardedSocketModeHandler
from bot.adapters.slack.server import SlackHttpServer
from bot.adapters.slack.service import SlackStack, build_slack
from bot.app.workshops import ensure_workshop
from bot.config import ConfigError, Settings

log = logging.getLogger(__name__)

MODES = ("auto", "socket", "http")

BOT_TOKEN = (
    "SLACK_BOT_TOKEN (the bot token, xoxb-…, from OAuth & Permissions after installing the "
    "app; always needed)"
)
APP_TOKEN = (
    "SLACK_APP_TOKEN (an app-level token, xapp-…, with the connections:write scope, from "
    "Basic Information → App-Level Tokens; needed for Socket Mode, which is recommended for a "
    "first install because Slack needs no public URL)"
)
SIGNING_SECRET = (
    "SLACK_SIGNING_SECRET (from Basic Information → App Credentials; HTTP mode checks every "
    "request's signature with it)"
)


def resolve_mode(settings: Settings, mode: str) -> str:
    """Check the tokens for ``mode`` and return ``socket`` or ``http``.

    ``auto`` is Socket Mode when ``SLACK_APP_TOKEN`` is set, else HTTP.

    Raises:
        ConfigError: Unknown mode, or a token the mode needs is missing or of the
            wrong kind; the message names each variable and what it is for.
    """
    mode = mode.lower().strip()
    if mode not in MODES:
        raise ConfigError(f"unknown Slack mode {mode!r}; use socket, http or auto")
    missing: list[str] = []
    if not settings.slack_bot_token:
        missing.append(BOT_TOKEN)
    if mode == "auto":
        if settings.slack_app_token:
            mode = "socket"
        elif settings.slack_signing_secret:
            mode = "http"
        else:
            missing.append(f"either {APP_TOKEN} or, for HTTP mode, {SIGNING_SECRET}")
    if mode == "socket" and not settings.slack_app_token:
        missing.append(APP_TOKEN)
    if mode == "http" and not settings.slack_signing_secret:
        missing.append(SIGNING_SECRET)
    if missing:
        raise ConfigError(
            "missing Slack settings: "
            + "; ".join(missing)
            + ". Set them in the environment or in .env (see bot/adapters/slack/README.md)."
        )
    bot = settings.slack_bot_token or ""
    if not bot.startswith("xoxb-"):
        raise ConfigError(
            "SLACK_BOT_TOKEN should be the bot token (it starts with xoxb-); "
            "find it under OAuth & Permissions"
        )
    if mode == "socket" and not (settings.slack_app_token or "").startswith("xapp-"):
        raise ConfigError(
            "SLACK_APP_TOKEN should be an app-level token (it starts with xapp-); "
            "create one with connections:write under Basic Information → App-Level Tokens"
        )
    return mode


def run_slack(
    settings: Settings, *, mode: str = "auto", host: str = "0.0.0.0", port: int = 3000
) -> int:
    """Run the Slack app until interrupted; return the exit code.

    Raises:
        ConfigError: Missing or wrong tokens (also when Slack refuses the bot token).
    """
    resolved = resolve_mode(settings, mode)
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    return asyncio.run(serve(settings, mode=resolved, host=host, port=port))


async def serve(
    settings: Settings,
    *,
    mode: str,
    host: str = "0.0.0.0",
    port: int = 3000,
    stop: asyncio.Event | None = None,
    ready: Callable[[SlackStack, int | None], None] | None = None,
    build: Callable[..., SlackStack] = build_slack,
) -> int:
    """Serve until ``stop`` is set (or SIGINT/SIGTERM); return the exit code.

    Args:
        settings: Tokens, database, API base URL.
        mode: ``socket`` or ``http`` (see :func:`resolve_mode`).
        host: HTTP mode: address to listen on.
        port: HTTP mode: port (0 picks a free one).
        stop: Set it to shut down (tests); signals set it too.
        ready: Called once serving, with the stack and the HTTP port (``None`` in Socket Mode).
        build: Builds the stack (tests pass one with a fast sender).

    Raises:
        ConfigError: Slack refused the bot token.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(sig, stop.set)
    stack = build(settings, socket_mode=mode == "socket")
    server: SlackHttpServer | None = None
    handler: GuardedSocketModeHandler | None = None
    try:
        try:
            who = await stack.bot.auth.check()
        except SlackApiError as exc:
            raise ConfigError(
                f"Slack refused SLACK_BOT_TOKEN ({exc.response.get('error')}); copy the bot "
                "token again from OAuth & Permissions"
            ) from exc
        await asyncio.to_thread(ensure_workshop, stack.runtime.store, settings.workshop)
        # What a dead process left (replies to post, requests to handle) comes first.
        await stack.bot.app.recover()
        stack.runtime.scheduler.start()
        bound: int | None = None
        if mode == "socket":
            token = settings.slack_app_token or ""
            handler = GuardedSocketModeHandler(stack.bot.app, token, stack.outbox.client)
            await handler.connect_async()
            log.info("CityNeeds is connected to Slack over Socket Mode as %s", who.user)
        else:
            secret = settings.slack_signing_secret or ""
            server = SlackHttpServer(stack.bot.app, signing_secret=secret)
            bound = await server.start(host, port)
            log.info("CityNeeds listens for Slack on http://%s:%s%s", host, bound, server.path)
        if ready is not None:
            ready(stack, bound)
        await stop.wait()
        return 0
    finally:
        if handler is not None:
            await handler.close_async()
        if server is not None:
            await server.stop()
        await stack.aclose()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.remove_signal_handler(sig)
