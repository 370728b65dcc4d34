"""Build the whole Slack stack (client, sender, poster, runtime, Bolt app) from settings."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from bot.adapters.slack.app import SlackBot
from bot.adapters.slack.outbox import Outbox
from bot.adapters.slack.poster import SlackPoster
from bot.adapters.slack.sender import SlackSender, make_web_client
from bot.config import ConfigError, Settings
from bot.core import load_core
from bot.runtime import Runtime, open_runtime, open_store

if TYPE_CHECKING:
    from storage.store import Store


@dataclass
class SlackStack:
    """Everything a running Slack app holds."""

    runtime: Runtime
    bot: SlackBot
    outbox: Outbox
    sender: SlackSender
    poster: SlackPoster

    async def aclose(self, timeout: float = 30.0) -> None:
        """Finish running listeners and queued messages (up to ``timeout``), then close."""
        with contextlib.suppress(TimeoutError):
            await self.bot.wait_idle(timeout)
        await self.sender.close(timeout=1.0)
        await self.runtime.aclose()


def build_slack(
    settings: Settings,
    *,
    store: Store | None = None,
    sender: SlackSender | None = None,
    socket_mode: bool = False,
    clock: Callable[[], datetime] | None = None,
    user_cache_seconds: float | None = None,
) -> SlackStack:
    """Wire the Slack adapter to a runtime.

    Args:
        settings: Tokens, API base URL, database.
        store: An open store (tests pass one per database).
        sender: The rate-limited sender (tests pass one with short intervals).
        socket_mode: Requests come over Socket Mode (no signature checks).
        clock: Time source for the runtime.
        user_cache_seconds: How long ``users.info`` answers are reused.

    Raises:
        ConfigError: The bot token is missing.
    """
    if not settings.slack_bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set")
    client = make_web_client(settings.slack_bot_token, settings.slack_api_url)
    sender = sender or SlackSender(interval=settings.slack_post_interval)
    outbox = Outbox(client, sender)
    store = store or open_store(settings)
    poster = SlackPoster(outbox, store, load_core().catalogs)
    runtime = open_runtime(settings, store=store, poster=poster, clock=clock)
    extra = {} if user_cache_seconds is None else {"user_cache_seconds": user_cache_seconds}
    bot = SlackBot(
        runtime,
        outbox,
        signing_secret=settings.slack_signing_secret,
        socket_mode=socket_mode,
        **extra,
    )
    return SlackStack(runtime=runtime, bot=bot, outbox=outbox, sender=sender, poster=poster)
