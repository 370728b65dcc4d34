"""Every verified Slack request: stored in the inbox before its ack, then handled from there.

Over HTTP and over Socket Mode alike, :meth:`SlackIntake.accept` stores the
body under its dedupe key (Slack's ``event_id``, a ``trigger_id``) and only then
lets the caller answer 200 or acknowledge the envelope. A retry of a stored
event finds its row and is not handled again. The handler runs after the
ack: it asks for the workspace's authorization (cached, see
:mod:`bot.adapters.slack.auth`), takes the person's place in line, and routes
the body to the bot's listener. A turn stores its replies with itself (the
outbox) and closes the row; other replies are stored when the row is closed;
then the replies are posted and marked sent.

:meth:`SlackIntake.recover` runs at start, before requests are accepted: it
posts the replies a dead process left pending (looking first whether Slack
already shows them) and handles every row still waiting, oldest first. A row
that fails :data:`MAX_ATTEMPTS` times is given up on (and logged); a row that
waits for an authorization Slack refused stays for the next start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.adapters.slack.auth import AuthRefused
from bot.adapters.slack.outbox import settle
from bot.adapters.slack.payloads import user_of
from bot.adapters.slack.requests import Ack, Delivery, Kind, dedupe_key, kind_of, team_of
from bot.app.inbox import InboxItem

if TYPE_CHECKING:
    from bot.adapters.slack.app import SlackBot

log = logging.getLogger(__name__)

#: Attempts at one stored request (over restarts) before it is given up on.
MAX_ATTEMPTS = 3
#: Handled requests and their sent replies are kept this long (then pruned at a start).
KEEP_HANDLED = timedelta(days=7)


class SlackIntake:
    """The inbox in front of a :class:`~bot.adapters.slack.app.SlackBot`.

    Args:
        bot: The listeners, the inbox, the authorization cache and the reply sender.
    """

    def __init__(self, bot: SlackBot) -> None:
        self.bot = bot
        self._running: set[asyncio.Task[None]] = set()
        self._active: set[int] = set()

    async def accept(self, body: dict[str, Any]) -> Ack:
        """Store a verified request durably; return what to answer Slack now.

        Raises:
            Exception: The database could not store it (the caller answers 500
                or leaves the envelope unacknowledged, so Slack sends it again).
        """
        kind = kind_of(body)
        if kind == Kind.URL_VERIFICATION:
            return Ack(200, {"challenge": str(body.get("challenge") or "")})
        if kind in (Kind.SSL_CHECK, Kind.OTHER) or not self.bot.wants(body):
            self.bot.stats["request.unhandled"] += 1
            return Ack(200)
        payload = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        received = await self.bot.inbox.receive(dedupe_key(body), payload, order_key=user_of(body))
        if received.fresh:
            self._spawn(received.item, body, recovering=False)
        else:
            self.bot.stats["request.redelivered"] += 1
        return Ack(200)

    async def recover(self) -> tuple[int, int]:
        """Finish what a dead process left: pending replies, then waiting requests.

        Returns:
            Replies posted and requests handled.
        """
        posted = await self.bot.replies.recover()
        rows = await self.bot.inbox.unfinished()
        for item in rows:
            self._spawn(item, json.loads(item.payload), recovering=True)
        await self.wait_idle(None)
        if posted or rows:
            log.info("recovered %d Slack replies and %d requests", posted, len(rows))
        await self.bot.inbox.prune(KEEP_HANDLED)
        return posted, len(rows)

    @property
    def idle(self) -> bool:
        """Whether no accepted request is being handled."""
        return all(task.done() for task in self._running)

    async def wait_idle(self, timeout: float | None = 30.0) -> None:
        """Wait until every accepted request has been handled.

        Raises:
            TimeoutError: Still busy after ``timeout`` seconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            running = [t for t in self._running if not t.done()]
            if not running:
                return
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if left == 0.0:
                raise TimeoutError("the Slack adapter is still busy")
            await asyncio.wait(running, timeout=left)

    def _spawn(self, item: InboxItem, body: dict[str, Any], *, recovering: bool) -> None:
        if item.id in self._active:
            return
        self._active.add(item.id)
        task = asyncio.ensure_future(self._handle(item, body, recovering=recovering))
        self._running.add(task)
        task.add_done_callback(self._running.discard)

    async def _handle(self, item: InboxItem, body: dict[str, Any], *, recovering: bool) -> None:
        bot = self.bot
        name = bot.listener_name(body)
        try:
            if recovering:
                begun = await bot.inbox.begin(item.id)
                if begun is None:
                    return
                if begun.attempts > MAX_ATTEMPTS:
                    log.error("a stored Slack %s failed %d times; giving up", name, MAX_ATTEMPTS)
                    await bot.inbox.fail(item.id, f"failed {MAX_ATTEMPTS} times")
                    return
            try:
                auth = await bot.auth.of(team_of(body))
            except AuthRefused as exc:
                bot.stats["auth.refused"] += 1
                log.error("Slack refused the bot token (%s); the %s waits for a restart", exc, name)
                return
            delivery = Delivery(inbox_id=item.id, bot_user_id=auth.bot_user_id)
            async with contextlib.AsyncExitStack() as held:
                if bot.serial(body):  # one person's requests one at a time, in arrival order
                    await held.enter_async_context(bot.order.hold(user_of(body)))
                await bot.dispatch(body, delivery)
                if not delivery.closed:
                    await bot.inbox.complete(item.id, delivery.replies)
                sent = await bot.replies.queue(item.id)
            await sent()
            await settle(list(delivery.posts), f"{name} replies")
        except Exception:
            bot.stats[f"{name}.error"] += 1
            log.exception("Slack %s listener failed", name)
        finally:
            self._active.discard(item.id)
