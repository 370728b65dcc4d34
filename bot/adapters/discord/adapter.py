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
at 2,000 characters and sent with ``AllowedMentions.none()``. An interaction
takes its place in the person's line, is written to the inbox (one
group-committed insert) and is deferred before any other work, so it is
answered well within 3 seconds; a kill after that loses nothing
(:mod:`bot.adapters.discord.kept`).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.deliveries import Deliveries, Handled
from bot.adapters.discord.kept import KeptEvents
from bot.adapters.discord.places import PLATFORM, DiscordPlaces, Place
from bot.adapters.discord.render import (
    Outgoing,
    ReplyRenderer,
    split_message,
    text,
)
from bot.adapters.discord.targets import ChannelTarget, FollowupTarget, Target, dm_target
from bot.app.binding import SLUG, BindRequest, BindStatus
from bot.app.events import InboundEvent, RouterResponse
from bot.app.inbox import EventInbox
from bot.app.opening import initial_locale
from bot.app.ordering import KeyedOrder
from bot.app.staff.parse import is_staff_text
from bot.app.staff.registry import StaffCall
from bot.config import Settings
from bot.runtime import Runtime
from flows.normalize import fold

if TYPE_CHECKING:
    from discord.ext import commands

log = logging.getLogger(__name__)

__all__ = ["PLATFORM", "DiscordAdapter", "Handled", "Place"]


