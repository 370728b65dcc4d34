"""The Slack adapter: a slack-bolt ``AsyncApp`` between Slack and the router.

Surfaces (see ``README.md`` next to this file):

* direct messages with the bot (``message.im``) and threads under the bot's
  messages in a bound workshop channel (``message.channels``/``message.groups``
  with ``thread_ts``; the answer goes to the same thread);
* ``/cityneeds join|help|status|setup|moderators|staff`` and every staff-desk
  command (``/cityneeds open meso`` runs ``!open meso``); command replies are
  ephemeral (the command's ``response_url``);
* buttons and menus for choices, a modal for the micro requirement.

Every listener acks at once and does its work in a Bolt *lazy* listener, so
Slack gets its answer within 3 seconds however slow the database or the Web API
is. A retried event (``X-Slack-Retry-Num``) carries the same ``event_id``; the
router records it as the delivery id in the same transaction as the turn, before
anything is posted, so a retry posts nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext

from bot.adapters.slack.blocks import (
    FORM,
    FORM_CALLBACK,
    MULTI,
    MULTI_SEND,
    PICK,
    SELECT,
    Labels,
    answered_blocks,
    decode_choice,
    form_answers,
    reply_messages,
    requirement_modal,
)
from bot.adapters.slack.outbox import Outbox, settle
from bot.adapters.slack.payloads import (
    Where,
    message_place,
    multi_selection,
    slack_unescape,
    user_of,
)
from bot.adapters.slack.people import USER_CACHE_SECONDS, SlackPeople, UserInfo
from bot.app.binding import BindRequest, BindStatus
from bot.app.events import Attachment, InboundEvent, RouterResponse
from bot.app.ordering import KeyedOrder
from bot.app.staff.desk import PERMISSIONS
from bot.app.staff.parse import is_staff_text
from bot.runtime import Runtime
from flows.messages import ReplyKind
from flows.text import Literal, Msg, Param

log = logging.getLogger(__name__)

PLATFORM = "slack"
COMMAND = "/cityneeds"
_ACTIONS = re.compile(rf"^({PICK}\d+|{SELECT}|{MULTI_SEND})$")


class Posts(list[asyncio.Future[Any]]):
    """Web API calls a handler queued; awaited after the user's turn lock is released."""


Lazy = Callable[[dict[str, Any], AsyncBoltContext, Posts], Awaitable[None]]


