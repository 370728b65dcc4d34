"""Interactions and typed answers kept in the inbox, so a killed process loses none of them.

Discord does not send an acknowledged interaction again, and a new gateway
session does not replay the messages of the old one. So:

* every interaction is written to the inbox (its raw gateway payload, keyed by
  its id) *before* it is deferred, and every typed answer before it reaches
  the router;
* the row is closed once the replies were sent;
* on start, the rows a dead process left open are dispatched again through
  discord.py's own gateway parsers, before any new event, in the order they
  arrived. The handlers see that the interaction was acknowledged already (no
  second deferral) and the router's delivery ids make a turn that was stored
  before the death a duplicate; the participant is then shown the current
  question once (:data:`REPEAT`), since the reply may not have gone out.

A row whose handling failed stays open and is tried again on the next start;
after :data:`ATTEMPTS` tries it is given up (logged), so a poison event cannot
keep the bot busy at every start.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

if TYPE_CHECKING:
    from bot.adapters.discord.deliveries import Handled
    from bot.app.chat import ChatApp
    from bot.app.events import InboundEvent, RouterResponse
    from bot.app.inbox import EventInbox

log = logging.getLogger(__name__)

#: The gateway events whose payloads are kept.
EVENTS = ("INTERACTION_CREATE", "MESSAGE_CREATE")
#: Raw payloads remembered until their handler keeps (or ignores) them.
RAW_KEPT = 4096
#: Handlings of one kept event before it is given up.
ATTEMPTS = 3
#: What the router is told after a replayed event turned out to be stored already.
REPEAT = "repeat"
#: How long finished rows (raw payloads with what people typed) are kept.
FINISHED_KEPT = timedelta(days=2)
#: Seconds an interaction waits for its inbox row before it is acknowledged anyway
#: (Discord allows 3; a slow database must not fail the interaction).
KEEP_WAIT = 1.5


@dataclass(frozen=True)
class Keeping:
    """How a delivery stands in the inbox.

    Attributes:
        inbox_id: Its row (``None`` if it could not be kept: handled unkept).
        fresh: First seen now: it must still be acknowledged.
        replayed: A dead process kept it: acknowledged already, maybe handled.
        duplicate: Handled already (or being handled, or given up): do nothing.
    """

    inbox_id: int | None
    fresh: bool = True
    replayed: bool = False
    duplicate: bool = False


class KeptEvents:
    """The Discord side of the inbox: raw payloads, keeping, closing and replay on start.

    Args:
        client: The bot (its gateway parsers are wrapped by :meth:`install`).
        chat: The app layer (its router shows the current question after a replay).
        inbox: The Discord inbox.
    """

    def __init__(self, client: discord.Client, chat: ChatApp, inbox: EventInbox) -> None:
        self.client = client
        self.chat = chat
        self.inbox = inbox
        self._raw: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._parsers: dict[str, Callable[[Any], None]] = {}
        self._pending: list[tuple[int, str, dict[str, Any]]] = []
        self._replaying: set[str] = set()
        self._active: set[str] = set()
        #: Rows dispatched again since start (for logs and tests).
        self.replayed = 0

    # ------------------------------------------------------------- start
    def install(self) -> None:
        """Wrap the gateway parsers: remember raw payloads, replay kept rows before the first."""
        parsers: dict[str, Callable[[Any], None]] = self.client._connection.parsers
        for event in EVENTS:
            inner = parsers[event]
            if getattr(inner, "_cityneeds_kept", False):
                continue
            self._parsers[event] = inner
            parsers[event] = self._wrap(event, inner)

    def _wrap(self, event: str, inner: Callable[[Any], None]) -> Callable[[Any], None]:
        def parse(data: Any) -> None:
            self.flush()
            if isinstance(data, dict) and data.get("id") is not None:
                self._remember(event, data)
            inner(data)

        parse._cityneeds_kept = True  # type: ignore[attr-defined]
        return parse

    def _remember(self, event: str, data: dict[str, Any]) -> None:
        self._raw[str(data["id"])] = {"t": event, "d": data}
        while len(self._raw) > RAW_KEPT:
            self._raw.popitem(last=False)

    async def load(self) -> None:
        """Read the rows a dead process left open (before the gateway connects).

        Finished rows older than :data:`FINISHED_KEPT` are deleted first: they
        hold raw payloads, typed text included, and are needed no more.
        """
        try:
            await self.inbox.prune(FINISHED_KEPT)
        except Exception:
            log.exception("could not delete old kept discord events")
        for item in await self.inbox.unfinished():
            try:
                frame = json.loads(item.payload)
                event, data = str(frame["t"]), dict(frame["d"])
                if event not in EVENTS:
                    raise ValueError(event)
            except (ValueError, KeyError, TypeError):
                await self.inbox.fail(item.id, "unreadable payload")
                continue
            self._pending.append((item.id, event, data))
        if self._pending:
            log.info("%d kept discord events to finish", len(self._pending))

    def flush(self) -> None:
        """Dispatch the loaded rows again, oldest first, with no ``await`` in between.

        Runs before the first new gateway event is parsed (or on ``ready``), so
        the replays take the first places in every person's line.
        """
        pending, self._pending = self._pending, []
        for _, event, data in pending:
            key = str(data["id"])
            self._replaying.add(key)
            self._remember(event, data)
            self.replayed += 1
            try:
                self._parsers.get(event, self.client._connection.parsers[event])(data)
            except Exception:
                log.exception("could not dispatch kept discord event %s again", key)

    # ------------------------------------------------------------- keeping
    async def keep(self, key: str) -> Keeping:
        """Write the delivery ``key`` to the inbox (durable on return) and say how it stands."""
        if key in self._active:
            return Keeping(None, fresh=False, duplicate=True)
        raw = self._raw.pop(key, None)
        replaying = key in self._replaying
        try:
            received = await self.inbox.receive(
                key, json.dumps(raw if raw is not None else {}, separators=(",", ":"))
            )
            if received.fresh:
                self._active.add(key)
                return Keeping(received.item.id)
            item = await self.inbox.begin(received.item.id)
        except Exception:
            log.exception("could not keep discord delivery %s; handling it unkept", key)
            return Keeping(None, fresh=not replaying, replayed=replaying)
        if item is None:
            return Keeping(received.item.id, fresh=False, duplicate=True)
        if item.attempts > ATTEMPTS:
            log.error("discord delivery %s failed %d times; given up", key, item.attempts - 1)
            await self.inbox.fail(item.id, f"gave up after {item.attempts - 1} attempts")
            return Keeping(item.id, fresh=False, duplicate=True)
        self._active.add(key)
        return Keeping(item.id, fresh=False, replayed=True)

    async def keep_and_acknowledge(
        self, key: str, acknowledge: Callable[[], Awaitable[object]]
    ) -> Keeping:
        """:meth:`keep` the interaction, then ``acknowledge`` it unless it was kept before.

        If the row is not durable within :data:`KEEP_WAIT` seconds the
        interaction is acknowledged first (a kill in that moment can lose it;
        the warning says so) rather than failed.
        """
        task = asyncio.ensure_future(self.keep(key))
        try:
            keeping = await asyncio.wait_for(asyncio.shield(task), KEEP_WAIT)
        except TimeoutError:
            log.warning("keeping discord interaction %s is slow: acknowledged first", key)
            await acknowledge()
            return dataclasses.replace(await task, fresh=False)
        if keeping.fresh:
            await acknowledge()
        return keeping

    async def close(self, key: str, keeping: Keeping) -> None:
        """Close the row once the delivery was handled and its replies were sent.

        Not called when handling failed: the row is tried again on the next
        start, at most :data:`ATTEMPTS` times.
        """
        self._active.discard(key)
        self._replaying.discard(key)
        if keeping.inbox_id is None or keeping.duplicate:
            return
        try:
            await self.inbox.complete(keeping.inbox_id, [])
        except Exception:
            log.exception("could not close kept discord delivery %s", key)

    # ------------------------------------------------------------- replies
    async def after_replay(
        self,
        event: InboundEvent,
        response: RouterResponse,
        handled: Handled,
        channel_id: int | None = None,
    ) -> RouterResponse:
        """``response``, or the current question for a replayed event whose turn was stored.

        The process that stored the turn died before it closed the kept row: if
        nothing of the bot's reached ``channel_id`` after the event, it died
        before replying too, and the person is shown where they are (once).
        """
        if not (handled.replayed and response.duplicate):
            return response
        if channel_id is not None and await self._answered_since(channel_id, handled.delivery):
            return response
        again = dataclasses.replace(event, text=REPEAT, delivery_id=None, button_step=None)
        return await self.chat.router.handle(again)

    async def _answered_since(self, channel_id: int, delivery: str) -> bool:
        """Whether the bot posted in ``channel_id`` after the event ``delivery`` (a snowflake)."""
        me = self.client.user
        if me is None or not delivery.isdigit():
            return False
        channel = self.client.get_partial_messageable(channel_id)
        try:
            async for message in channel.history(limit=20, after=discord.Object(int(delivery))):
                if message.author.id == me.id:
                    return True
        except discord.HTTPException:
            log.warning("could not read channel %s to check a reply", channel_id)
        return False
