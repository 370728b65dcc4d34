"""Where a step leads: its ``next`` (a step id or conditional transitions), else the next step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flows.script import Script, Step


def next_step(
    script: Script, step: Step, answers: Mapping[str, Any], stakeholders: int
) -> str | None:
    """The id (or ``@``-target) after ``step``, or ``None`` at the end of the script.

    Args:
        script: The script ``step`` belongs to.
        step: The step just answered.
        answers: The participant's answers (for ``when: {answer: ..., equals: ...}``).
        stakeholders: How many stakeholders the participant has named in this scenario.
    """
    if isinstance(step.next, str):
        return step.next
    if isinstance(step.next, list):
        for transition in step.next:
            cond = transition.when
            if cond is None:
                return transition.goto
            holds = True
            if cond.answer is not None:
                holds = holds and answers.get(cond.answer) == cond.equals
            if cond.stakeholders_at_least is not None:
                holds = holds and stakeholders >= cond.stakeholders_at_least
            if holds:
                return transition.goto
    return script.after(step.id)