class SlackBot:
    """The Bolt app and its listeners, over one runtime.

    Args:
        runtime: Store, router, staff desk and scheduler.
        outbox: Where every Web API call goes (through the rate-limited sender).
        signing_secret: Verifies HTTP requests (required unless ``socket_mode``).
        socket_mode: Requests arrive over Socket Mode (no signatures to check).
        user_cache_seconds: How long a ``users.info`` answer is reused.
    """

    def __init__(
        self,
        runtime: Runtime,
        outbox: Outbox,
        *,
        signing_secret: str | None = None,
        socket_mode: bool = False,
        user_cache_seconds: float = USER_CACHE_SECONDS,
    ) -> None:
        if not socket_mode and not signing_secret:
            raise ValueError("HTTP mode needs the signing secret to verify Slack's requests")
        #: The app layer: routing, places, binding and forms.
        self.chat = runtime.app
        self.router = self.chat.router
        self.catalogs = self.chat.catalogs
        self.outbox = outbox
        #: What Slack says about users, and their DM channels (cached).
        self.people = SlackPeople(outbox, user_cache_seconds)
        #: Counts of what happened (``message.turn``, ``message.duplicate``, …).
        self.stats: Counter[str] = Counter()
        self._running: set[asyncio.Task[Any]] = set()
        #: One user's requests one at a time, in arrival order.
        self._order = KeyedOrder()
        self.app = AsyncApp(
            client=outbox.client,
            signing_secret=signing_secret or "",
            request_verification_enabled=not socket_mode,
            process_before_response=False,
            name="cityneeds",
        )
        self._register()

    # --------------------------------------------------------------- wiring
    def _register(self) -> None:
        app = self.app
        app.event("message")(ack=_ack, lazy=[self._lazy("message", self.on_message)])
        app.command(COMMAND)(ack=_ack, lazy=[self._lazy("command", self.on_command)])
        app.action(_ACTIONS)(ack=_ack, lazy=[self._lazy("action", self.on_action)])
        # views.open must run within 3 s of the click: it waits for no one's turn.
        app.action(FORM)(ack=_ack, lazy=[self._lazy("form_open", self.on_open_form, serial=False)])
        # Every item picked in a multi-select sends an action; "Send" reads the selection.
        app.action(MULTI)(_ack)
        app.view(FORM_CALLBACK)(ack=_ack, lazy=[self._lazy("form", self.on_form)])

    def _lazy(
        self, name: str, handler: Lazy, *, serial: bool = True
    ) -> Callable[..., Awaitable[None]]:
        async def lazy(body: dict[str, Any], context: AsyncBoltContext) -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            posts = Posts()
            try:
                # One user's requests are handled in the order they arrived (lazy
                # listeners start in arrival order and this is their first await),
                # so a fast typist's messages cannot overtake each other here.
                if serial:
                    async with self._order.hold(user_of(body)):
                        await handler(body, context, posts)
                else:
                    await handler(body, context, posts)
                await settle(list(posts), f"{name} replies")
            except Exception:
                self.stats[f"{name}.error"] += 1
                log.exception("Slack %s listener failed", name)
            finally:
                if task is not None:
                    self._running.discard(task)

        lazy.__name__ = lazy.__qualname__ = f"cityneeds_{name}"
        return lazy

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait for running listeners and queued Web API calls (shutdown, tests).

        Raises:
            TimeoutError: Still busy after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            running = [t for t in self._running if not t.done()]
            if running:
                await asyncio.wait(running, timeout=max(0.0, deadline - time.monotonic()))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the Slack adapter is still busy")
            await self.outbox.sender.drain(remaining)
            if not any(not t.done() for t in self._running):
                return

    # ------------------------------------------------------------- messages
    async def on_message(
        self, body: dict[str, Any], context: AsyncBoltContext, posts: Posts
    ) -> None:
        """A message in a DM with the bot, or in a thread under the bot in a bound channel."""
        event = body.get("event") or {}
        user = event.get("user")
        channel = event.get("channel")
        if event.get("subtype") or event.get("bot_id") or not user or not channel:
            self.stats["message.ignored"] += 1
            return
        kind = event.get("channel_type")
        where: Where | None = None
        if kind == "im":
            where = Where(channel, None, await self._dm_workshop(user), channel)
        elif kind in ("channel", "group"):
            where = await self._thread(event, context)
        if where is None:
            self.stats["message.ignored"] += 1
            return
        text = slack_unescape(str(event.get("text") or ""))
        inbound = await self._inbound(user, text, where, delivery_id=body.get("event_id"))
        response = await self.router.handle(inbound)
        self._deliver(response, where, "message", posts)
        await self._send_files(user, response, posts)
        if is_staff_text(text) and not response.duplicate:
            await self._remember_staff(user, where.workshop)

    async def _thread(self, event: dict[str, Any], context: AsyncBoltContext) -> Where | None:
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return None  # top-level channel chatter is not for us
        if event.get("parent_user_id") != context.bot_user_id:
            return None  # only threads under the bot's own messages
        bound = await self.chat.places.binding(PLATFORM, str(event["channel"]))
        if bound is None or bound.purpose != "workshop":
            return None
        user = str(event["user"])
        return Where(
            str(event["channel"]), thread_ts, bound.workshop_slug, await self._address(user)
        )

    # ------------------------------------------------------------- commands
    async def on_command(
        self, body: dict[str, Any], context: AsyncBoltContext, posts: Posts
    ) -> None:
        """``/cityneeds SUBCOMMAND …``; replies are ephemeral."""
        user = str(body["user_id"])
        channel = str(body["channel_id"])
        url = str(body.get("response_url") or "")
        text = " ".join(slack_unescape(str(body.get("text") or "")).split())
        sub, _, rest = text.partition(" ")
        sub = sub.lower()
        info = await self._user(user)
        locale = self._locale(info)
        delivery = f"cmd:{body.get('trigger_id') or body.get('command_ts') or time.time_ns()}"
        known = sub in ("", "help", "join", "status", "setup", "moderators", "staff", *PERMISSIONS)
        self.stats[f"command.{(sub or 'help') if known else 'other'}"] += 1
        if sub in ("", "help"):
            help_text = self._t("slack.help", locale) + "\n\n" + self._t("help.commands", locale)
            await self.outbox.respond(url, help_text)
        elif sub == "join":
            await self._join(user, channel, body, info, delivery, url, locale, posts)
        elif sub == "status":
            await self._status(user, info, delivery, url, locale)
        elif sub in ("setup", "moderators"):
            purpose = "workshop" if sub == "setup" else "moderators"
            await self._bind(user, channel, rest, purpose, info, delivery, url, locale)
        elif sub == "staff" or sub in PERMISSIONS:
            command = "!help" if sub == "staff" else f"!{text}"
            where = Where(channel, None, await self._workshop_of(user, channel), None)
            inbound = await self._inbound(user, command, where, delivery_id=delivery, info=info)
            response = await self.router.handle(inbound)
            if not response.duplicate:
                answer = "\n".join(r.text for r in response.replies)
                if answer.strip():  # "!digest draft" answers in the moderators' channel
                    await self.outbox.respond(url, answer)
                await self._send_files(user, response, posts)
                await self._remember_staff(user, where.workshop)
        else:
            await self.outbox.respond(
                url, self._t("slack.unknown_command", locale, command=Literal(sub[:40]))
            )

    async def _join(
        self,
        user: str,
        channel: str,
        body: dict[str, Any],
        info: UserInfo,
        delivery: str,
        url: str,
        locale: str,
        posts: Posts,
    ) -> None:
        in_dm = body.get("channel_name") == "directmessage" or channel.startswith("D")
        dm = channel if in_dm else await self._dm(user)
        where = Where(dm, None, await self._workshop_of(user, channel), dm)
        inbound = await self._inbound(user, "", where, delivery_id=delivery, info=info)
        response = await self.router.start(inbound)
        self._deliver(response, where, "join", posts)
        if not in_dm and not response.duplicate:
            await self.outbox.respond(url, self._t("slack.join_dm", locale))

    async def _status(
        self, user: str, info: UserInfo, delivery: str, url: str, locale: str
    ) -> None:
        latest = await self.chat.places.latest_workshop(self._pseudonym(user))
        if latest is None:
            await self.outbox.respond(url, self._t("slack.not_joined", locale))
            return
        where = Where("", None, latest, None)
        inbound = await self._inbound(user, "status", where, delivery_id=delivery, info=info)
        response = await self.router.handle(inbound)
        if not response.duplicate:
            await self.outbox.respond(url, "\n\n".join(r.text for r in response.replies))

    async def _bind(
        self,
        user: str,
        channel: str,
        rest: str,
        purpose: str,
        info: UserInfo,
        delivery: str,
        url: str,
        locale: str,
    ) -> None:
        words = rest.split()
        slug = words[0].lower() if len(words) == 1 else ""  # exactly one workshop
        usage = f"{COMMAND} {'setup' if purpose == 'workshop' else 'moderators'} WORKSHOP"
        request = BindRequest(
            platform=PLATFORM,
            slug=slug,
            channel=channel,
            purpose=purpose,
            actor=self._pseudonym(user),
            is_platform_admin=info.is_admin,
        )
        check = await self.chat.check_bind(request)
        if check.status == BindStatus.USAGE:
            await self.outbox.respond(url, self._t("staff.usage", locale, usage=usage))
            return
        if check.status == BindStatus.REFUSED:
            self.stats["command.refused"] += 1
            await self.outbox.respond(
                url, self._t("slack.setup_refused", locale, workshop=Literal(slug))
            )
            return
        # Claimed before anything is posted, so a repeated delivery posts nothing.
        if not await self.chat.claim_delivery(PLATFORM, delivery):
            self.stats["command.duplicate"] += 1
            return
        ws = check.workshop
        title = ws.title if ws is not None else slug
        # The channel's notice is in the workshop's first language (the admin's, for a new one).
        channel_locale = ws.languages[0] if ws is not None and ws.languages else locale
        if channel_locale not in self.catalogs.locales:
            channel_locale = locale
        notice_key = "slack.setup_welcome" if purpose == "workshop" else "slack.moderators_notice"
        notice = self._t(notice_key, channel_locale, title=Literal(title))
        # Post the channel's notice first: it fails if the bot is not in the channel,
        # and then nothing is bound. Threads under the welcome are where people answer.
        posted = await settle(self.outbox.post_text(channel, notice), "setup notice")
        if any(p is None for p in posted):
            await self.outbox.respond(url, self._t("slack.invite_first", locale))
            return
        outcome = await self.chat.bind(request, checked=check)
        if outcome.status != BindStatus.BOUND:
            return
        done = "slack.setup_done" if purpose == "workshop" else "slack.moderators_done"
        await self.outbox.respond(url, self._t(done, locale, workshop=Literal(slug)))
        await self._remember_staff(user, slug)

    # -------------------------------------------------------------- actions
    async def on_action(
        self, body: dict[str, Any], context: AsyncBoltContext, posts: Posts
    ) -> None:
        """A button or menu in one of our prompts."""
        actions = body.get("actions") or []
        if not actions:
            return
        action = actions[0]
        action_id = str(action.get("action_id"))
        user = str(body["user"]["id"])
        container = body.get("container") or {}
        message = body.get("message") or {}
        channel, thread_ts = message_place(body)
        where = await self._where_interaction(user, channel, thread_ts)
        if action_id == MULTI_SEND:
            step, _ = decode_choice(str(action.get("value") or ""))
            picked = multi_selection(body.get("state") or {})
            # Nothing picked sends no items: the core then says how many to pick.
            text = ", ".join(value for value, _ in picked)
            chosen = ", ".join(label for _, label in picked) or "–"
        elif action_id == SELECT:
            option = action.get("selected_option") or {}
            step, text = decode_choice(str(option.get("value") or ""))
            chosen = str((option.get("text") or {}).get("text") or text)
        else:
            step, text = decode_choice(str(action.get("value") or ""))
            chosen = str((action.get("text") or {}).get("text") or text)
        delivery = f"act:{body.get('trigger_id') or action.get('action_ts')}"
        inbound = await self._inbound(user, text, where, delivery_id=delivery)
        inbound = replace(inbound, button_step=step or "")
        response = await self.router.handle(inbound)
        if response.duplicate:
            self.stats["action.duplicate"] += 1
            return
        accepted = not any(r.kind == ReplyKind.ERROR for r in response.replies)
        if accepted and message.get("ts") and not container.get("is_ephemeral"):
            # Show what was chosen in place of the buttons, so they cannot be pressed again.
            # (Labels come back as we sent them, escaped; the note is escaped once more later.)
            answer = Literal(slack_unescape(chosen))
            note = self._t("slack.answered", response.locale, answer=answer)
            blocks = answered_blocks(list(message.get("blocks") or []), note)
            text = str(message.get("text") or " ")
            posts.append(self.outbox.update(channel, str(message["ts"]), text, blocks))
        self._deliver(response, where, "action", posts)

    async def on_open_form(
        self, body: dict[str, Any], context: AsyncBoltContext, posts: Posts
    ) -> None:
        """Open the requirement modal for the form button (nothing slow runs before it)."""
        actions = body.get("actions") or [{}]
        _, locale = decode_choice(str(actions[0].get("value") or ""))
        form = self.chat.form
        if form is None:
            return
        if locale not in self.catalogs.locales:
            locale = self._locale(await self._user(str(body["user"]["id"])))
        channel, thread_ts = message_place(body)
        metadata = {"c": channel, "t": thread_ts}
        view = requirement_modal(self.catalogs, locale, metadata, form)
        trigger = str(body.get("trigger_id") or "")
        client = self.outbox.client
        await self.outbox.sender.call(
            lambda: client.views_open(trigger_id=trigger, view=view), label="views.open"
        )
        self.stats["form.opened"] += 1

    async def on_form(self, body: dict[str, Any], context: AsyncBoltContext, posts: Posts) -> None:
        """The requirement modal was submitted: answer its five steps, then post the replies."""
        view = body.get("view") or {}
        user = str(body["user"]["id"])
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except json.JSONDecodeError:
            meta = {}
        channel = str(meta.get("c") or await self._dm(user))
        where = await self._where_interaction(user, channel, meta.get("t"))
        if self.chat.form is None:
            return
        answers = form_answers((view.get("state") or {}).get("values") or {}, self.chat.form)
        inbound = await self._inbound(user, "", where, delivery_id=f"view:{view.get('id')}")
        response = await self.router.submit_form(inbound, answers)
        self._deliver(response, where, "form", posts)

    # -------------------------------------------------------------- helpers
    async def _inbound(
        self,
        user: str,
        text: str,
        where: Where,
        *,
        delivery_id: str | None,
        info: UserInfo | None = None,
    ) -> InboundEvent:
        info = info or await self._user(user)
        return InboundEvent(
            platform=PLATFORM,
            user_id=user,
            text=text,
            workshop=where.workshop,
            delivery_id=delivery_id,
            locale=info.locale,
            address=where.address,
            is_platform_admin=info.is_admin,
        )

    def _deliver(self, response: RouterResponse, where: Where, what: str, posts: Posts) -> None:
        """Queue the replies (in order, in the input's channel or thread)."""
        if response.duplicate:
            self.stats[f"{what}.duplicate"] += 1
            return
        self.stats[f"{what}.turn"] += 1
        form_at = self.chat.form.offered_at if self.chat.form is not None else None
        labels = Labels.of(self.catalogs, response.locale, form_at)
        for reply in response.replies:
            for message in reply_messages(reply, labels):
                posts.append(self.outbox.post(where.channel, message, thread_ts=where.thread_ts))

    async def _send_files(self, user: str, response: RouterResponse, posts: Posts) -> None:
        """Upload files a staff member asked for (``!export``) to their direct message only."""
        if response.duplicate or not response.files:
            return
        dm = await self._dm(user)
        for file in response.files:

            async def upload(file: Attachment = file) -> Any:
                return await self.outbox.client.files_upload_v2(
                    channel=dm,
                    file=file.data,
                    filename=file.name,
                    title=file.description or file.name,
                )

            posts.append(self.outbox.sender.submit(dm, upload, label=f"files_upload_v2 {dm}"))

    async def _where_interaction(self, user: str, channel: str, thread_ts: str | None) -> Where:
        bound = None
        if not channel.startswith("D"):
            bound = await self.chat.places.binding(PLATFORM, channel)
        if bound is not None and bound.purpose == "workshop":
            return Where(channel, thread_ts, bound.workshop_slug, await self._address(user))
        return Where(channel, thread_ts, await self._dm_workshop(user), channel)

    async def _workshop_of(self, user: str, channel: str) -> str:
        """The channel's workshop (as a workshop or moderators channel), else the user's own."""
        return await self.chat.places.workshop_of(PLATFORM, channel, self._pseudonym(user))

    async def _dm_workshop(self, user: str) -> str:
        """The workshop a direct message belongs to (the app layer's rule)."""
        return (await self.chat.places.dm_workshop(PLATFORM, self._pseudonym(user))).workshop

    def _pseudonym(self, user: str) -> str:
        return self.chat.pseudonym(PLATFORM, user)

    async def _dm(self, user: str) -> str:
        return await self.people.dm(user)

    async def _address(self, user: str) -> str | None:
        return await self.people.address(user)

    async def _user(self, user: str) -> UserInfo:
        return await self.people.info(user)

    async def _remember_staff(self, user: str, workshop: str) -> None:
        try:
            dm = await self._dm(user)
            await self.chat.remember_staff_address(PLATFORM, workshop, self._pseudonym(user), dm)
        except Exception:
            log.exception("could not keep a staff member's DM channel")

    def _locale(self, info: UserInfo) -> str:
        hint = (info.locale or self.chat.default_locale).replace("_", "-").split("-")[0]
        return hint.lower() if hint.lower() in self.catalogs.locales else "en"

    def _t(self, key: str, locale: str, **params: Param) -> str:
        return self.catalogs.render(Msg(key, dict(params)), locale)


async def _ack(ack: AsyncAck) -> None:
    await ack()
