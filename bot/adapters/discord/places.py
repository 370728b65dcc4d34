"""Where a Discord event happened, which workshop that is, and participants' private threads.

Which workshop a channel or a DM belongs to is the app layer's rule
(:class:`bot.app.places.Places`); this module only finds out what kind of
Discord place it is (a channel, a thread under one, a DM) and whose thread.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import discord

from bot.adapters.discord.threads import reopen_thread
from bot.app.places import Places

log = logging.getLogger(__name__)

PLATFORM = "discord"


@dataclass(frozen=True)
class Place:
    """Where an event happened and which workshop it belongs to.

    Attributes:
        kind: ``dm``, ``thread`` or ``channel``.
        channel_id: The channel, thread or DM channel.
        workshop: The workshop slug, or ``None`` when nothing is bound there.
        parent_id: For a thread, the channel it hangs off.
        purpose: For a bound channel, ``workshop`` or ``moderators``.
        own: A thread of this participant, or a DM channel they opted in with.
        address: The DM channel id to store (opted-in DMs only).
    """

    kind: str
    channel_id: int
    workshop: str | None
    parent_id: int | None = None
    purpose: str | None = None
    own: bool = False
    address: str | None = None

    @property
    def private(self) -> bool:
        """Whether replies can go to the channel itself (the participant's thread or DM)."""
        return self.own and self.kind in ("thread", "dm")


class DiscordPlaces:
    """Resolves Discord channels, threads and DMs to :class:`Place` (facts cached).

    Args:
        client: The bot (to look channels up and create threads).
        places: The app layer's rule for which workshop a place belongs to.
    """

    def __init__(self, client: discord.Client, places: Places) -> None:
        self.client = client
        self.places = places
        self._threads: dict[tuple[int, int], int] = {}
        self._channel_facts: dict[int, tuple[str, int | None, str]] = {}

    async def _facts(self, channel: object, channel_id: int) -> tuple[str, int | None, str]:
        """``(kind, parent id, name)`` of a guild channel or thread, fetched once if uncached."""
        if isinstance(channel, discord.Thread):
            facts: tuple[str, int | None, str] = ("thread", channel.parent_id, channel.name)
        elif isinstance(channel, discord.abc.GuildChannel):
            facts = ("channel", None, channel.name)
        elif channel_id in self._channel_facts:
            return self._channel_facts[channel_id]
        else:
            fetched = await self.client.fetch_channel(channel_id)
            if isinstance(fetched, discord.Thread):
                facts = ("thread", fetched.parent_id, fetched.name)
            else:
                facts = ("channel", None, getattr(fetched, "name", ""))
        self._channel_facts[channel_id] = facts
        return facts

    async def place_of(
        self, channel: object, channel_id: int, guild_id: int | None, pseudonym: str
    ) -> Place:
        """Resolve the workshop an event belongs to.

        A channel's binding (a thread: its parent's, if that is a workshop channel);
        a DM belongs to the workshop the app layer's DM rule names, and is the
        participant's own only if they opted in to DMs there (or a staff member
        types a resident's answers in there).
        """
        if guild_id is None:
            dm = await self.places.dm_workshop(PLATFORM, pseudonym)
            address = str(channel_id) if dm.reachable else None
            own = dm.reachable or dm.assisting
            return Place("dm", channel_id, dm.workshop, own=own, address=address)
        kind, parent_id, name = await self._facts(channel, channel_id)
        if kind == "thread" and parent_id is not None:
            binding = await self.places.binding(PLATFORM, str(parent_id))
            bound = binding.workshop_slug if binding and binding.purpose == "workshop" else None
            own = pseudonym[:8] in name
            return Place("thread", channel_id, bound, parent_id=parent_id, own=own)
        binding = await self.places.binding(PLATFORM, str(channel_id))
        if binding is None:
            return Place("channel", channel_id, None)
        return Place("channel", channel_id, binding.workshop_slug, purpose=binding.purpose)

    async def place_of_interaction(
        self, interaction: discord.Interaction[Any], pseudonym: str
    ) -> Place:
        """:meth:`place_of` for an interaction (its channel comes with the payload)."""
        channel_id = interaction.channel_id or 0
        return await self.place_of(interaction.channel, channel_id, interaction.guild_id, pseudonym)

    def forget_threads(self) -> None:
        """Drop the remembered thread ids, as a restart does (Discord still knows them)."""
        self._threads.clear()

    async def thread_for(self, parent_id: int, user_id: int, tag: str, name: str) -> int | None:
        """The participant's private thread under ``parent_id``, created on first use.

        Callers hold the user's turn, so one user never gets two. ``tag`` (from
        their pseudonym) is in the thread's ``name``; it finds the thread again
        after a restart.
        """
        key = (parent_id, user_id)
        parent = self.client.get_channel(parent_id)
        if parent is None:
            try:
                parent = await self.client.fetch_channel(parent_id)
            except discord.HTTPException:
                log.exception("cannot fetch channel %s", parent_id)
                return None
        if not isinstance(parent, discord.TextChannel):
            return None
        found = await reopen_thread(self.client, parent, tag, self._threads.get(key))
        if found is not None:
            self._threads[key] = found.id
            return found.id
        try:
            created = await parent.create_thread(
                name=name[:100],
                type=discord.ChannelType.private_thread,
                invitable=False,
                auto_archive_duration=10080,
            )
            await created.add_user(discord.Object(id=user_id))
        except discord.HTTPException:
            log.exception("cannot create a private thread in %s", parent_id)
            return None
        self._threads[key] = created.id
        self._channel_facts[created.id] = ("thread", parent_id, created.name)
        return created.id
