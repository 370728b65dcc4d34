"""The core's inbound and outbound types: what adapters give and receive."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from flows.records import Record as Record  # re-exported: records live in flows.records
from flows.records import RecordKind as RecordKind
from flows.text import Msg, Text


class InboundKind(StrEnum):
    """How a participant's input arrived."""

    TEXT = "text"
    BUTTON = "button"


@dataclass(frozen=True)
class Inbound:
    """One message or button press from a participant.

    Attributes:
        text: What the participant typed, or the value of the pressed button.
        kind: Typed text or a button/select value.
        step: For buttons, the step the button belonged to; a press on a
            stale button (another step) is answered with the current prompt.
    """

    text: str
    kind: InboundKind = InboundKind.TEXT
    step: str | None = None


class ReplyKind(StrEnum):
    """What a reply is for; adapters may style them differently."""

    PROMPT = "prompt"
    ERROR = "error"
    INFO = "info"
    DONE = "done"


@dataclass(frozen=True)
class Option:
    """One choice offered to the participant; numbers, labels and synonyms pick it.

    Attributes:
        value: What is stored when it is picked (an option code).
        label: What is shown.
        synonyms: Other words that pick it (from the script), in any language.
    """

    value: str
    label: Text
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    """Where the participant is: ``Step index of total`` within a tier."""

    tier: str
    index: int
    total: int


@dataclass(frozen=True)
class Reply:
    """One message the core wants shown to the participant."""

    body: Msg
    kind: ReplyKind = ReplyKind.INFO
    options: tuple[Option, ...] = ()
    multi: bool = False
    progress: Progress | None = None
    step: str | None = None
    step_kind: str | None = None
    bounds: tuple[int, int] | None = None


class EffectKind(StrEnum):
    """Things only the outside world can do; the router carries them out."""

    SHOW_MY_DATA = "show_my_data"
    FORGET_ME = "forget_me"
    SET_LOCALE = "set_locale"
    SHOW_STATUS = "show_status"
    SET_REMINDERS = "set_reminders"


@dataclass(frozen=True)
class Effect:
    """A request from the core to the router."""

    kind: EffectKind
    value: str | None = None


@dataclass(frozen=True)
class Outcome:
    """Result of one turn.

    Attributes:
        state: The new conversation state.
        replies: What to show, in order.
        records: New contributions to store.
        effects: Requests to the router.
        revisions: Contributions saved earlier and edited now (after ``back``):
            each replaces the stored record with the same ``seq``.
    """

    state: Any
    replies: list[Reply]
    records: list[Record]
    effects: list[Effect]
    revisions: list[Record] = field(default_factory=list)
