"""Forms: several steps of a script answered at once (a Slack or Discord modal).

A script declares its forms in a ``forms:`` section::

    forms:
      - id: requirement
        offered_at: as_a
        fields:
          - {step: as_a}
          - {step: i_want, multiline: true}

A field names a step of the same script; what it accepts (required or not, the
length of a text, the choices of a choice step) is read from that step, so the
limits are declared once, in the step. :func:`resolve_form` joins the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from flows.script import Script


class FormField(BaseModel):
    """One input of a form, as the script declares it.

    Attributes:
        step: The step it answers.
        multiline: Shown as a paragraph rather than one line.
        typed_max: For a choice step shown as a text input (Discord), how many
            characters may be typed.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    step: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    multiline: bool = False
    typed_max: int | None = Field(default=None, ge=1, le=4000)


class Form(BaseModel):
    """A form of a script: which steps it answers, in order, and where it is offered.

    Attributes:
        id: The form's name (``requirement``).
        offered_at: The step whose prompt offers the form; the first field's step.
        fields: The inputs, in script order, starting at ``offered_at``.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    offered_at: str
    fields: list[FormField] = Field(min_length=1)


@dataclass(frozen=True)
class FormChoice:
    """One choice of a choice field: the value sent, and the message id of its label."""

    value: str
    label: str


@dataclass(frozen=True)
class FieldSpec:
    """A form field joined with its step: everything a surface needs to draw it.

    Attributes:
        step: The step it answers (also the input's id).
        multiline: A paragraph rather than one line.
        required: The step cannot be skipped.
        min_length: Fewest characters of a text answer (``None``: no minimum).
        max_length: Most characters of a text answer, or ``typed_max`` of a choice.
        choices: The fixed choices of a choice step (empty for text).
        prompt: The step's prompt (message id), a label for the field.
        help: The step's help (message id), a hint for the field.
    """

    step: str
    multiline: bool
    required: bool
    min_length: int | None
    max_length: int | None
    choices: tuple[FormChoice, ...] = ()
    prompt: str = ""
    help: str = ""


@dataclass(frozen=True)
class FormSpec:
    """A resolved form (see :func:`resolve_form`)."""

    id: str
    script: str
    offered_at: str
    fields: tuple[FieldSpec, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        """The steps the form answers, in order."""
        return tuple(f.step for f in self.fields)

    def field(self, step: str) -> FieldSpec:
        """The field answering ``step``.

        Raises:
            KeyError: The form has no such field.
        """
        for field in self.fields:
            if field.step == step:
                return field
        raise KeyError(step)


class FormError(ValueError):
    """A form names a step its script does not have, or one it cannot answer."""


def resolve_form(script: Script, form_id: str) -> FormSpec:
    """Join the form ``form_id`` of ``script`` with the steps it answers.

    Raises:
        KeyError: The script has no such form.
        FormError: The form names an unknown step, fields out of script order, or a
            step that is neither text nor a choice with fixed options.
    """
    form = next((f for f in script.forms if f.id == form_id), None)
    if form is None:
        raise KeyError(form_id)
    ids = [s.id for s in script.steps]
    fields: list[FieldSpec] = []
    for declared in form.fields:
        if declared.step not in ids:
            raise FormError(f"form {form.id!r}: unknown step {declared.step!r}")
        step = script.step(declared.step)
        kind = step.kind.value
        if kind == "text":
            fields.append(
                FieldSpec(
                    step.id,
                    declared.multiline,
                    step.required,
                    step.min,
                    step.max,
                    prompt=step.prompt,
                    help=step.help,
                )
            )
        elif kind == "choice" and step.options:
            choices = tuple(FormChoice(o.value, o.label) for o in step.options)
            fields.append(
                FieldSpec(
                    step.id,
                    declared.multiline,
                    True,
                    None,
                    declared.typed_max,
                    choices,
                    prompt=step.prompt,
                    help=step.help,
                )
            )
        else:
            raise FormError(f"form {form.id!r}: step {step.id!r} ({kind}) cannot be a form field")
    order = [ids.index(f.step) for f in fields]
    if order != sorted(order) or fields[0].step != form.offered_at:
        raise FormError(f"form {form.id!r}: fields must follow the script from {form.offered_at!r}")
    return FormSpec(form.id, script.id, form.offered_at, tuple(fields))


def form_problems(script: Script) -> list[tuple[int, str]]:
    """``(index in forms:, message)`` for each form that does not fit its script."""
    problems: list[tuple[int, str]] = []
    for index, form in enumerate(script.forms):
        try:
            resolve_form(script, form.id)
        except FormError as exc:
            problems.append((index, str(exc)))
    return problems
