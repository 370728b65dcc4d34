"""Naming a stakeholder in the meso tier: offer the workshop's actors, refuse a repeat.

A text step with ``options_from: actors`` is answered like any text step, and also:

- the actors already named in the workshop (``WorkshopContext.actors``, given by the
  router) are offered by number, buttons or menu, always with "a new one" last;
- a name this participant already gave in this scenario (folded as
  :func:`flows.actor_names.actor_key` folds it) is answered with "already on your
  list" instead of becoming a second row.
"""

from __future__ import annotations

from collections.abc import Sequence

from flows.actor_names import actor_key
from flows.answers import Accepted, Rejected, Verdict, parse_text
from flows.messages import Option
from flows.text import Literal, Msg

#: The option source of the step that names a stakeholder.
SOURCE = "actors"
#: The value of the "a new one" option (never a name: names have no leading ``_``).
NEW = "_new"
#: How many of the workshop's actors are offered at most.
OFFERED = 8


def actor_options(offered: Sequence[Option], named: Sequence[str]) -> list[Option]:
    """The workshop's actors not yet on this participant's list, then "a new one".

    With nothing to offer there are no options at all: the step is plain text.
    """
    mine = {actor_key(n) for n in named}
    fresh = [o for o in offered if actor_key(o.value) not in mine][:OFFERED]
    if not fresh:
        return []
    return [*fresh, Option(NEW, Msg("meso.sh_name.new"))]


def interpret_actor(
    text: str, options: Sequence[Option], named: Sequence[str], least: int, most: int
) -> Verdict:
    """An offered actor (by number or its name), or a new name not already on the list."""
    picked = _picked(text, options)
    if picked == NEW:
        return Rejected(Msg("meso.sh_name.type_new"))
    verdict = Accepted(picked) if picked is not None else parse_text(text, least, most)
    if isinstance(verdict, Accepted):
        key = actor_key(str(verdict.value))
        already = next((n for n in named if actor_key(n) == key), None)
        if already is not None:
            return Rejected(Msg("meso.sh_name.already", {"name": Literal(already)}))
    return verdict


def _picked(text: str, options: Sequence[Option]) -> str | None:
    stripped = text.strip()
    if not options:
        return None
    if stripped.isdigit() and 1 <= int(stripped) <= len(options):
        return options[int(stripped) - 1].value
    if stripped == NEW:
        return NEW
    return None
