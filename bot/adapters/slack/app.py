"""The Slack adapter: the listeners between Slack's requests and the router.

Surfaces (see ``README.md`` next to this file):

* direct messages with the bot (``message.im``) and threads under the bot's
  messages in a bound workshop channel (``message.channels``/``message.groups``
  with ``thread_ts``; the answer goes to the same thread);
* ``/cityneeds join|help|status|setup|moderators|staff`` and every staff-desk
  command (``/cityneeds open meso`` runs ``!open meso``); command replies are
  ephemeral (the command's ``response_url``);
* buttons and menus for choices, a modal for the micro requirement.

Requests reach the listeners through :class:`~bot.adapters.slack.intake.SlackIntake`:
stored in the inbox and acknowledged first, handled after. A turn stores its
replies in the outbox in its own transaction (see :mod:`bot.adapters.slack.replies`),
so an answer is never stored without its reply, nor a reply sent twice. A
retried event carries the same ``event_id``: it finds its inbox row and is not
handled again; the router also records it as the turn's delivery id.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from bot.adapters.slack.auth import AUTH_CACHE_SECONDS, TeamAuth
from bot.adapters.slack.blocks import (
    FORM,
    FORM_CALLBACK,
    MULTI_SEND,
    PICK,
    SELECT,
    answered_blocks,
    decode_choice,
    form_answers,
    requirement_modal,
)
from bot.adapters.slack.intake import SlackIntake
from bot.adapters.slack.outbox import Outbox, settle
from bot.adapters.slack.payloads import (
    Where,
    message_place,
    multi_selection,
    slack_unescape,
)
from bot.adapters.slack.people import USER_CACHE_SECONDS, SlackPeople, UserInfo
from bot.adapters.slack.replies import Place, ReplySender, composer
from bot.adapters.slack.requests import Delivery
from bot.app.binding import BindRequest, BindStatus
from bot.app.events import Attachment, InboundEvent, RouterResponse, TurnOutbox
from bot.app.inbox import EventInbox
from bot.app.opening import initial_locale
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

Listener = Callable[[dict[str, Any], Delivery], Awaitable[None]]


class SlackBot:
    """The listeners over one runtime, and the inbox they are fed from.

    Args:
        runtime: Store, router, staff desk and scheduler.
        outbox: Where every Web API call goes (through the rate-limited sender).
        signing_secret: Verifies HTTP requests (required unless ``socket_mode``).
        socket_mode: Requests arrive over Socket Mode (no signatures to check).
        user_cache_seconds: How long a ``users.info`` answer is reused.
        auth_cache_seconds: How long an ``auth.test`` answer is reused.
    """

    def __init__(
        self,
        runtime: Runtime,
        outbox: Outbox,
        *,
        signing_secret: str | None = None,
        socket_mode: bool = False,
        user_cache_seconds: float = USER_CACHE_SECONDS,
        auth_cache_seconds: float = AUTH_CACHE_SECONDS,
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
        #: One user's requests one at a time, in arrival order.
        self.order = KeyedOrder()
        #: Requests kept from before their ack; replies until Slack accepted them.
        self.inbox = EventInbox(runtime.store, PLATFORM)
        #: ``auth.test`` per workspace, cached and refreshed with backoff.
        self.auth = TeamAuth(outbox.client, outbox.sender, cache_seconds=auth_cache_seconds)
        #: Posts the outbox's rows and marks them sent.
        self.replies = ReplySender(outbox, self.inbox)
        #: What the HTTP server and the Socket Mode handler hand requests to.
        self.app = SlackIntake(self)

    # --------------------------------------------------------------- wiring
    def _listener(self, body: dict[str, Any]) -> tuple[str, Listener | None]:
        kind = body.get("type")
        if kind == "event_callback":
            event = body.get("event") or {}
            return "message", self.on_message if event.get("type") == "message" else None
        if body.get("command"):
            return "command", self.on_command if body.get("command") == COMMAND else None
        if kind == "block_actions":
            action_id = str(((body.get("actions") or [{}])[0] or {}).get("action_id") or "")
            if _ACTIONS.match(action_id):
                return "action", self.on_action
            # views.open must run within 3 s of the click: it waits for no one's turn.
            if action_id == FORM:
                return "form_open", self.on_open_form
            # Every item picked in a multi-select sends an action; "Send" reads the selection.
            return "action", None
        if kind == "view_submission":
            callback = str((body.get("view") or {}).get("callback_id") or "")
            return "form", self.on_form if callback == FORM_CALLBACK else None
        return "request", None

    def wants(self, body: dict[str, Any]) -> bool:
        """Whether a listener takes this request (others are acknowledged and dropped)."""
        return self._listener(body)[1] is not None

    def listener_name(self, body: dict[str, Any]) -> str:
        """The listener's name, for stats and logs (``message``, ``command``, …)."""
        return self._listener(body)[0]

    def serial(self, body: dict[str, Any]) -> bool:
        """Whether the request waits for the person's earlier requests (all but opening a form)."""
        return self._listener(body)[0] != "form_open"

    async def dispatch(self, body: dict[str, Any], delivery: Delivery) -> None:
        """Run the request's listener (the intake holds the person's turn around it)."""
        listener = self._listener(body)[1]
        if listener is not None:
            await listener(body, delivery)

    async def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait for stored requests being handled and queued Web API calls (shutdown, tests).

        Raises:
            TimeoutError: Still busy after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while True:
            await self.app.wait_idle(max(0.0, deadline - time.monotonic()))
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the Slack adapter is still busy")
            await self.outbox.sender.drain(remaining)
            if self.app.idle:
                return

    # ------------------------------------------------------------- messages
    async def on_message(self, body: dict[str, Any], delivery: Delivery) -> None:
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
            where = await self._thread(event, delivery.bot_user_id)
        if where is None:
            self.stats["message.ignored"] += 1
            return
        text = slack_unescape(str(event.get("text") or ""))
        inbound = await self._inbound(
            user, text, where, delivery_id=body.get("event_id"), outbox=delivery
        )
        response = await self.router.handle(replace(inbound, direct=kind == "im"))
        if response.private and kind != "im":  # a resident's questions: the DM only
            where = await self._dm_where(user, where.workshop)
        self._deliver(response, where, "message", delivery)
        await self._send_files(user, response, delivery.posts)
        if is_staff_text(text) and not response.duplicate:
            await self._remember_staff(user, where.workshop)

    async def _thread(self, event: dict[str, Any], bot_user_id: str) -> Where | None:
        thread_ts = event.get("thread_ts")
        if not thread_ts or thread_ts == event.get("ts"):
            return None  # top-level channel chatter is not for us
        if event.get("parent_user_id") != bot_user_id:
            return None  # only threads under the bot's own messages
        bound = await self.chat.places.binding(PLATFORM, str(event["channel"]))
        if bound is None or bound.purpose != "workshop":
            return None
        user = str(event["user"])
        return Where(
            str(event["channel"]), thread_ts, bound.workshop_slug, await self._address(user)
        )

    # ------------------------------------------------------------- commands
    async def on_command(self, body: dict[str, Any], delivery: Delivery) -> None:
        """``/cityneeds SUBCOMMAND …``; replies are ephemeral."""
        user = str(body["user_id"])
        channel = str(body["channel_id"])
        url = str(body.get("response_url") or "")
        text = " ".join(slack_unescape(str(body.get("text") or "")).split())
        sub, _, rest = text.partition(" ")
        sub = sub.lower()
        info = await self._user(user)
        locale = self._locale(info)
        delivery_id = f"cmd:{body.get('trigger_id') or body.get('command_ts') or time.time_ns()}"
        known = sub in ("", "help", "join", "status", "setup", "moderators", "staff", *PERMISSIONS)
        self.stats[f"command.{(sub or 'help') if known else 'other'}"] += 1
        if sub in ("", "help"):
            help_text = self._t("slack.help", locale) + "\n\n" + self._t("help.commands", locale)
            await self.outbox.respond(url, help_text)
        elif sub == "join":
            await self._join(user, channel, body, info, delivery_id, url, locale, delivery)
        elif sub == "status":
            await self._status(user, info, delivery_id, url, locale)
        elif sub in ("setup", "moderators"):
            purpose = "workshop" if sub == "setup" else "moderators"
            await self._bind(user, channel, rest, purpose, info, delivery_id, url, locale)
        elif sub == "staff" or sub in PERMISSIONS:
            command = "!help" if sub == "staff" else f"!{text}"
            where = Where(channel, None, await self._workshop_of(user, channel), None)
            inbound = await self._inbound(user, command, where, delivery_id=delivery_id, info=info)
            response = await self.router.handle(inbound)
            if response.private and not response.duplicate:  # a resident's questions: the DM
                self._deliver(
                    response, await self._dm_where(user, where.workshop), "command", delivery
                )
                await self.outbox.respond(url, self._t("slack.join_dm", locale))
            elif not response.duplicate:
                answer = "\n".join(r.text for r in response.replies)
                if answer.strip():  # "!digest draft" answers in the moderators' channel
                    await self.outbox.respond(url, answer)
                await self._send_files(user, response, delivery.posts)
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
        delivery_id: str,
        url: str,
        locale: str,
        delivery: Delivery,
    ) -> None:
        in_dm = body.get("channel_name") == "directmessage" or channel.startswith("D")
        dm = channel if in_dm else await self._dm(user)
        where = Where(dm, None, await self._workshop_of(user, channel), dm)
        inbound = await self._inbound(
            user, "", where, delivery_id=delivery_id, info=info, outbox=delivery
        )
        response = await self.router.start(inbound)
        self._deliver(response, where, "join", delivery)
        if not in_dm and not response.duplicate:
            await self.outbox.respond(url, self._t("slack.join_dm", locale))

    async def _status(
        self, user: str, info: UserInfo, delivery_id: str, url: str, locale: str
    ) -> None:
        latest = await self.chat.places.latest_workshop(self._pseudonym(user))
        if latest is None:
            await self.outbox.respond(url, self._t("slack.not_joined", locale))
            return
        where = Where("", None, latest, None)
        inbound = await self._inbound(user, "status", where, delivery_id=delivery_id, info=info)
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
        delivery_id: str,
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
        if not await self.chat.claim_delivery(PLATFORM, delivery_id):
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
    async def on_action(self, body: dict[str, Any], delivery: Delivery) -> None:
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
        delivery_id = f"act:{body.get('trigger_id') or action.get('action_ts')}"
        inbound = await self._inbound(user, text, where, delivery_id=delivery_id, outbox=delivery)
        inbound = replace(inbound, button_step=step or "", direct=where.channel.startswith("D"))
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
            delivery.posts.append(self.outbox.update(channel, str(message["ts"]), text, blocks))
        self._deliver(response, where, "action", delivery)

    async def on_open_form(self, body: dict[str, Any], delivery: Delivery) -> None:
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

    async def on_form(self, body: dict[str, Any], delivery: Delivery) -> None:
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
        inbound = replace(inbound, direct=where.channel.startswith("D"))
        response = await self.router.submit_form(inbound, answers)
        self._deliver(response, where, "form", delivery)

    # -------------------------------------------------------------- helpers
    async def _inbound(
        self,
        user: str,
        text: str,
        where: Where,
        *,
        delivery_id: str | None,
        info: UserInfo | None = None,
        outbox: Delivery | None = None,
    ) -> InboundEvent:
        """The router's event; with ``outbox`` the turn stores its replies for ``where``."""
        info = info or await self._user(user)
        sink = None
        if outbox is not None:
            place = Place(where.channel, where.thread_ts)
            sink = TurnOutbox(outbox.inbox_id, composer(self.catalogs, place, self._form_at()))
        return InboundEvent(
            platform=PLATFORM,
            user_id=user,
            text=text,
            workshop=where.workshop,
            delivery_id=delivery_id,
            locale=info.locale,
            address=where.address,
            is_platform_admin=info.is_admin,
            outbox=sink,
        )

    def _form_at(self) -> str | None:
        return self.chat.form.offered_at if self.chat.form is not None else None

    def _deliver(
        self, response: RouterResponse, where: Where, what: str, delivery: Delivery
    ) -> None:
        """Leave the replies to the outbox (in order, in the input's channel or thread).

        A turn stored them with itself and closed the inbox row; any other
        replies (staff answers, errors, a form's last turn) are stored when the
        intake closes the row.
        """
        if response.duplicate:
            self.stats[f"{what}.duplicate"] += 1
            return
        self.stats[f"{what}.turn"] += 1
        if response.stored:
            delivery.closed = True
            return
        compose = composer(self.catalogs, Place(where.channel, where.thread_ts), self._form_at())
        delivery.replies.extend(compose(response))

    async def _send_files(self, user: str, response: RouterResponse, posts: list[Any]) -> None:
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

    async def _dm_where(self, user: str, workshop: str) -> Where:
        """The user's direct message with the bot, for ``workshop``."""
        dm = await self._dm(user)
        return Where(dm, None, workshop, dm)

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
        return initial_locale(info.locale or self.chat.default_locale, self.catalogs.locales, "en")

    def _t(self, key: str, locale: str, **params: Param) -> str:
        return self.catalogs.render(Msg(key, dict(params)), locale)