class DiscordAdapter:
    """Translates between discord.py objects and the app layer.

    Args:
        client: The bot (used to send and to look channels up).
        runtime: The app layer (router, places, binding, forms).
        settings: For the default workshop and locale.
    """

    def __init__(
        self, client: commands.Bot, runtime: Runtime, settings: Settings | None = None
    ) -> None:
        self.client = client
        #: The app layer: routing, places, binding and forms.
        self.chat = runtime.app
        self.router = self.chat.router
        #: The staff desk, for the typed calls the slash commands build.
        self.staff = runtime.staff
        self.settings = settings or runtime.settings
        self.catalogs = self.chat.catalogs
        self.renderer = ReplyRenderer(self.catalogs, self.chat.form)
        self.deliveries = Deliveries()
        self.places = DiscordPlaces(client, self.chat.places)
        #: One user's events one at a time, in the order Discord dispatched them.
        self.order = KeyedOrder()
        #: Interactions and typed answers kept in the inbox until they are finished.
        self.kept = KeptEvents(client, self.chat, EventInbox(runtime.store, PLATFORM))

    # ---------------------------------------------------------------- helpers
    def locale_of(self, interaction: discord.Interaction[Any] | None) -> str:
        """The catalog locale for a Discord client locale (``zh-CN`` → ``zh``)."""
        if interaction is None:
            return self.settings.locale
        return initial_locale(interaction.locale.value, self.catalogs.locales, self.settings.locale)

    def pseudonym(self, user_id: int) -> str:
        """The stored pseudonym of a Discord user."""
        return self.chat.pseudonym(PLATFORM, str(user_id))

    def tag(self, user_id: int) -> str:
        """The short pseudonym tag in a participant's thread name."""
        return self.pseudonym(user_id)[:8]

    def text(self, key: str, locale: str, **params: str) -> str:
        """A ``discord.*`` catalog message."""
        return text(self.catalogs, key, locale, **params)

    def event(
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
        direct: bool = False,
    ) -> InboundEvent:
        """An :class:`InboundEvent` from a Discord user in ``workshop`` (``direct``: in a DM)."""
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
            direct=direct,
        )

    @staticmethod
    def is_admin(interaction: discord.Interaction[Any]) -> bool:
        """Whether the user administers (or manages) the server the interaction came from."""
        if interaction.guild_id is None:
            return False
        perms = interaction.permissions
        return bool(perms.administrator or perms.manage_guild)

    def serial(self, user_id: int) -> contextlib.AbstractAsyncContextManager[None]:
        """One user's events one at a time, in the order Discord dispatched them.

        Taken before the first ``await`` of a message handler, so replayed or
        quickly typed messages reach the router, and their replies the channel,
        in order.
        """
        return self.order.hold(user_id)

    @asynccontextmanager
    async def answering(
        self,
        interaction: discord.Interaction[Any],
        kind: str,
        acknowledge: Callable[[], Awaitable[object]],
    ) -> AsyncIterator[Handled]:
        """Keep an interaction, acknowledge it, wait for the person's turn, track, close.

        In this order: the place in line is taken when the ``async with`` is
        entered, before any ``await`` (discord.py starts one task per gateway
        event in the order Discord sent them, so a click and then a typed answer
        reach the router in that order); the raw interaction is written to the
        inbox; it is acknowledged (``acknowledge``, a deferral, which never waits
        for the person's earlier events, so it stays within Discord's 3
        seconds); and only then does it wait for its turn. A kill after the
        acknowledgement loses nothing: the kept row is dispatched again on
        start (:class:`KeptEvents`). The body sees
        ``handled.duplicate`` for an interaction handled already (it does
        nothing) and ``handled.replayed`` for one dispatched again.
        """
        key = str(interaction.id)
        turn = self.order.place(interaction.user.id)
        try:
            keeping = await self.kept.keep_and_acknowledge(key, acknowledge)
            async with turn, self.tracking(key, kind, interaction) as handled:
                handled.duplicate = keeping.duplicate
                handled.replayed = keeping.replayed
                yield handled
                # Only once handled: a failure leaves the row for the next start.
                await self.kept.close(key, keeping)
        finally:
            turn.release()

    async def turn(
        self, event: InboundEvent, handled: Handled, channel_id: int | None = None
    ) -> RouterResponse:
        """The router's answer to ``event`` (:meth:`KeptEvents.after_replay` if replayed)."""
        response = await self.router.handle(event)
        return await self.kept.after_replay(event, response, handled, channel_id)

    @asynccontextmanager
    async def tracking(
        self,
        delivery: str,
        kind: str,
        interaction: discord.Interaction[Any] | None = None,
    ) -> AsyncIterator[Handled]:
        """Record what handling one delivery did; log failures instead of raising.

        If handling an interaction fails, the user gets the generic error
        ephemerally, so a deferred "thinking…" never hangs.
        """

        async def tell() -> None:
            if interaction is not None and interaction.response.is_done():
                with contextlib.suppress(discord.HTTPException):
                    await self.notice(interaction, "error.internal", self.locale_of(interaction))

        async with self.deliveries.tracking(delivery, kind, tell) as handled:
            yield handled

    async def wait_handled(
        self, delivery: str, timeout: float = 10.0, *, times: int = 1
    ) -> Handled:
        """Wait until a delivery has been fully handled (:meth:`Deliveries.wait_handled`)."""
        return await self.deliveries.wait_handled(delivery, timeout, times=times)

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

    def reply_target(self, place: Place, interaction: discord.Interaction[Any]) -> Target:
        """Where an interaction's replies go: the participant's thread or DM, else follow-ups."""
        if place.private:
            return ChannelTarget(self.client, place.channel_id)
        return FollowupTarget(interaction)

    async def notice(
        self, interaction: discord.Interaction[Any], key: str, locale: str, **params: str
    ) -> None:
        """An ephemeral note to the user who ran a command."""
        target = FollowupTarget(interaction)
        for chunk in split_message(self.text(key, locale, **params), links=params.values()):
            await target.send(Outgoing(chunk))

    # ----------------------------------------------------------------- places
    async def place_of(
        self, channel: object, channel_id: int, guild_id: int | None, user_id: int
    ) -> Place:
        """The place an event happened in and its workshop (:class:`DiscordPlaces`)."""
        return await self.places.place_of(channel, channel_id, guild_id, self.pseudonym(user_id))

    async def place_of_interaction(self, interaction: discord.Interaction[Any]) -> Place:
        """:meth:`place_of` for an interaction (its channel comes with the payload)."""
        return await self.places.place_of_interaction(
            interaction, self.pseudonym(interaction.user.id)
        )

    async def answering_place(
        self, interaction: discord.Interaction[Any], locale: str, *, moderators: bool = True
    ) -> tuple[Place, str] | None:
        """Where the interaction is and its workshop, if a participant may answer there.

        Otherwise the participant is told why and ``None`` is returned.

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
        return place, place.workshop

    async def thread_for(self, parent_id: int, user_id: int, locale: str) -> int | None:
        """The participant's private thread under ``parent_id``, created on first use."""
        tag = self.tag(user_id)
        name = self.text("discord.thread_name", locale, tag=tag)
        return await self.places.thread_for(parent_id, user_id, tag, name)

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
        async with self.serial(message.author.id), self.tracking(delivery, "message") as handled:
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
            target: Target = ChannelTarget(self.client, place.channel_id)
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
            event = self.event(
                message.author.id,
                place.workshop,
                text=typed,
                delivery=delivery,
                address=place.address,
                admin=admin,
                direct=place.kind == "dm",
            )
            keeping = await self.kept.keep(delivery)
            if keeping.duplicate:
                handled.duplicate = True
                return
            handled.replayed = keeping.replayed
            response = await self.turn(event, handled, place.channel_id)
            if response.private and place.kind != "dm":  # a resident's questions: DM only
                dm = await dm_target(self.client, message.author)
                response = response if dm is not None else RouterResponse(locale=response.locale)
                target = dm or target
            await self.deliver(target, response, handled)
            await self.kept.close(delivery, keeping)

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
            event = self.event(
                message.author.id, place.workshop, delivery=str(message.id), admin=admin
            )
            response = await self.router.start(event)
            await self.deliver(ChannelTarget(self.client, thread_id), response, handled)
            note = self.text("discord.joined", locale, thread=f"<#{thread_id}>")
        for chunk in split_message(note, links=[f"<#{thread_id}>"]):
            handled.sent.append(await target.send(Outgoing(chunk)))

    # ------------------------------------------------------ slash: citizens
    async def cmd_join(self, interaction: discord.Interaction[Any]) -> None:
        """``/cityneeds join``: open (or reopen) the participant's thread and greet them there."""
        locale = self.locale_of(interaction)
        async with self.answering(
            interaction, "command", lambda: _defer_thinking(interaction)
        ) as handled:
            if handled.duplicate:
                return
            found = await self.answering_place(interaction, locale, moderators=False)
            if found is None:
                return
            place, workshop = found
            event = self.event(
                interaction.user.id,
                workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self.is_admin(interaction),
            )
            if place.private:
                response = await self.router.start(event)
                response = await self.kept.after_replay(event, response, handled, place.channel_id)
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
            response = await self.kept.after_replay(event, response, handled, thread_id)
            await self.deliver(ChannelTarget(self.client, thread_id), response, handled)
            await self.notice(interaction, "discord.joined", locale, thread=f"<#{thread_id}>")

    async def cmd_say(self, interaction: discord.Interaction[Any], said: str) -> None:
        """``/cityneeds help`` and ``/cityneeds status``: the typed command, through the router.

        In the participant's thread or DM the replies are posted there; anywhere
        else they are ephemeral follow-ups.
        """
        locale = self.locale_of(interaction)
        async with self.answering(
            interaction, "command", lambda: _defer_thinking(interaction)
        ) as handled:
            if handled.duplicate:
                return
            found = await self.answering_place(interaction, locale)
            if found is None:
                return
            place, workshop = found
            event = self.event(
                interaction.user.id,
                workshop,
                text=said,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self.is_admin(interaction),
            )
            response = await self.turn(event, handled, place.channel_id if place.private else None)
            if place.private:
                await self.deliver(ChannelTarget(self.client, place.channel_id), response, handled)
                await interaction.delete_original_response()
            else:
                await self.deliver(FollowupTarget(interaction), response, handled)
                if not handled.sent:
                    await interaction.delete_original_response()

    async def cmd_dm(self, interaction: discord.Interaction[Any], on: bool) -> None:
        """``/cityneeds dm on|off``: opt in to direct messages (and continue there), or out."""
        locale = self.locale_of(interaction)
        async with self.answering(
            interaction, "command", lambda: _defer_thinking(interaction)
        ) as handled:
            if handled.duplicate:
                return
            pseudonym = self.pseudonym(interaction.user.id)
            if not on:
                await self.chat.opt_out_of_dms(PLATFORM, pseudonym)
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
            event = self.event(
                interaction.user.id,
                workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=str(channel.id),
                admin=self.is_admin(interaction),
            )
            response = await self.router.start(event)
            response = await self.kept.after_replay(event, response, handled, channel.id)
            try:
                await self.deliver(ChannelTarget(self.client, channel.id), response, handled)
            except discord.Forbidden:
                await self.chat.opt_out_of_dms(PLATFORM, pseudonym)
                await self.notice(interaction, "discord.dm_failed", locale)
                return
            await self.notice(interaction, "discord.dm_on", locale)

    # ------------------------------------------------------------ slash: staff
    async def cmd_staff(self, interaction: discord.Interaction[Any], call: StaffCall[Any]) -> None:
        """A facilitator or moderator command: the typed call the slash options built.

        The staff desk checks roles from our database (server admins bootstrap as
        facilitators); every answer, a refusal included, is ephemeral.
        """
        locale = self.locale_of(interaction)
        async with self.answering(
            interaction, "staff", lambda: _defer_thinking(interaction)
        ) as handled:
            if handled.duplicate:
                return
            place = await self.place_of_interaction(interaction)
            if place.workshop is None:
                await self.notice(interaction, "discord.not_bound", locale)
                return
            event = self.event(
                interaction.user.id,
                place.workshop,
                text=f"!{call.command.name}",
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                admin=self.is_admin(interaction),
            )
            response = await self.router.staff_call(event, call)
            target: Target = FollowupTarget(interaction)
            if response.private:  # a resident's questions (``!assist``): the DM only
                target = await dm_target(self.client, interaction.user) or target
            await self.deliver(target, response, handled)
            if response.private and place.kind != "dm":
                await self.notice(interaction, "discord.assist_dm", locale)
            elif response.private or not handled.sent:
                await interaction.delete_original_response()

    async def cmd_setup(
        self, interaction: discord.Interaction[Any], workshop: str, purpose: str
    ) -> None:
        """``/cityneeds-admin setup WORKSHOP``: bind this channel to a workshop.

        Server admins may do it (creating the workshop with the scenario library
        if it does not exist); facilitators of an existing workshop may too.
        """
        locale = self.locale_of(interaction)
        async with self.answering(
            interaction, "staff", lambda: _defer_thinking(interaction)
        ) as handled:
            if handled.duplicate:
                return
            slug = workshop.strip().lower()
            if not SLUG.match(slug):
                await self.notice(interaction, "discord.setup_bad_slug", locale)
                return
            if interaction.guild_id is None or isinstance(
                interaction.channel, discord.Thread | discord.DMChannel
            ):
                await self.notice(interaction, "discord.setup_needs_channel", locale)
                return
            request = BindRequest(
                platform=PLATFORM,
                slug=slug,
                channel=str(interaction.channel_id),
                purpose=purpose,
                actor=self.pseudonym(interaction.user.id),
                is_platform_admin=self.is_admin(interaction),
            )
            outcome = await self.chat.bind(request)
            key = (
                "discord.setup_done"
                if outcome.status == BindStatus.BOUND
                else "discord.setup_refused"
            )
            await self.notice(interaction, key, locale, workshop=slug, purpose=purpose)
            handled.step = key


async def _defer_thinking(interaction: discord.Interaction[Any]) -> None:
    """Acknowledge a slash command privately ("thinking…"), within Discord's 3 seconds."""
    await interaction.response.defer(ephemeral=True, thinking=True)
