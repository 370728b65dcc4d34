"""The scheduler's :class:`~bot.scheduler.poster.Poster` for Slack: digests, drafts, reminders."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.blocks import text_messages
from bot.adapters.slack.digest_blocks import SlackMessage, slack_digest
from bot.adapters.slack.outbox import Outbox, settle
from bot.app.destinations import Destinations
from bot.digest.sections import sections_from_body
from bot.scheduler.keys import PostKey
from flows.catalog import Catalogs
from flows.text import Literal, Msg

if TYPE_CHECKING:
    from storage.schedules import ReminderTarget
    from storage.store import Store
    from storage.workshops import WorkshopInfo

log = logging.getLogger(__name__)

PLATFORM = "slack"
#: File name of the digest picture.
MAP_FILENAME = "map.png"
#: Slack's limit on ``alt_txt``.
ALT_TEXT_CHARS = 1000
#: How many recent channel messages a recovery looks through for an interrupted post.
HISTORY_LOOKBACK = 50


def key_metadata(key: PostKey) -> dict[str, Any]:
    """Slack message metadata naming a scheduled post (found again by :func:`has_key`)."""
    return {"event_type": key.event, "event_payload": {"key": key.value}}


def has_key(message: dict[str, Any], key: PostKey) -> bool:
    """Whether a ``conversations.history`` message carries ``key`` in its metadata."""
    meta = message.get("metadata") or {}
    payload = meta.get("event_payload") or {}
    return bool(meta.get("event_type") == key.event and payload.get("key") == key.value)


class NotBound(LookupError):
    """The workshop has no Slack channel to post its digest in (``/cityneeds setup``)."""


class SlackPoster:
    """Posts the scheduler's output to Slack through the rate-limited sender.

    * Digests go to the workshop's bound channel as Block Kit messages split
      within Slack's limits, then the map PNG via ``files_upload_v2`` (the
      three-step external upload), with the catalog's text equivalent as alt text.
    * Drafts and review requests go to the workshop's moderators channel
      (``/cityneeds moderators WORKSHOP``); without one, to each facilitator and
      moderator by direct message (those whose address is known: they used a
      staff command or answered in a DM); without those either, they are logged.
    * Reminders go to the participant's direct-message channel.

    Args:
        outbox: Where messages go.
        store: The database (channel bindings, staff addresses).
        catalogs: Message catalogs.
    """

    #: Only reminders of Slack participants are claimed for this poster.
    platform = PLATFORM

    def __init__(self, outbox: Outbox, store: Store, catalogs: Catalogs) -> None:
        self.outbox = outbox
        self.destinations = Destinations(store)
        self.catalogs = catalogs

    async def post_digest(
        self, workshop: WorkshopInfo, body: dict[str, Any], png: bytes, key: PostKey
    ) -> str:
        """Post the digest and its picture; return the first message's ``ts``.

        The first message carries ``key`` in its metadata, which
        :meth:`find_digest` looks for after a crash.

        Raises:
            NotBound: The workshop has no Slack channel.
            Exception: The first message could not be posted (nothing is visible
                yet, so the scheduler's reconciler may try again). A later part
                or the picture failing permanently is logged instead, so a
                retry never posts the digest twice.
        """
        channel_id = await self.destinations.channel(workshop.id, PLATFORM, "workshop")
        if channel_id is None:
            raise NotBound(
                f"workshop {workshop.slug!r} has no Slack channel; "
                "type /cityneeds setup WORKSHOP in the channel that should run it"
            )
        channel = channel_id
        locale = str(body.get("locale") or "en")
        period = str(body.get("period") or "")
        part = self.catalogs.template("digest.part", locale)
        messages = slack_digest("", sections_from_body(body), part_label=part)
        if not any(m.blocks for m in messages):
            messages = text_messages(str(body.get("text") or "-"))
        futures = [
            self._post_keyed(channel, messages[0], key),
            *self.outbox.post_all(channel, messages[1:]),
        ]
        alt = self.catalogs.render(
            Msg("digest.map_alt", {"title": Literal(workshop.title)}), locale
        )
        title = self.catalogs.render(
            Msg("slack.digest_file_title", {"period": Literal(period)}), locale
        )

        async def upload() -> Any:
            return await self.outbox.client.files_upload_v2(
                channel=channel,
                file=png,
                filename=MAP_FILENAME,
                title=title,
                alt_txt=alt[:ALT_TEXT_CHARS],
            )

        picture = (
            self.outbox.sender.submit(channel, upload, label=f"files_upload_v2 {channel}")
            if png
            else None
        )
        first = await futures[0]  # raises if nothing could be posted
        await settle(futures[1:], f"digest of {workshop.slug}")
        if picture is not None:
            await settle([picture], f"digest picture of {workshop.slug}")
        return str(first["ts"])

    def _post_keyed(self, channel: str, message: SlackMessage, key: PostKey) -> asyncio.Future[Any]:
        """Queue one ``chat.postMessage`` with ``key`` in its metadata."""

        async def job() -> Any:
            return await self.outbox.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                mrkdwn=False,
                unfurl_links=False,
                unfurl_media=False,
                metadata=key_metadata(key),
            )

        return self.outbox.sender.submit(channel, job, label=f"chat.postMessage {channel}")

    async def _find(self, channel: str, key: PostKey) -> str | None:
        """The ``ts`` of a recent message in ``channel`` with ``key`` in its metadata."""

        async def job() -> Any:
            return await self.outbox.client.conversations_history(
                channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )

        answer = await self.outbox.sender.submit(
            channel, job, paced=False, label=f"conversations.history {channel}"
        )
        for message in answer.get("messages") or []:
            if has_key(message, key):
                return str(message["ts"])
        return None

    async def find_digest(self, workshop: WorkshopInfo, key: PostKey) -> str | None:
        """The ``ts`` of the digest posted with ``key``, if the channel shows it.

        Raises:
            NotBound: The workshop has no Slack channel.
        """
        channel = await self.destinations.channel(workshop.id, PLATFORM, "workshop")
        if channel is None:
            raise NotBound(f"workshop {workshop.slug!r} has no Slack channel")
        return await self._find(channel, key)

    async def send_to_moderators(self, workshop: WorkshopInfo, text: str) -> None:
        """Show the moderators a draft (their channel, else staff DMs, else the log)."""
        channel_id = await self.destinations.channel(workshop.id, PLATFORM, "moderators")
        if channel_id is not None:
            await settle(self.outbox.post_text(channel_id, text), "moderators channel")
            return

        targets = await self.destinations.staff_addresses(workshop.id, PLATFORM)
        if not targets:
            log.warning(
                "workshop %s has no Slack moderators channel and no staff reachable by DM; "
                "type /cityneeds moderators %s in a private channel. Review request:\n%s",
                workshop.slug,
                workshop.slug,
                text,
            )
            return
        futures = [f for address in targets for f in self.outbox.post_text(address, text)]
        await settle(futures, "staff direct messages")

    async def send_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str:
        """Send one reminder to the participant's direct-message channel; return its ``ts``.

        The first message carries ``key`` in its metadata (see :meth:`find_reminder`).
        """
        if target.platform != PLATFORM:
            log.info("reminder for a %s participant skipped by the Slack poster", target.platform)
            return ""
        messages = text_messages(text)
        first = self._post_keyed(target.address, messages[0], key)
        rest = self.outbox.post_all(target.address, messages[1:])
        answer = await first
        await settle(rest, "reminder")
        return str(answer["ts"])

    async def find_reminder(
        self, workshop: WorkshopInfo, target: ReminderTarget, text: str, key: PostKey
    ) -> str | None:
        """The ``ts`` of the reminder sent with ``key``, if the DM shows it."""
        if target.platform != PLATFORM:
            return None
        return await self._find(target.address, key)
