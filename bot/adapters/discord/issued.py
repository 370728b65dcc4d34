"""What the bot issued: its custom ids, and whether a click or a form matches them.

Custom ids carry everything a click needs, so nothing is kept between
restarts: ``cn:b:<step>:<choice>`` (a button), ``cn:s:<step>`` (a select),
``cn:f:<step>`` (the button that opens the requirement form) and
``cn:m:<step>`` (the form itself, a modal). A component interaction is only
taken for an answer if its custom id parses *and* the message it came from
carries that component, and a select's values are among the options that were
sent, within its bounds; anything else was never issued by the bot (an
altered client, or junk) and is answered as a stale click.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import discord

from flows.forms import FormSpec

_STEP = r"[a-z][a-z0-9_]*"
_CUSTOM_ID = re.compile(rf"cn:(?P<kind>[bsfm]):(?P<step>{_STEP})(?::(?P<choice>.+))?", re.DOTALL)
#: The prefix of each form field's custom id (``cn:form:<step>``).
FIELD_PREFIX = "cn:form:"

Kind = Literal["button", "select", "form", "modal"]
_KINDS: dict[str, Kind] = {"b": "button", "s": "select", "f": "form", "m": "modal"}


@dataclass(frozen=True)
class Issued:
    """A parsed custom id: what the component is and which step it answers.

    Attributes:
        kind: ``button``, ``select``, ``form`` (opens the modal) or ``modal``.
        step: The step it answers (for a form or modal: where it was offered).
        choice: A button's choice (``None`` for the others).
    """

    kind: Kind
    step: str
    choice: str | None = None


def parse_custom_id(custom_id: str) -> Issued | None:
    """The component a custom id names, or ``None`` if the bot never issues one like it."""
    if len(custom_id) > 100:
        return None
    match = _CUSTOM_ID.fullmatch(custom_id)
    if match is None:
        return None
    kind = _KINDS[match["kind"]]
    choice = match["choice"]
    if (kind == "button") != (choice is not None):
        return None
    return Issued(kind, match["step"], choice)


def modal_custom_id(step: str) -> str:
    """The requirement form's custom id: the step it was offered at, nothing per click."""
    return f"cn:m:{step}"


def _walk(components: Sequence[Any]) -> Iterator[Any]:
    for component in components:
        yield component
        yield from _walk(list(getattr(component, "children", []) or []))


def on_message(
    message: discord.Message | None,
    custom_id: str,
    component_type: int,
    values: Sequence[str] | None = None,
) -> bool:
    """Whether ``message`` carries the component (and, for a select, offered ``values``)."""
    if message is None:
        return False
    for component in _walk(list(message.components)):
        if getattr(component, "custom_id", None) != custom_id:
            continue
        if int(component.type.value) != component_type:
            return False
        if not isinstance(component, discord.SelectMenu):
            return values is None
        chosen = list(values or [])
        offered = {option.value for option in component.options}
        return (
            len(set(chosen)) == len(chosen)
            and set(chosen) <= offered
            and component.min_values <= len(chosen) <= component.max_values
        )
    return False


def _fields(components: Sequence[Any]) -> Iterator[Mapping[str, Any]]:
    for component in components:
        if not isinstance(component, Mapping):
            continue
        yield component
        yield from _fields(list(component.get("components", []) or []))
        inner = component.get("component")
        if isinstance(inner, Mapping):
            yield from _fields([inner])


def form_answers(data: Mapping[str, Any], form: FormSpec) -> list[tuple[str, str]] | None:
    """``(step, value)`` answers of a submitted form in script order, read from the raw payload.

    Returns:
        The answers, or ``None`` if the submission holds no field of the form
        (it was not our form).
    """
    typed: dict[str, str] = {}
    for field in _fields(list(data.get("components", []) or [])):
        custom_id = str(field.get("custom_id", ""))
        if custom_id.startswith(FIELD_PREFIX) and isinstance(field.get("value"), str):
            typed[custom_id.removeprefix(FIELD_PREFIX)] = field["value"]
    if not typed.keys() & set(form.steps):
        return None
    return [(step, typed.get(step, "").strip()) for step in form.steps]
