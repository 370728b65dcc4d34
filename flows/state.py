"""Conversation state: everything needed to resume a participant exactly."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

#: Bumped when the state's shape changes incompatibly.
STATE_SCHEMA = 1


class Snapshot(BaseModel):
    """What ``back`` restores: the step and the answers before it was answered."""

    step: str
    script: str
    answers: dict[str, Any]
    cursor: dict[str, int]


class SavedItem(BaseModel):
    """The last item saved, kept so that ``back`` right after the save can re-open it.

    Attributes:
        seq: The saved record's sequence number; an edit replaces that record.
        at: The state just before the item was saved (at its saving step).
        history: The snapshots of the item's own answers, for walking back through them.
    """

    seq: int
    at: Snapshot
    history: list[Snapshot] = Field(default_factory=list)


class ConversationState(BaseModel):
    """A participant's place in the workshop scripts.

    Attributes:
        script: Current script id (``onboarding``, ``macro``, ``meso``, ``micro``).
        step: Current step id, or ``""`` before the first prompt.
        answers: Answers given so far that are not yet committed as records,
            plus context kept across tiers (scenario, chosen domains).
        cursor: Position in list answers that steps iterate over.
        history: Snapshots for ``back``; cleared at every commit point.
        failures: Invalid answers in a row at the current step.
        seq: Next record sequence number (idempotency key).
        locale: Participant's locale code.
        paused: ``stop`` was typed; the next message resumes.
        finished: All tiers done.
        waiting_tier: A tier the participant is waiting for a facilitator to open.
        pending_forget: ``forget me`` was typed and awaits confirmation.
        saved: The item saved last, which ``back`` re-opens (``None`` once it cannot).
        editing: Sequence number of the saved record being edited, if any.
    """

    schema_version: int = STATE_SCHEMA
    script: str = ""
    step: str = ""
    answers: dict[str, Any] = Field(default_factory=dict)
    cursor: dict[str, int] = Field(default_factory=dict)
    history: list[Snapshot] = Field(default_factory=list)
    failures: int = 0
    seq: int = 0
    locale: str = "en"
    paused: bool = False
    finished: bool = False
    waiting_tier: str | None = None
    pending_forget: bool = False
    saved: SavedItem | None = None
    editing: int | None = None
