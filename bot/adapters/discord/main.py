"""``cityneeds run discord``: the bot against Discord (or whatever the URL overrides name)."""

from __future__ import annotations

import asyncio
import logging

import discord

from bot.adapters.discord.bot import CityNeedsBot
from bot.adapters.discord.endpoints import endpoints_from
from bot.adapters.discord.poster import DiscordPoster
from bot.app.workshops import ensure_workshop
from bot.config import ConfigError, Settings
from bot.core import load_core
from bot.runtime import open_runtime, open_store

log = logging.getLogger(__name__)


async def _serve(bot: CityNeedsBot, token: str) -> None:
    async with bot:
        await bot.start(token)


def run_discord(settings: Settings) -> int:
    """Run the bot until it is stopped; return the process exit code.

    Raises:
        ConfigError: ``DISCORD_TOKEN`` is missing or rejected, or the message
            content intent is requested but not enabled for the application.
    """
    token = (settings.discord_token or "").strip()
    if not token:
        raise ConfigError(
            "DISCORD_TOKEN is not set. Create an application at "
            "https://discord.com/developers/applications, add a bot, copy its token "
            "and run: DISCORD_TOKEN=... cityneeds run discord"
        )
    discord.utils.setup_logging(level=logging.INFO)
    store = open_store(settings)
    poster = DiscordPoster(store, load_core().catalogs)
    runtime = open_runtime(settings, store=store, poster=poster)
    ensure_workshop(runtime.store, settings.workshop)
    bot = CityNeedsBot(runtime, poster=poster, message_content=settings.discord_message_content)
    try:
        with endpoints_from(settings):
            asyncio.run(_serve(bot, token))
    except discord.LoginFailure as exc:
        raise ConfigError("Discord rejected DISCORD_TOKEN; copy the bot token again.") from exc
    except discord.PrivilegedIntentsRequired as exc:
        raise ConfigError(
            "The message content intent is not enabled for this application. Enable it "
            "under Bot → Privileged Gateway Intents in the developer portal, or run with "
            "CITYNEEDS_DISCORD_MESSAGE_CONTENT=false (typed answers then need a mention "
            "of the bot or a DM)."
        ) from exc
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        runtime.close()
    return 0
