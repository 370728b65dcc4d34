"""Persistent components: buttons and selects that answer a step, and the requirement form.

Custom ids carry everything a click needs (``cn:b:<step>:<choice>``,
``cn:s:<step>``, ``cn:f:<step>``, the form ``cn:m:<step>``; see
:mod:`bot.adapters.discord.issued`). The classes here only draw: every component
and form interaction is dispatched by :class:`bot.adapters.discord.components.DiscordComponents`
from its custom id and the raw payload, so a button pressed or a form submitted
days later, after a restart, still reaches the router, which rejects it as stale
if the participant has moved on.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

import discord

from flows.forms import FormSpec

log = logging.getLogger(__name__)

_STEP = r"[a-z][a-z0-9_]*"


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


class RequirementForm(discord.ui.Modal):
    """A script's form as one modal (the micro requirement: as a, I want, so that, …).

    Discord modals hold at most five inputs. Fields, what they require and how
    long they may be come from the form (declared in the script); the answers go
    to ``on_submit``, which hands them to ``Router.submit_form``.

    Args:
        form: The resolved form.
        title: The modal's title, in the participant's language.
        labels: Each field's label by step, in the participant's language.
        custom_id: The modal's custom id.
    """

    def __init__(
        self,
        form: FormSpec,
        *,
        title: str,
        labels: Mapping[str, str],
        custom_id: str,
    ) -> None:
        super().__init__(title=title[:45], timeout=None, custom_id=custom_id)
        self.form = form
        self.inputs: dict[str, discord.ui.TextInput[RequirementForm]] = {}
        for spec in form.fields:
            field: discord.ui.TextInput[RequirementForm] = discord.ui.TextInput(
                style=discord.TextStyle.paragraph if spec.multiline else discord.TextStyle.short,
                custom_id=f"cn:form:{spec.step}",
                required=spec.required,
                min_length=spec.min_length,
                max_length=spec.max_length,
            )
            self.inputs[spec.step] = field
            label = labels.get(spec.step, spec.step)[:45]
            self.add_item(discord.ui.Label(text=label, component=field))
        self.stop()
