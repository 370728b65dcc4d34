"""Replies through the outbox: composed inside the turn's transaction, sent, marked sent.

Every message a turn answers with is stored (:func:`compose`) in the same
transaction as the turn, as an outbox row naming its channel and thread and
holding its text and blocks. :class:`ReplySender` posts a row, with the row's
id in the message's metadata, and marks it sent with the ``ts`` Slack gave.

A process killed between Slack's answer and that mark leaves a pending row
for a message Slack already shows. :meth:`ReplySender.recover` therefore first
looks in the channel (the last :data:`HISTORY_LOOKBACK` messages, or the
thread's replies) for messages carrying the ids of pending rows, marks those
sent, and posts only the others: a reply is shown once.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.adapters.slack.blocks import Labels, reply_messages, text_messages
from bot.adapters.slack.digest_blocks import SlackMessage
from bot.adapters.slack.outbox import Outbox
from bot.app.events import RouterResponse
from bot.app.inbox import EventInbox, OutboxItem, OutboxStatus, Outgoing
from flows.catalog import Catalogs

log = logging.getLogger(__name__)

#: Metadata event type of a reply (its payload holds the outbox row's id).
REPLY_EVENT = "cityneeds_reply"
#: How many recent messages of a channel a recovery looks through.
HISTORY_LOOKBACK = 100
#: How many messages of a thread (oldest first, as Slack lists them) a recovery reads.
THREAD_LOOKBACK = 200


@dataclass(frozen=True)
class Place:
    """Where a reply goes: a channel, and a thread in it."""

    channel: str
    thread_ts: str | None = None

    def encode(self) -> str:
        """The outbox row's ``destination``."""
        return json.dumps({"c": self.channel, "t": self.thread_ts}, separators=(",", ":"))

    @classmethod
    def decode(cls, destination: str) -> Place:
        """Read an outbox row's ``destination``."""
        data = json.loads(destination)
        return cls(str(data["c"]), data.get("t"))


def encode_message(message: SlackMessage) -> str:
    """An outbox row's ``payload``: the message's text and blocks."""
    return json.dumps(
        {"text": message.text, "blocks": message.blocks},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def decode_message(payload: str) -> SlackMessage:
    """Read an outbox row's ``payload``."""
    data = json.loads(payload)
    return SlackMessage(text=str(data["text"]), blocks=list(data.get("blocks") or []))


def composer(
    catalogs: Catalogs, place: Place, form_at: str | None
) -> Callable[[RouterResponse], list[Outgoing]]:
    """How a turn's replies become outbox rows for ``place`` (pure: runs in the transaction)."""

    def compose(response: RouterResponse) -> list[Outgoing]:
        labels = Labels.of(catalogs, response.locale, form_at)
        destination = place.encode()
        return [
            Outgoing(destination, encode_message(message))
            for reply in response.replies
            for message in reply_messages(reply, labels)
        ]

    return compose


def text_outgoing(place: Place, text: str) -> list[Outgoing]:
    """Any text (a staff answer) as outbox rows for ``place``."""
    destination = place.encode()
    return [Outgoing(destination, encode_message(m)) for m in text_messages(text)]


def reply_metadata(outbox_id: int) -> dict[str, Any]:
    """The metadata that names an outbox row on the message that shows it."""
    return {"event_type": REPLY_EVENT, "event_payload": {"outbox": outbox_id}}


def _outbox_id(message: dict[str, Any]) -> int | None:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != REPLY_EVENT:
        return None
    value = (meta.get("event_payload") or {}).get("outbox")
    return value if isinstance(value, int) else None


class ReplySender:
    """Posts outbox rows in order and marks them sent (see the module docstring).

    Args:
        outbox: The Web API calls (through the rate-limited sender).
        inbox: The store's inbox and outbox for Slack.
    """

    def __init__(self, outbox: Outbox, inbox: EventInbox) -> None:
        self.outbox = outbox
        self.inbox = inbox
        #: Rows posted, and rows found already shown by a recovery.
        self.sent = 0
        self.found = 0

    async def queue(self, inbox_id: int) -> Callable[[], Awaitable[None]]:
        """Queue the pending replies of one event; return what waits for them and marks them.

        Queue while the person's turn is held (so their replies keep their order),
        and wait after releasing it.
        """
        rows = [r for r in await self.inbox.outbox_of(inbox_id) if r.status == OutboxStatus.PENDING]
        pairs = [(row, self._queue(row)) for row in rows]

        async def settle() -> None:
            await self._settle(pairs)

        return settle

    async def recover(self) -> int:
        """Finish the replies a dead process left pending; return how many were posted."""
        rows = await self.inbox.unsent()
        if not rows:
            return 0
        shown: dict[int, str] = {}
        for place in dict.fromkeys(Place.decode(r.destination) for r in rows):
            shown.update(await self._shown(place))
        for row in rows:
            if row.id in shown:
                await self.inbox.mark_sent(row.id, shown[row.id])
                self.found += 1
        rest = [r for r in rows if r.id not in shown]
        # Queued at once (the sender keeps each channel's order), marked as they land.
        await self._settle([(row, self._queue(row)) for row in rest])
        return len(rest)

    async def _settle(self, pairs: Sequence[tuple[OutboxItem, asyncio.Future[Any]]]) -> None:
        for row, future in pairs:
            try:
                result = await future
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("a reply was refused by Slack for good: %s", exc)
                await self.inbox.mark_failed(row.id)
                continue
            await self.inbox.mark_sent(row.id, str(result.get("ts") or "") or None)
            self.sent += 1

    def _queue(self, row: OutboxItem) -> asyncio.Future[Any]:
        place = Place.decode(row.destination)
        return self.outbox.post(
            place.channel,
            decode_message(row.payload),
            thread_ts=place.thread_ts,
            metadata=reply_metadata(row.id),
        )

    async def _shown(self, place: Place) -> dict[int, str]:
        """Outbox ids already on Slack in ``place``, with their ``ts``."""
        client = self.outbox.client

        async def job() -> Any:
            if place.thread_ts:
                return await client.conversations_replies(
                    channel=place.channel,
                    ts=place.thread_ts,
                    limit=THREAD_LOOKBACK,
                    include_all_metadata=True,
                )
            return await client.conversations_history(
                channel=place.channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
            )

        try:
            response = await self.outbox.sender.send(
                place.channel, job, paced=False, label="reply look-up"
            )
        except Exception as exc:
            # Without the history a pending reply is posted again rather than never.
            log.warning("could not read a channel's history to find sent replies: %s", exc)
            return {}
        found: dict[int, str] = {}
        for message in response.get("messages") or []:
            outbox_id = _outbox_id(message)
            if outbox_id is not None:
                found[outbox_id] = str(message.get("ts") or "")
        return found
