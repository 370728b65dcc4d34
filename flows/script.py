"""The shape of a conversation script (``flows/scripts/*.yaml``), validated by pydantic."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from flows.forms import Form
from flows.records import RecordKind


class StepKind(StrEnum):
    """What kind of input a step expects."""

    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"
    TEXT = "text"
    YES_NO = "yes_no"
    STAKEHOLDER_PICK = "stakeholder_pick"
    LOOP = "loop"
    CONFIRM = "confirm"


#: Kinds whose answers are picked from a list of options.
CHOICE_KINDS = frozenset({StepKind.CHOICE, StepKind.MULTI_CHOICE, StepKind.STAKEHOLDER_PICK})
#: Kinds answered yes or no.
YES_NO_KINDS = frozenset({StepKind.YES_NO, StepKind.LOOP, StepKind.CONFIRM})

OptionSource = Literal["domains", "scenarios", "stakeholders", "chosen_domains", "helix", "actors"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class OptionSpec(_Strict):
    """A fixed option of a choice step."""

    value: str
    label: str = Field(description="Message id of the option's label.")
    synonyms: list[str] = Field(default_factory=list)


class Condition(_Strict):
    """When a transition applies. All given parts must hold."""

    answer: str | None = None
    equals: str | bool | int | None = None
    stakeholders_at_least: int | None = None


class Transition(_Strict):
    """Go to ``goto`` when ``when`` holds (or always, without ``when``)."""

    when: Condition | None = None
    goto: str


class Step(_Strict):
    """One prompt and the rules for its answer."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: StepKind
    prompt: str
    help: str
    options: list[OptionSpec] = Field(default_factory=list)
    options_from: OptionSource | None = None
    min: int | None = None
    max: int | None = None
    store_as: str | None = None
    next: str | list[Transition] | None = None
    required: bool = False
    item_of: str | None = None
    record: RecordKind | None = None
    fields: dict[str, str] = Field(default_factory=dict)
    clear: list[str] = Field(default_factory=list)
    repeat_for: str | None = None
    loop_to: str | None = None
    edit: str | None = None
    exclude: str | None = None
    counted: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Step:
        picks_stakeholders = self.kind == StepKind.STAKEHOLDER_PICK
        if self.kind in CHOICE_KINDS and not (
            self.options or self.options_from or picks_stakeholders
        ):
            raise ValueError(f"a {self.kind} step needs options or options_from")
        if self.kind == StepKind.STAKEHOLDER_PICK and self.options_from not in (
            None,
            "stakeholders",
        ):
            raise ValueError("a stakeholder_pick step takes its options from stakeholders")
        if self.kind == StepKind.SCALE and (self.min is None or self.max is None):
            raise ValueError("a scale step needs min and max")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is greater than max {self.max}")
        if self.kind == StepKind.LOOP and not self.loop_to:
            raise ValueError("a loop step needs loop_to (the step to ask again)")
        if self.kind == StepKind.CONFIRM and not (self.record and self.fields and self.edit):
            raise ValueError("a confirm step needs record, fields and edit")
        if self.kind not in YES_NO_KINDS and self.kind != StepKind.CONFIRM and not self.store_as:
            raise ValueError(f"a {self.kind} step needs store_as")
        if self.repeat_for and not self.loop_to:
            raise ValueError("repeat_for needs loop_to")
        return self


class Script(_Strict):
    """One tier's conversation (or the onboarding before the tiers)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    tier: Literal["onboarding", "macro", "meso", "micro"]
    title: str
    intro: str | None = None
    next_script: str | None = None
    steps: list[Step] = Field(min_length=1)
    forms: list[Form] = Field(default_factory=list)

    def step(self, step_id: str) -> Step:
        """Return the step with this id.

        Raises:
            KeyError: No such step.
        """
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def after(self, step_id: str) -> str | None:
        """Return the id of the step listed after ``step_id``, if any."""
        ids = [s.id for s in self.steps]
        index = ids.index(step_id)
        return ids[index + 1] if index + 1 < len(ids) else None

    def counted_steps(self) -> list[str]:
        """Ids of the steps that count towards "Step n of N"."""
        return [s.id for s in self.steps if s.counted]
