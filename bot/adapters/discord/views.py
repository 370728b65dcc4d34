"""Persistent components: buttons and selects that answer a step, and the requirement form.

Custom ids carry everything a click needs (``cn:b:<step>:<choice>``,
``cn:s:<step>``, ``cn:f:<step>``), and the classes are registered on the bot as
dynamic items, so a button pressed days later, after a restart, still reaches
the router, which rejects it as stale if the participant has moved on.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.render import text
from flows.catalog import Catalogs

if TYPE_CHECKING:
    from bot.adapters.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)

_STEP = r"[a-z][a-z0-9_]*"


def adapter_of(interaction: discord.Interaction[Any]) -> DiscordAdapter:
    """The adapter of the bot that received ``interaction``."""
    adapter: DiscordAdapter = interaction.client.cityneeds
    return adapter


class StepButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"cn:b:(?P<step>{_STEP}):(?P<choice>.+)",
):
    """A button that answers ``step`` with one choice."""

    def __init__(self, step: str, choice: str, *, label: str = "·") -> None:
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.secondary,
                custom_id=self.custom_id_for(step, choice),
            )
        )
        self.step = step
        self.choice = choice

    @staticmethod
    def custom_id_for(step: str, choice: str) -> str:
        """The button's custom id."""
        return f"cn:b:{step}:{choice}"

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> StepButton:
        """Rebuild the button from a click (no state is kept between restarts)."""
        label = getattr(item, "label", None) or "·"
        return cls(match["step"], match["choice"], label=label)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Send the choice to the router as a button press of ``step``."""
        await adapter_of(interaction).on_choice(interaction, self.step, [self.choice])


class StepSelect(
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=rf"cn:s:(?P<step>{_STEP})",
):
    """A select menu that answers ``step`` with one or several choices."""

    def __init__(
        self,
        step: str,
        *,
        options: list[discord.SelectOption] | None = None,
        low: int = 1,
        high: int = 1,
        placeholder: str | None = None,
    ) -> None:
        select: discord.ui.Select[discord.ui.View] = discord.ui.Select(
            custom_id=f"cn:s:{step}",
            options=options or [discord.SelectOption(label="·", value="·")],
            min_values=low,
            max_values=high,
            placeholder=placeholder,
        )
        super().__init__(select)
        self.step = step

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> StepSelect:
        """Rebuild the select from an interaction; the chosen values come with it."""
        options = list(getattr(item, "options", []) or [])
        return cls(
            match["step"],
            options=options or None,
            low=int(getattr(item, "min_values", 1)),
            high=max(1, int(getattr(item, "max_values", 1))),
            placeholder=getattr(item, "placeholder", None),
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Send the chosen options to the router as one answer of ``step``."""
        await adapter_of(interaction).on_choice(interaction, self.step, list(self.item.values))


class FormButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"cn:f:(?P<step>{_STEP})",
):
    """Opens the requirement form (a modal) instead of answering five prompts."""

    def __init__(self, step: str, *, label: str = "·") -> None:
        super().__init__(
            discord.ui.Button(
                label=label, style=discord.ButtonStyle.primary, custom_id=f"cn:f:{step}"
            )
        )
        self.step = step

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> FormButton:
        """Rebuild the button from a click."""
        return cls(match["step"], label=getattr(item, "label", None) or "·")

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer with the modal straight away (a modal cannot follow a deferral)."""
        await adapter_of(interaction).open_form(interaction)


#: The form's fields: (step, catalog label, paragraph?, required, max length).
FORM_FIELDS: tuple[tuple[str, str, bool, bool, int], ...] = (
    ("as_a", "discord.form.as_a", False, True, 200),
    ("i_want", "discord.form.i_want", True, True, 500),
    ("so_that", "discord.form.so_that", True, False, 500),
    ("moscow", "discord.form.moscow", False, True, 20),
    ("acceptance", "discord.form.acceptance", True, False, 1000),
)


class RequirementForm(discord.ui.Modal):
    """The micro requirement as one form: as a, I want, so that, priority, acceptance.

    Discord modals hold at most five inputs, exactly the five steps from
    ``as_a`` to ``acceptance``. The answers go to ``Router.submit_form``, which
    stores each as its own turn and stops at the first one it rejects.
    """

    def __init__(self, catalogs: Catalogs, locale: str, *, custom_id: str) -> None:
        super().__init__(
            title=text(catalogs, "discord.form.title", locale)[:45],
            timeout=15 * 60,
            custom_id=custom_id,
        )
        self.inputs: dict[str, discord.ui.TextInput[RequirementForm]] = {}
        for step, key, paragraph, required, limit in FORM_FIELDS:
            field: discord.ui.TextInput[RequirementForm] = discord.ui.TextInput(
                style=discord.TextStyle.paragraph if paragraph else discord.TextStyle.short,
                custom_id=f"cn:form:{step}",
                required=required,
                max_length=limit,
            )
            self.inputs[step] = field
            self.add_item(discord.ui.Label(text=text(catalogs, key, locale)[:45], component=field))

    def answers(self) -> list[tuple[str, str]]:
        """``(step, value)`` pairs in script order (empty for skipped optional fields)."""
        return [(step, (self.inputs[step].value or "").strip()) for step, *_ in FORM_FIELDS]

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the answers to the adapter."""
        await adapter_of(interaction).on_form(interaction, self.answers())

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], error: Exception
    ) -> None:
        """Log; the participant can still answer by typing."""
        log.exception("requirement form failed", exc_info=error)
