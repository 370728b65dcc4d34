"""The scheduler's poster on Discord: digests, moderator drafts and opted-in reminders.

Everything goes through discord.py's HTTP client (``PartialMessageable.send``),
which keeps Discord's per-route buckets and sleeps on 429 ``retry_after``; sends
are sequential, so a digest's parts arrive in order.
"""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.digest_embeds import discord_digest
from bot.adapters.discord.pacer import pacer_for
from bot.adapters.discord.render import NO_MENTIONS, split_message
from bot.app.destinations import Destinations
from bot.digest.sections import Section, sections_from_body
from bot.scheduler.keys import PostKey
from flows.catalog import Catalogs
from flows.text import Literal, Msg

if TYPE_CHECKING:
    from storage.schedules import ReminderTarget
    from storage.store import Store
    from storage.workshops import WorkshopInfo

log = logging.getLogger(__name__)

PLATFORM = "discord"
#: The picture's file name in Discord.
MAP_FILENAME = "map.png"
#: How many recent channel messages a recovery looks through for an interrupted post.
HISTORY_LOOKBACK = 50
#: A reminder in the DM this recent, with the same text, is today's (reminders are daily).
REMINDER_LOOKBACK = timedelta(hours=20)


def with_marker(embeds: list[dict[str, Any]], marker: str) -> list[dict[str, Any]]:
    """``embeds`` with ``marker`` at the start of the last one's footer (or in a new embed)."""
    if not embeds:
        return [{"footer": {"text": marker}}]
    last = dict(embeds[-1])
    footer = str(last.get("footer", {}).get("text", ""))
    last["footer"] = {"text": f"{marker} · {footer}" if footer else marker}
    return [*embeds[:-1], last]


class NotBound(LookupError):
    """The workshop has no Discord channel for this purpose yet."""


