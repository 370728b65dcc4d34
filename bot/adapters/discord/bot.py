"""The discord.py bot: intents, Cogs, persistent components, command sync and the scheduler."""

from __future__ import annotations

import logging

import discord
from discord.ext import commands

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.cogs import CatalogTranslator, CitizenCog, StaffCog
from bot.adapters.discord.components import DiscordComponents
from bot.adapters.discord.duplicates import ignore_duplicate_interactions
from bot.adapters.discord.poster import DiscordPoster
from bot.adapters.discord.render import NO_MENTIONS
from bot.config import Settings
from bot.runtime import Runtime

log = logging.getLogger(__name__)


def bot_intents(*, message_content: bool) -> discord.Intents:
    """Guilds, guild and DM messages; message content only if asked (it is privileged)."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = message_content
    return intents


class CityNeedsBot(commands.Bot):
    """The CityNeeds bot on Discord.

    Args:
        runtime: Store, router, staff desk and scheduler.
        settings: Configuration (the runtime's by default).
        poster: The scheduler's poster, attached to this bot once it exists.
        message_content: Ask for the privileged message content intent (typed
            answers in threads need it; slash commands, buttons, selects, the
            form, DMs and messages that mention the bot work without it).
        sync_commands: Register the slash commands with Discord at start.
        start_scheduler: Start the digest and reminder scheduler in the bot's loop.
        guild_ready_timeout: Seconds discord.py waits for GUILD_CREATEs before ``ready``.
    """

    def __init__(
        self,
        runtime: Runtime,
        *,
        settings: Settings | None = None,
        poster: DiscordPoster | None = None,
        message_content: bool = True,
        sync_commands: bool = True,
        start_scheduler: bool = True,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=bot_intents(message_content=message_content),
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            chunk_guilds_at_startup=False,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.runtime = runtime
        self.cityneeds = DiscordAdapter(self, runtime, settings)
        #: What clicks on buttons, selects and the form do (injected into the views).
        self.components = DiscordComponents(self.cityneeds)
        self.poster = poster
        if poster is not None:
            poster.attach(self)
        self._sync_commands = sync_commands
        self._start_scheduler = start_scheduler

    async def setup_hook(self) -> None:
        """Add the Cogs and the component dispatcher, sync slash commands, start the scheduler."""
        await self.add_cog(CitizenCog(self.cityneeds))
        await self.add_cog(StaffCog(self.cityneeds))
        # Components and forms are dispatched from their custom ids, not from views.
        self.add_listener(self.components.on_interaction, "on_interaction")
        ignore_duplicate_interactions(self)
        # Interactions a killed process acknowledged but did not finish: dispatched
        # again before the first new event (or at ready), in the order they came.
        self.cityneeds.kept.install()
        await self.cityneeds.kept.load()
        self.add_listener(self._finish_kept, "on_ready")
        await self.tree.set_translator(CatalogTranslator(self.cityneeds.catalogs))
        if self._sync_commands:
            synced = await self.tree.sync()
            log.info("synced %d slash commands", len(synced))
        if self._start_scheduler:
            self.runtime.scheduler.start()

    async def _finish_kept(self) -> None:
        self.cityneeds.kept.flush()

    async def close(self) -> None:
        """Stop the scheduler inside the bot's loop, then disconnect."""
        if self._start_scheduler:
            self.runtime.scheduler.shutdown()
        await super().close()

    async def on_message(self, message: discord.Message, /) -> None:
        """Typed messages are handled by :class:`CitizenCog`; there are no prefix commands."""
        return None
