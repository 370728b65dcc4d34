"""Where the Discord adapter sends a turn's messages: a channel, or interaction follow-ups."""

from __future__ import annotations

import logging
from typing import Any, Protocol

import discord
from discord.utils import MISSING

from bot.adapters.discord.pacer import pacer_for
from bot.adapters.discord.render import NO_MENTIONS, Outgoing

log = logging.getLogger(__name__)


class Target(Protocol):
    """Somewhere replies can be sent."""

    async def send(self, out: Outgoing) -> int:
        """Send one message; return its id."""
        ...


class ChannelTarget:
    """A channel, thread or DM channel, through discord.py's rate-limited HTTP client."""

    def __init__(self, client: discord.Client, channel_id: int) -> None:
        self.channel = client.get_partial_messageable(channel_id)
        self.pacer = pacer_for(client)

    async def send(self, out: Outgoing) -> int:
        """Post one message (no mentions parsed), within the bot's global rate."""
        await self.pacer.wait()
        message = await self.channel.send(
            content=out.content,
            embeds=out.embeds or MISSING,
            view=out.view or MISSING,
            files=out.files or MISSING,
            allowed_mentions=NO_MENTIONS,
        )
        return message.id


class FollowupTarget:
    """Interaction follow-ups, ephemeral by default (only the user sees them)."""

    def __init__(self, interaction: discord.Interaction[Any], *, ephemeral: bool = True) -> None:
        self.interaction = interaction
        self.ephemeral = ephemeral

    async def send(self, out: Outgoing) -> int:
        """Send one follow-up (no mentions parsed)."""
        message = await self.interaction.followup.send(
            content=out.content,
            embeds=out.embeds or MISSING,
            view=out.view or MISSING,
            files=out.files or MISSING,
            ephemeral=self.ephemeral,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )
        return message.id


async def dm_target(client: discord.Client, user: discord.User | discord.Member) -> Target | None:
    """The user's direct messages with the bot (``None``: Discord refused to open them)."""
    try:
        channel = await user.create_dm()
    except discord.HTTPException:
        log.warning("cannot open a direct message with user %s", user.id)
        return None
    return ChannelTarget(client, channel.id)
