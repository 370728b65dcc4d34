"""The Discord adapter: a discord.py bot with thin Cogs over the router (see README.md here)."""

from bot.adapters.discord.adapter import DiscordAdapter, Handled, Place
from bot.adapters.discord.bot import CityNeedsBot
from bot.adapters.discord.endpoints import discord_endpoints
from bot.adapters.discord.poster import DiscordPoster

__all__ = [
    "CityNeedsBot",
    "DiscordAdapter",
    "DiscordPoster",
    "Handled",
    "Place",
    "discord_endpoints",
]