class DiscordPoster:
    """Implements :class:`bot.scheduler.poster.Poster` for Discord.

    Args:
        store: For the channel bindings.
        catalogs: For the digest title, part labels and the picture's alt text.
        client: The bot; may be attached later with :meth:`attach` (the runtime
            is opened before the bot exists).
        lookback: How many recent messages a recovery reads (``GET …/messages?limit=``).
    """

    #: Reminders are claimed for Discord participants only (see ``ReminderService``).
    platform = PLATFORM

    def __init__(
        self,
        store: Store,
        catalogs: Catalogs,
        client: discord.Client | None = None,
        *,
        lookback: int = HISTORY_LOOKBACK,
    ) -> None:
        self.destinations = Destinations(store)
        self.catalogs = catalogs
        self.client = client
        self.lookback = lookback

    def attach(self, client: discord.Client) -> None:
        """Send through ``client`` from now on."""
        self.client = client

    async def _pace(self) -> None:
        if self.client is not None:
            await pacer_for(self.client).wait()

    def _channel(self, channel_id: str) -> discord.PartialMessageable:
        if self.client is None:
            raise RuntimeError("the Discord poster has no client attached")
        return self.client.get_partial_messageable(int(channel_id))

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Post the digest to the workshop's channel; return the first message's id.

        Embeds are split within Discord's limits and the map is attached to the
        last part, with its alt text. Every part is sent with a nonce derived
        from ``key`` (``enforce_nonce``: Discord answers a repeat within its
        window with the first message), and the first part's footer shows
        ``key.marker``, which :meth:`find_digest` looks for.

        Raises:
            NotBound: No channel runs the workshop on Discord (the digest stays
                approved and the scheduler's reconciler retries).
            discord.HTTPException: The first part could not be posted (nothing is
                visible, so a retry is safe). A later part failing is logged instead,
                so a retry never posts the digest twice.
        """
        channel_id = await self.destinations.channel(workshop.id, PLATFORM, "workshop")
        if channel_id is None:
            raise NotBound(f"workshop {workshop.slug} has no Discord channel")
        locale = str(body.get("locale") or "en")
        title = self.catalogs.render(
            Msg("digest.title", {"title": Literal(workshop.title)}), locale
        )
        sections = [
            Section("", s.lines) if s.title == title else s for s in sections_from_body(body)
        ]
        messages = discord_digest(
            title, sections, part_label=self.catalogs.template("digest.part", locale)
        )
        alt = self.catalogs.render(
            Msg("digest.map_alt", {"title": Literal(workshop.title)}), locale
        )
        channel = self._channel(channel_id)
        first: str | None = None
        for index, part in enumerate(messages):
            embeds = with_marker(part.embeds, key.marker) if index == 0 else part.embeds
            last = index == len(messages) - 1
            file = (
                discord.File(io.BytesIO(png), filename=MAP_FILENAME, description=alt[:1024])
                if last and png
                else None
            )
            try:
                await self._pace()
                sent = await channel.send(
                    content=part.content or None,
                    embeds=[discord.Embed.from_dict(e) for e in embeds],
                    file=file or discord.utils.MISSING,
                    allowed_mentions=NO_MENTIONS,
                    nonce=key.nonce(index),
                )
            except discord.HTTPException:
                if first is None:
                    raise  # nothing is visible yet: the scheduler may safely try again
                # Part of the digest is out; posting it all again would show it twice.
                log.exception(
                    "part %d of %d of the digest of %s failed after discord.py's retries",
                    index + 1,
                    len(messages),
                    workshop.slug,
                )
                continue
            first = first or str(sent.id)
        return first or ""

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """The id of the bot's recent message in the workshop channel showing ``key.marker``.

        Raises:
            NotBound: No channel runs the workshop on Discord.
        """
        channel_id = await self.destinations.channel(workshop.id, PLATFORM, "workshop")
        if channel_id is None:
            raise NotBound(f"workshop {workshop.slug} has no Discord channel")
        me = self._me()
        try:
            async for message in self._channel(channel_id).history(limit=self.lookback):
                if message.author.id != me:
                    continue
                if any(key.marker in (e.footer.text or "") for e in message.embeds):
                    return str(message.id)
        except discord.Forbidden:
            # Without Read Message History only the nonce can keep the repeat from showing.
            log.warning("cannot read the history of channel %s; relying on the nonce", channel_id)
        return None

    def _me(self) -> int:
        if self.client is None or self.client.user is None:
            raise RuntimeError("the Discord poster's client is not logged in")
        return self.client.user.id

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Post a draft to the moderators' channel (never to the public one)."""
        channel_id = await self.destinations.channel(workshop.id, PLATFORM, "moderators")
        if channel_id is None:
            log.warning(
                "workshop %s has no Discord moderators channel; the draft waits for "
                "/cityneeds-mod digest draft",
                workshop.slug,
            )
            return
        channel = self._channel(channel_id)
        for chunk in split_message(text):
            await self._pace()
            await channel.send(content=chunk, allowed_mentions=NO_MENTIONS)

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Send a reminder to the participant's opted-in DM channel, and nowhere else.

        Returns the first message's id (``""`` if the target is not a Discord DM).
        """
        if target.platform != PLATFORM or not target.address.isdigit():
            log.debug("reminder for %s is not a Discord DM; skipped", target.platform)
            return ""
        channel = self._channel(target.address)
        first = ""
        for index, chunk in enumerate(split_message(text)):
            await self._pace()
            sent = await channel.send(
                content=chunk, allowed_mentions=NO_MENTIONS, nonce=key.nonce(index)
            )
            first = first or str(sent.id)
        return first

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The id of the bot's message in the DM with this text from the last 20 hours."""
        if target.platform != PLATFORM or not target.address.isdigit():
            return None
        chunks = split_message(text)
        since = datetime.now(UTC) - REMINDER_LOOKBACK
        me = self._me()
        try:
            async for message in self._channel(target.address).history(limit=self.lookback):
                if message.created_at < since:
                    break
                if message.author.id == me and chunks and message.content == chunks[0]:
                    return str(message.id)
        except discord.Forbidden:
            log.warning("cannot read a reminder DM's history; relying on the nonce")
        return None
