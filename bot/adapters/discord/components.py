"""Buttons, selects and the requirement form: what a click on a component does.

:class:`DiscordComponents` is the :class:`bot.adapters.discord.views.ComponentHandler`
the bot registers its dynamic items with; the views import nothing of this.
"""

from __future__ import annotations

from typing import Any

import discord

from bot.adapters.discord.adapter import DiscordAdapter
from bot.adapters.discord.render import decode_choice
from bot.adapters.discord.views import RequirementForm


class DiscordComponents:
    """Answers component interactions through the adapter's places, turns and delivery.

    Args:
        adapter: The bot's adapter.
    """

    def __init__(self, adapter: DiscordAdapter) -> None:
        self.adapter = adapter

    async def on_choice(
        self, interaction: discord.Interaction[Any], step: str, choices: list[str]
    ) -> None:
        """A button press or select choice: the answer to ``step`` (stale ones are caught)."""
        await interaction.response.defer()
        locale = self.adapter.locale_of(interaction)
        async with (
            self.adapter.serial(interaction.user.id),
            self.adapter.tracking(str(interaction.id), "component", interaction) as handled,
        ):
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
            )
            response = await self.adapter.router.handle(event)
            await self.adapter.deliver(
                self.adapter.reply_target(place, interaction), response, handled
            )

    async def open_form(self, interaction: discord.Interaction[Any]) -> None:
        """Answer a "Fill in as a form" click with the requirement modal (no deferral first)."""
        # No per-user lock here: the modal must be the answer, within 3 seconds.
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
                custom_id=f"cn:m:{interaction.id}",
                on_submit=self.on_form,
            )
            await interaction.response.send_modal(modal)
            handled.step = form.offered_at

    async def on_form(
        self, interaction: discord.Interaction[Any], answers: list[tuple[str, str]]
    ) -> None:
        """A submitted requirement form: the five answers as turns, through ``submit_form``."""
        await interaction.response.defer()
        locale = self.adapter.locale_of(interaction)
        async with (
            self.adapter.serial(interaction.user.id),
            self.adapter.tracking(str(interaction.id), "modal", interaction) as handled,
        ):
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
            )
            response = await self.adapter.router.submit_form(event, answers)
            await self.adapter.deliver(
                self.adapter.reply_target(place, interaction), response, handled
            )
