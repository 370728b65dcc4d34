"""Point discord.py at another REST API and gateway (a test double, a proxy)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import discord.http
import yarl
from discord.gateway import DiscordWebSocket

from bot.config import Settings


@contextmanager
def discord_endpoints(api_url: str | None, gateway_url: str | None) -> Iterator[None]:
    """Override ``discord.http.Route.BASE`` and the gateway URL, restoring both afterwards.

    discord.py 2.7 builds every REST URL, webhook and interaction-callback URLs
    included, from the class attribute ``Route.BASE`` (``https://discord.com/api/v10``),
    so ``api_url`` must include the version path, for example
    ``http://127.0.0.1:8080/api/v10``. It connects to
    ``DiscordWebSocket.DEFAULT_GATEWAY`` first (it does not call
    ``GET /gateway/bot`` unless sharded), then resumes at the ``resume_gateway_url``
    that READY names, and falls back to the default after an invalidated session.

    Args:
        api_url: REST base URL, or ``None`` to keep Discord's.
        gateway_url: Gateway URL (``ws://`` or ``wss://``), or ``None`` to keep Discord's.
    """
    old_base = discord.http.Route.BASE
    old_gateway = DiscordWebSocket.DEFAULT_GATEWAY
    try:
        if api_url:
            discord.http.Route.BASE = api_url.rstrip("/")
        if gateway_url:
            DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
        yield
    finally:
        discord.http.Route.BASE = old_base
        DiscordWebSocket.DEFAULT_GATEWAY = old_gateway


@contextmanager
def endpoints_from(settings: Settings) -> Iterator[None]:
    """:func:`discord_endpoints` from ``CITYNEEDS_DISCORD_API_URL`` and ``…_GATEWAY_URL``."""
    with discord_endpoints(settings.discord_api_url, settings.discord_gateway_url):
        yield
