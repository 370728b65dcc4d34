"""Buttons, selects and the requirement form: what a component or form interaction does.

:class:`DiscordComponents` receives every component and modal-submit
interaction (the bot's ``on_interaction`` listener) and dispatches it by its
custom id and the raw payload (:mod:`bot.adapters.discord.issued`); discord.py
keeps no view or modal in memory, so all of it works the same after a restart.
A custom id the bot never issues, a component missing from the message it came
from, or select values that were not offered are answered privately with the
stale-click notice and the current question, within Discord's 3 seconds.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.issued import (
    Issued,
    form_answers,
    modal_custom_id,
    on_message,
    parse_custom_id,
)
from bot.adapters.discord.render import decode_choice
from bot.adapters.discord.targets import FollowupTarget
from bot.adapters.discord.views import RequirementForm
from bot.app.events import RouterResponse
from flows.messages import ReplyKind

log = logging.getLogger(__name__)

#: The step a click that was never issued claims to answer: no script has it, so the
#: engine answers with the stale-click notice and the current question.
NOT_ISSUED = "cn-not-issued"


class DiscordComponents:
    """Answers component interactions through the adapter's places, turns and delivery.

    Args:
        adapter: The bot's adapter.
    """

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        """Dispatch a component or modal-submit interaction (others are the command tree's)."""
        if interaction.type == discord.InteractionType.component:
            await self.on_component(interaction)
        elif interaction.type == discord.InteractionType.modal_submit:
            await self.on_modal(interaction)

    async def on_component(self, interaction: discord.Interaction[Any]) -> None:
        """A button press or select choice, checked against what the bot sent."""
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        component_type = int(data.get("component_type", 0))
        issued = parse_custom_id(custom_id)
        if issued is None or issued.kind == "modal":
            await self.not_issued(interaction, custom_id)
            return
        if issued.kind == "select":
            values = [str(v) for v in data.get("values", []) or []]
            if on_message(interaction.message, custom_id, component_type, values):
                await self.on_choice(interaction, issued.step, values)
                return
        elif on_message(interaction.message, custom_id, component_type):
            if issued.kind == "form":
                await self.open_form(interaction, issued)
            else:
                assert issued.choice is not None
                await self.on_choice(interaction, issued.step, [issued.choice])
            return
        await self.not_issued(interaction, custom_id)

    async def on_choice(
        self, interaction: discord.Interaction[Any], step: str, choices: list[str]
    ) -> None:
        """A button press or select choice: the answer to ``step`` (stale ones are caught)."""
        locale = self.adapter.locale_of(interaction)
        async with self.adapter.answering(
            interaction, "component", interaction.response.defer
        ) as handled:
            if handled.duplicate:
                return
            found = await self.adapter.answering_place(interaction, locale)
            if found is None:
                return
            place, workshop = found
            answer = ", ".join(decode_choice(c) for c in choices) if choices else "none"
            event = self.adapter.event(
                interaction.user.id,
                workshop,
                text=answer,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                button_step=step,
                address=place.address,
                admin=self.adapter.is_admin(interaction),
                direct=place.kind == "dm",
            )
            channel = place.channel_id if place.private else None
            response = await self.adapter.turn(event, handled, channel)
            await self.adapter.deliver(
                self.adapter.reply_target(place, interaction), response, handled
            )

    async def not_issued(self, interaction: discord.Interaction[Any], custom_id: str) -> None:
        """A component the bot never sent: the stale-click notice and the current question.

        Both go privately to the person who clicked; nothing is stored.
        """
        log.info(
            "discord interaction %s: component %r was not issued by the bot; answered as stale",
            interaction.id,
            custom_id[:40],
        )
        locale = self.adapter.locale_of(interaction)
        async with self.adapter.answering(
            interaction,
            "not_issued",
            lambda: interaction.response.defer(ephemeral=True, thinking=True),
        ) as handled:
            if handled.duplicate:
                return
            found = await self.adapter.answering_place(interaction, locale)
            if found is None:
                return
            place, workshop = found
            event = self.adapter.event(
                interaction.user.id,
                workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                button_step=NOT_ISSUED,
                address=place.address,
                admin=self.adapter.is_admin(interaction),
                direct=place.kind == "dm",
            )
            response = await self.adapter.turn(event, handled)
            await self.adapter.deliver(FollowupTarget(interaction), response, handled)

    async def open_form(self, interaction: discord.Interaction[Any], issued: Issued) -> None:
        """Answer a "Fill in as a form" click with the requirement modal (no deferral first)."""
        # No wait for the person's turn here: the modal must be the answer, within 3 seconds.
        async with self.adapter.tracking(str(interaction.id), "form") as handled:
            form = self.adapter.chat.form
            if form is None:
                return
            locale = self.adapter.locale_of(interaction)
            modal = RequirementForm(
                form,
                title=self.adapter.text("discord.form.title", locale),
                labels={
                    f.step: self.adapter.text(f"discord.form.{f.step}", locale) for f in form.fields
                },
                custom_id=modal_custom_id(issued.step),
            )
            await interaction.response.send_modal(modal)
            handled.step = form.offered_at

    async def on_modal(self, interaction: discord.Interaction[Any]) -> None:
        """A submitted requirement form, read from the payload: the answers as turns.

        If the participant has moved on since the form was opened (before a
        restart, say), the stale notice and the current question are sent privately.
        """
        data: dict[str, Any] = dict(interaction.data or {})
        custom_id = str(data.get("custom_id", ""))
        issued = parse_custom_id(custom_id)
        form = self.adapter.chat.form
        answers = form_answers(data, form) if form is not None else None
        if issued is None or issued.kind != "modal" or answers is None:
            await self.not_issued(interaction, custom_id)
            return
        locale = self.adapter.locale_of(interaction)
        async with self.adapter.answering(
            interaction, "modal", interaction.response.defer
        ) as handled:
            if handled.duplicate:
                return
            place = await self.adapter.place_of_interaction(interaction)
            if place.workshop is None or (place.kind == "dm" and not place.own):
                await self.adapter.notice(interaction, "discord.not_bound", locale)
                return
            event = self.adapter.event(
                interaction.user.id,
                place.workshop,
                delivery=str(interaction.id),
                locale=interaction.locale.value,
                address=place.address,
                admin=self.adapter.is_admin(interaction),
                direct=place.kind == "dm",
            )
            response = await self.adapter.router.submit_form(event, answers)
            channel = place.channel_id if place.private else None
            response = await self.adapter.kept.after_replay(event, response, handled, channel)
            if self.is_stale(response):
                handled.kind = "stale_form"
                await self.adapter.deliver(FollowupTarget(interaction), response, handled)
                return
            await self.adapter.deliver(
                self.adapter.reply_target(place, interaction), response, handled
            )

    def is_stale(self, response: RouterResponse) -> bool:
        """Whether the router turned the answer down as belonging to an earlier question."""
        if not response.replies or response.replies[0].kind != ReplyKind.ERROR:
            return False
        stale = self.adapter.text("error.stale_button", response.locale)
        return response.replies[0].text.strip() == stale.strip()
