"""The forms the chat surfaces offer, read from the scripts once."""

from __future__ import annotations

from collections.abc import Mapping

from flows.forms import FormSpec, resolve_form
from flows.script import Script

#: The micro tier's requirement form (the five steps from "as a" to the acceptance).
REQUIREMENT_SCRIPT = "micro"
REQUIREMENT_FORM = "requirement"


def requirement_form(scripts: Mapping[str, Script]) -> FormSpec | None:
    """The requirement form of the micro script, or ``None`` when the scripts have none."""
    script = scripts.get(REQUIREMENT_SCRIPT)
    if script is None or not any(f.id == REQUIREMENT_FORM for f in script.forms):
        return None
    return resolve_form(script, REQUIREMENT_FORM)
