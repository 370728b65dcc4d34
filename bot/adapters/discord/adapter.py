"""Discord events → ``InboundEvent`` → router → Discord messages; the logic behind the Cogs.

Where people answer:

* **their own private thread** under the workshop channel (``/cityneeds join``, or
  typing ``join``/mentioning the bot in the channel). Private threads keep
  answers out of the public channel: only the participant, the bot and members
  who may manage threads (the moderators) see them. Several people never share
  one. The thread name carries a short tag of the participant's pseudonym (not
  their name), which is how the bot recognises the owner after a restart;
* **direct messages**, only for people who opted in with ``/cityneeds dm on``.
  Nobody else is ever messaged privately: reminders go only to opted-in DM
  channels, and a DM from someone who has not opted in gets one short hint.

In the workshop channel itself only staff commands (``!open meso``) and the
join request are read; everything else there is chat between people.

Every message the bot sends is escaped (:func:`bot.escape.discord_text`), split
at 2,000 characters and sent with ``AllowedMentions.none()``; interactions are
deferred before any database work, so they are answered well within 3 seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import re
import time
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import discord
from discord.utils import MISSING

from bot.adapters.discord.pacer import pacer_for
from bot.adapters.discord.render import (
    NO_MENTIONS,
    Outgoing,
    ReplyRenderer,
    decode_choice,
    split_message,
    step_bounds,
    text,
)
from bot.adapters.discord.views import RequirementForm
from bot.app.events import InboundEvent, RouterResponse
from bot.config import Settings
from bot.runtime import Runtime, ensure_workshop
from bot.staff.parse import is_staff_text
from bot.staff.registry import StaffCall
from flows.normalize import fold
from storage import channels, discord_dm, roles
from storage.audit import audit
from storage.clock import utcnow

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)

PLATFORM = "discord"
#: Workshop slugs a facilitator may create from Discord.
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
#: How many handled deliveries are remembered (for :meth:`DiscordAdapter.wait_handled`).
HANDLED_KEPT = 4096


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


@dataclass
class Handled:
    """What the adapter did with one delivery (a message id or an interaction id)."""

    delivery: str
    kind: str
    started: float
    finished: float = 0.0
    duplicate: bool = False
    step: str | None = None
    sent: list[int] = field(default_factory=list)
    error: str | None = None


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


class DiscordAdapter:
    """Translates between discord.py objects and the router.

    Args:
        client: The bot (used to send and to look channels up).
        runtime: Store, router and staff desk.
        settings: For the default workshop and locale.
    """

    def __init__(
        self, client: commands.Bot, runtime: Runtime, settings: Settings | None = None
    ) -> None:
        self.client = client
        self.runtime = runtime
        self.router = runtime.router
        self.store = runtime.store
        self.settings = settings or runtime.settings
        self.catalogs = runtime.router.core.catalogs
        self.renderer = ReplyRenderer(self.catalogs, step_bounds(self.router.core.engine.scripts))
        self.handled: OrderedDict[str, Handled] = OrderedDict()
        #: How often each delivery arrived (Discord may redeliver after a RESUME).
        self.arrivals: Counter[str] = Counter()
        self._changed = asyncio.Condition()
        self._threads: dict[tuple[int, int], int] = {}
        self._user_locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._channel_facts: dict[int, tuple[str, int | None, str]] = {}

    # ---------------------------------------------------------------- helpers
    def locale_of(self, interaction: discord.Interaction[Any] | None) -> str:
        """The catalog locale for a Discord client locale (``zh-CN`` → ``zh``)."""
        if interaction is not None:
            base = interaction.locale.value.split("-")[0].lower()
            if base in self.catalogs.locales:
                return base
        return self.settings.locale

    def pseudonym(self, user_id: int) -> str:
        """The stored pseudonym of a Discord user."""
        return self.router.pseudonym_for(PLATFORM, str(user_id))

    def tag(self, user_id: int) -> str:
        """The short pseudonym tag in a participant's thread name."""
        return self.pseudonym(user_id)[:8]

    def text(self, key: str, locale: str, **params: str) -> str:
        """A ``discord.*`` catalog message."""
        return text(self.catalogs, key, locale, **params)

    def _event(
        self,
        user_id: int,
        workshop: str,
        *,
        text: str = "",
        delivery: str | None = None,
        locale: str | None = None,
        button_step: str | None = None,
        address: str | None = None,
        admin: bool = False,
    ) -> InboundEvent:
        return InboundEvent(
            platform=PLATFORM,
            user_id=str(user_id),
            text=text,
            workshop=workshop,
            delivery_id=delivery,
            button_step=button_step,
            locale=locale,
            address=address,
            is_platform_admin=admin,
        )

    @staticmethod
    def _admin(interaction: discord.Interaction[Any]) -> bool:
        if interaction.guild_id is None:
            return False
        perms = interaction.permissions
        return bool(perms.administrator or perms.manage_guild)

    @asynccontextmanager
    async def _serial(self, user_id: int) -> AsyncIterator[None]:
        """One user's events one at a time, in the order Discord dispatched them.

        Taken before the first ``await`` of a message handler, so replayed or
        quickly typed messages reach the router, and their replies the channel,
        in order.
        """
        lock, users = self._user_locks.get(user_id, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._user_locks[user_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock_now, users_now = self._user_locks[user_id]
            if users_now <= 1:
                del self._user_locks[user_id]
            else:
                self._user_locks[user_id] = (lock_now, users_now - 1)

    @asynccontextmanager
    async def _tracking(
        self,
        delivery: str,
        kind: str,
        interaction: discord.Interaction[Any] | None = None,
    ) -> AsyncIterator[Handled]:
        """Record what handling one delivery did; log failures instead of raising.

        If handling an interaction fails, the user gets the generic error
        ephemerally, so a deferred "thinking…" never hangs.
        """
        handled = Handled(delivery, kind, time.monotonic())
        try:
            yield handled
        except Exception as exc:
            handled.error = repr(exc)
            log.exception("discord %s %s failed", kind, delivery)
            if interaction is not None and interaction.response.is_done():
                with contextlib.suppress(discord.HTTPException):
                    await self.notice(interaction, "error.internal", self.locale_of(interaction))
        finally:
            handled.finished = time.monotonic()
            self.handled[delivery] = handled
            self.handled.move_to_end(delivery)
            self.arrivals[delivery] += 1
            while len(self.handled) > HANDLED_KEPT:
                gone, _ = self.handled.popitem(last=False)
                self.arrivals.pop(gone, None)
            async with self._changed:
                self._changed.notify_all()

    async def wait_handled(
        self, delivery: str, timeout: float = 10.0, *, times: int = 1
    ) -> Handled:
        """Wait until a delivery (message id or interaction id) has been fully handled.

        Args:
            delivery: The message or interaction id.
            timeout: Seconds to wait.
            times: Wait for the ``times``-th arrival (redeliveries count).

        Raises:
            TimeoutError: Not handled within ``timeout`` seconds.
        """
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: self.arrivals[delivery] >= times)
        except TimeoutError:
            raise TimeoutError(f"delivery {delivery} not handled within {timeout}s") from None
        return self.handled[delivery]

    async def deliver(self, target: Target, response: RouterResponse, handled: Handled) -> None:
        """Send the router's replies in order; each reply may become several messages."""
        handled.duplicate = handled.duplicate or response.duplicate
        step = next((r.step for r in reversed(response.replies) if r.step), None)
        handled.step = step or handled.step
        for out in self.renderer.messages(response.replies, response.locale):
            handled.sent.append(await target.send(out))
        if response.files and not response.duplicate:
            # A staff member's export: to where they asked (an ephemeral follow-up for
            # slash commands, their thread or the staff channel for typed commands).
            files = [
                discord.File(io.BytesIO(f.data), filename=f.name, description=f.description)
                for f in response.files
            ]
            handled.sent.append(await target.send(Outgoing("", files=files)))

    async def notice(
        self, interaction: discord.Interaction[Any], key: str, locale: str, **params: str
    ) -> None:
        """An ephemeral note to the user who ran a command."""
        target = FollowupTarget(interaction)
        for chunk in split_message(self.text(key, locale, **params)):
            await target.send(Outgoing(chunk))

    # ----------------------------------------------------------------- places
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

    def _dm_state(self, pseudonym: str) -> tuple[str, bool]:
        with self.store.session() as session:
            opted = discord_dm.opted_in_workshops(session, pseudonym)
            latest = channels.latest_workshop_of(session, pseudonym)
        if latest is not None and latest in opted:
            return latest, True
        if opted:
            return opted[0], True
        return latest or self.settings.workshop, False

    def _binding(self, channel_id: int) -> channels.Binding | None:
        with self.store.session() as session:
            for purpose in channels.PURPOSES:
                found = channels.workshop_of_channel(session, PLATFORM, str(channel_id), purpose)
                if found is not None:
                    return found
        return None

    async def place_of(
        self, channel: object, channel_id: int, guild_id: int | None, user_id: int
    ) -> Place:
        """Resolve the workshop an event belongs to.

        A channel's binding (a thread: its parent's); for DMs the participant's
        latest workshop, falling back to the default one.
        """
        if guild_id is None:
            slug, opted = await asyncio.to_thread(self._dm_state, self.pseudonym(user_id))
            address = str(channel_id) if opted else None
            return Place("dm", channel_id, slug, own=opted, address=address)
        kind, parent_id, name = await self._facts(channel, channel_id)
        if kind == "thread" and parent_id is not None:
            binding = await asyncio.to_thread(self._binding, parent_id)
            bound = binding.workshop_slug if binding and binding.purpose == "workshop" else None
            own = self.tag(user_id) in name
            return Place("thread", channel_id, bound, parent_id=parent_id, own=own)
        binding = await asyncio.to_thread(self._binding, channel_id)
        if binding is None:
            return Place("channel", channel_id, None)
        return Place("channel", channel_id, binding.workshop_slug, purpose=binding.purpose)

    async def _answering_place(
        self, interaction: discord.Interaction[Any], locale: str, *, moderators: bool = True
    ) -> Place | None:
        """Where the interaction is, if a participant may answer there; else tell them why.

        A DM of someone who did not opt in, or a channel that runs no workshop (or,
        with ``moderators`` false, only its moderators' channel), gets a private notice.
        """
        place = await self.place_of_interaction(interaction)
        if place.kind == "dm" and not place.own:
            await self.notice(interaction, "discord.dm_not_opted_in", locale)
            return None
        if place.workshop is None or (not moderators and place.purpose == "moderators"):
            await self.notice(interaction, "discord.not_bound", locale)
            return None
        return place

    async def place_of_interaction(self, interaction: discord.Interaction[Any]) -> Place:
        """:meth:`place_of` for an interaction (its channel comes with the payload)."""
        channel_id = interaction.channel_id or 0
        return await self.place_of(
            interaction.channel, channel_id, interaction.guild_id, interaction.user.id
        )

    # ---------------------------------------------------------------- threads
    async def thread_for(self, parent_id: int, user_id: int, locale: str) -> int | None:
        """The participant's private thread under ``parent_id``, created on first use.

        Callers hold the user's :meth:`_serial` lock, so one user never gets two.
        """
        key = (parent_id, user_id)
        if key in self._threads:
            return self._threads[key]
        tag = self.tag(user_id)
        parent = self.client.get_channel(parent_id)
        if parent is None:
            try:
                parent = await self.client.fetch_channel(parent_id)
            except discord.HTTPException:
                log.exception("cannot fetch channel %s", parent_id)
                return None
        if not isinstance(parent, discord.TextChannel):
            return None
        for thread in parent.threads:
            if tag in thread.name and not thread.locked:
                self._threads[key] = thread.id
                return thread.id
        name = self.text("discord.thread_name", locale, tag=tag)[:100]
        try:
            created = await parent.create_thread(
                name=name,
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

    # --------------------------------------------------------------- messages
    def _strip_mention(self, content: str) -> str:
        me = self.client.user
        if me is None:
            return content.strip()
        return re.sub(rf"<@!?{me.id}>", " ", content).strip()

    async def on_message(self, message: discord.Message) -> None:
        """A typed message: an answer in a thread or DM, a staff command, or a join request.

        Without the message content intent Discord delivers guild messages with
        empty content unless they mention the bot; those are ignored (DMs and
        mentions always carry content).
        """
        if message.author.bot:
            return
        delivery = str(message.id)
        async with self._serial(message.author.id), self._tracking(delivery, "message") as handled:
            typed = self._strip_mention(message.content)
            if not typed or message.type not in (
                discord.MessageType.default,
                discord.MessageType.reply,
            ):
                handled.kind = "ignored"
                return
            guild_id = message.guild.id if message.guild is not None else None
            place = await self.place_of(
                message.channel, message.channel.id, guild_id, message.author.id
            )
            admin = False
            if isinstance(message.author, discord.Member):
                perms = message.author.guild_permissions
                admin = bool(perms.administrator or perms.manage_guild)
            target = ChannelTarget(self.client, place.channel_id)
            if place.kind == "dm" and not place.own:
                for chunk in split_message(
                    self.text("discord.dm_not_opted_in", self.settings.locale)
                ):
                    handled.sent.append(await target.send(Outgoing(chunk)))
                return
            if place.workshop is None:
                handled.kind = "ignored"
                return
            staff = is_staff_text(typed)
            if place.kind == "channel" and not staff:
                mentioned = self.client.user is not None and self.client.user in message.mentions
                if place.purpose == "workshop" and (mentioned or self._is_join(typed)):
                    await self._join_from_channel(message, place, handled, admin)
                else:
                    handled.kind = "ignored"
                return
            if place.kind == "thread" and not place.own and not staff:
                handled.kind = "ignored"
                return
            event = self._event(
                message.author.id,
                place.workshop,
                text=typed,
                delivery=delivery,
                address=place.address,
                admin=admin,
            )
            await self.deliver(target, await self.router.handle(event), handled)

    def _is_join(self, typed: str) -> bool:
        """Whether a message in the workshop channel asks to join: ``join`` or ``加入``.

        Only each language's first word for the command counts, not greetings
        such as "hi" that also start a conversation in a thread or DM.
        """
        canonical = {
            words["command.join"][0]
            for words in self.catalogs.words.values()
            if words.get("command.join")
        }
        return fold(typed) in canonical

    async def _join_from_channel(
        self, message: discord.Message, place: Place, handled: Handled, admin: bool
    ) -> None:
        assert place.workshop is not None
        locale = self.settings.locale
        thread_id = await self.thread_for(place.channel_id, message.author.id, locale)
        target = ChannelTarget(self.client, place.channel_id)
        if thread_id is None:
            note = self.text("discord.thread_failed", locale)
        else:
            event = self._event(
                message.author.id, place.workshop, delivery=str(message.id), admin=admin
            )
            response = await self.router.start(event)
            await self.deliver(ChannelTarget(self.client, thread_id), response, handled)
            note = self.text("discord.joined", locale, thread=f"<#{thread_id}>")
        for chunk in split_message(note):
            handled.sent.append(await target.send(Outgoing(chunk)))

    # ------------------------------------------------------ slash: citizens
    async def cmd_join(self, interaction: discord.Interaction[Any]) -> None:
        """``/cityneeds join``: open (or reopen) the participant's thread and greet them there."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "command", interaction) as handled,
        ):
            place = await self._answering_place(interaction, locale, moderators=False)
            if place is None:
                return
            event = self._event(
                interaction.user.id,
                place.workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self._admin(interaction),
            )
            if place.private:
                response = await self.router.start(event)
                await self.deliver(ChannelTarget(self.client, place.channel_id), response, handled)
                await self.notice(interaction, "discord.continue_here", locale)
                return
            parent_id = place.parent_id if place.kind == "thread" else place.channel_id
            assert parent_id is not None
            thread_id = await self.thread_for(parent_id, interaction.user.id, locale)
            if thread_id is None:
                await self.notice(interaction, "discord.thread_failed", locale)
                return
            response = await self.router.start(event)
            await self.deliver(ChannelTarget(self.client, thread_id), response, handled)
            await self.notice(interaction, "discord.joined", locale, thread=f"<#{thread_id}>")

    async def cmd_say(self, interaction: discord.Interaction[Any], said: str) -> None:
        """``/cityneeds help`` and ``/cityneeds status``: the typed command, through the router.

        In the participant's thread or DM the replies are posted there; anywhere
        else they are ephemeral follow-ups.
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "command", interaction) as handled,
        ):
            place = await self._answering_place(interaction, locale)
            if place is None:
                return
            event = self._event(
                interaction.user.id,
                place.workshop,
                text=said,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self._admin(interaction),
            )
            response = await self.router.handle(event)
            if place.private:
                await self.deliver(ChannelTarget(self.client, place.channel_id), response, handled)
                await interaction.delete_original_response()
            else:
                await self.deliver(FollowupTarget(interaction), response, handled)
                if not handled.sent:
                    await interaction.delete_original_response()

    async def cmd_dm(self, interaction: discord.Interaction[Any], on: bool) -> None:
        """``/cityneeds dm on|off``: opt in to direct messages (and continue there), or out."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "command", interaction) as handled,
        ):
            pseudonym = self.pseudonym(interaction.user.id)
            if not on:
                await asyncio.to_thread(self._clear_dm, pseudonym)
                await self.notice(interaction, "discord.dm_off", locale)
                return
            place = await self.place_of_interaction(interaction)
            workshop = place.workshop
            if place.kind == "channel" and place.purpose == "moderators":
                workshop = None
            if workshop is None:
                await self.notice(interaction, "discord.not_bound", locale)
                return
            try:
                channel = await interaction.user.create_dm()
            except discord.HTTPException:
                await self.notice(interaction, "discord.dm_failed", locale)
                return
            event = self._event(
                interaction.user.id,
                workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=str(channel.id),
                admin=self._admin(interaction),
            )
            response = await self.router.start(event)
            try:
                await self.deliver(ChannelTarget(self.client, channel.id), response, handled)
            except discord.Forbidden:
                await asyncio.to_thread(self._clear_dm, pseudonym)
                await self.notice(interaction, "discord.dm_failed", locale)
                return
            await self.notice(interaction, "discord.dm_on", locale)

    def _clear_dm(self, pseudonym: str) -> None:
        with self.store.session() as session:
            discord_dm.clear_dm_addresses(session, pseudonym, PLATFORM)

    # ------------------------------------------------------------- components
    async def on_choice(
        self, interaction: discord.Interaction[Any], step: str, choices: list[str]
    ) -> None:
        """A button press or select choice: the answer to ``step`` (stale ones are caught)."""
        await interaction.response.defer()
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "component", interaction) as handled,
        ):
            place = await self._answering_place(interaction, locale)
            if place is None:
                return
            answer = ", ".join(decode_choice(c) for c in choices) if choices else "none"
            event = self._event(
                interaction.user.id,
                place.workshop,
                text=answer,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                button_step=step,
                address=place.address,
                admin=self._admin(interaction),
            )
            response = await self.router.handle(event)
            target: Target = (
                ChannelTarget(self.client, place.channel_id)
                if place.private
                else FollowupTarget(interaction)
            )
            await self.deliver(target, response, handled)

    async def open_form(self, interaction: discord.Interaction[Any]) -> None:
        """Answer a "Fill in as a form" click with the requirement modal (no deferral first)."""
        # No per-user lock here: the modal must be the answer, within 3 seconds.
        async with self._tracking(str(interaction.id), "form") as handled:
            form = RequirementForm(
                self.catalogs, self.locale_of(interaction), custom_id=f"cn:m:{interaction.id}"
            )
            await interaction.response.send_modal(form)
            handled.step = "as_a"

    async def on_form(
        self, interaction: discord.Interaction[Any], answers: list[tuple[str, str]]
    ) -> None:
        """A submitted requirement form: the five answers as turns, through ``submit_form``."""
        await interaction.response.defer()
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "modal", interaction) as handled,
        ):
            place = await self.place_of_interaction(interaction)
            if place.workshop is None or (place.kind == "dm" and not place.own):
                await self.notice(interaction, "discord.not_bound", locale)
                return
            event = self._event(
                interaction.user.id,
                place.workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self._admin(interaction),
            )
            response = await self.router.submit_form(event, answers)
            target: Target = (
                ChannelTarget(self.client, place.channel_id)
                if place.private
                else FollowupTarget(interaction)
            )
            await self.deliver(target, response, handled)

    # ------------------------------------------------------------ slash: staff
    async def cmd_staff(self, interaction: discord.Interaction[Any], call: StaffCall[Any]) -> None:
        """A facilitator or moderator command: the typed call the slash options built.

        The staff desk checks roles from our database (server admins bootstrap as
        facilitators); every answer, a refusal included, is ephemeral.
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "staff", interaction) as handled,
        ):
            place = await self.place_of_interaction(interaction)
            if place.workshop is None:
                await self.notice(interaction, "discord.not_bound", locale)
                return
            event = self._event(
                interaction.user.id,
                place.workshop,
                text=f"!{call.command.name}",
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                admin=self._admin(interaction),
            )
            response = await self.runtime.staff.respond(event, call)
            await self.deliver(FollowupTarget(interaction), response, handled)
            if not handled.sent:
                await interaction.delete_original_response()

    async def cmd_setup(
        self, interaction: discord.Interaction[Any], workshop: str, purpose: str
    ) -> None:
        """``/cityneeds-admin setup WORKSHOP``: bind this channel to a workshop.

        Server admins may do it (creating the workshop with the scenario library
        if it does not exist); facilitators of an existing workshop may too.
        """
        await interaction.response.defer(ephemeral=True, thinking=True)
        locale = self.locale_of(interaction)
        async with (
            self._serial(interaction.user.id),
            self._tracking(str(interaction.id), "staff", interaction) as handled,
        ):
            slug = workshop.strip().lower()
            if not SLUG.match(slug):
                await self.notice(interaction, "discord.setup_bad_slug", locale)
                return
            if interaction.guild_id is None or isinstance(
                interaction.channel, discord.Thread | discord.DMChannel
            ):
                await self.notice(interaction, "discord.setup_needs_channel", locale)
                return
            allowed = await asyncio.to_thread(
                self._bind,
                slug,
                str(interaction.channel_id),
                purpose,
                self.pseudonym(interaction.user.id),
                self._admin(interaction),
            )
            key = "discord.setup_done" if allowed else "discord.setup_refused"
            await self.notice(interaction, key, locale, workshop=slug, purpose=purpose)
            handled.step = key

    def _bind(self, slug: str, channel_id: str, purpose: str, actor: str, admin: bool) -> bool:
        found = self.store.find_workshop(slug)
        now = utcnow()
        if found is None:
            if not admin:
                return False
            found = ensure_workshop(self.store, slug)
        with self.store.session() as session:
            role, _ = roles.role_of(session, found.id, actor)
            if not admin and role != "facilitator":
                audit(
                    session,
                    found.id,
                    actor,
                    "refused",
                    {"command": "discord.setup", "role": role},
                    now,
                )
                return False
            if admin and role != "facilitator":
                roles.set_role(session, found.id, actor, PLATFORM, "facilitator", now)
                audit(session, found.id, actor, "role.bootstrap", {"role": "facilitator"}, now)
            channels.bind(session, found.id, PLATFORM, channel_id, purpose, now)
            audit(
                session,
                found.id,
                actor,
                "channel.bind",
                {"platform": PLATFORM, "channel": channel_id, "purpose": purpose},
                now,
            )
        return True
