"""Typed arguments of ``!merge``, ``!split`` and ``!rename`` (stakeholders and modules).

Names have spaces, so a command may quote them (``"Urban lab"``, “…”, 「…」) or
separate them with ``|``; unquoted words are kept as words and the handler finds the
split that names actors of the workshop (``!merge stakeholder Urban lab 城市实验室``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand

STAKEHOLDER, MODULE = "stakeholder", "module"
KINDS = {"stakeholder": STAKEHOLDER, "actor": STAKEHOLDER, "module": MODULE, "service": MODULE}
NAME_CHARS = 80
_QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|\'([^\']+)\'|(\S+)')


@dataclass(frozen=True)
class NameArgs:
    """A kind (``stakeholder`` or ``module``) and the names that follow it.

    Attributes:
        kind: What is named.
        names: The names, when they were quoted or separated with ``|``.
        words: The bare words otherwise (the handler splits them).
        suggestions: ``!merge suggestions``: list the suggestions, change nothing.
    """

    kind: str
    names: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    suggestions: bool = False

    def splits(self, parts: int) -> list[tuple[str, ...]]:
        """Every way to read the arguments as ``parts`` names, explicit names first."""
        if self.names:
            return [self.names] if len(self.names) == parts else []
        if parts == 1:
            return [(" ".join(self.words),)] if self.words else []
        return [
            (" ".join(self.words[:cut]), " ".join(self.words[cut:]))
            for cut in range(1, len(self.words))
        ]


def _names(typed: StaffCommand) -> NameArgs:
    if not typed.args:
        raise BadArgument.missing("kind")
    if typed.name == "merge" and typed.args[0].lower() in ("suggestions", "suggestion", "?"):
        return NameArgs(STAKEHOLDER, suggestions=True)
    kind = conv.choice("kind", typed.args[0], KINDS)
    body = " ".join(typed.args[1:]).strip()
    if not body:
        raise BadArgument.missing("name")
    if "|" in body:
        names = tuple(p.strip()[:NAME_CHARS] for p in body.split("|") if p.strip())
        return NameArgs(kind, names=names)
    tokens = [next(g for g in m.groups() if g) for m in _QUOTED.finditer(body)]
    quoted = any(m.group(5) is None for m in _QUOTED.finditer(body))
    if quoted:
        return NameArgs(kind, names=tuple(t.strip()[:NAME_CHARS] for t in tokens))
    return NameArgs(kind, words=tuple(tokens))


def merge_args(typed: StaffCommand) -> NameArgs:
    """``stakeholder|module A B`` (A joins B), or ``suggestions``."""
    found = _names(typed)
    if not found.suggestions and not found.splits(2):
        raise BadArgument.missing("name")
    return found


def split_args(typed: StaffCommand) -> NameArgs:
    """``stakeholder|module NAME``: the name to take out of its actor (or the actor to undo)."""
    found = _names(typed)
    if not found.splits(1):
        raise BadArgument.missing("name")
    return found


def rename_args(typed: StaffCommand) -> NameArgs:
    """``stakeholder|module NAME NEW_NAME``."""
    found = _names(typed)
    if not found.splits(2):
        raise BadArgument.missing("name")
    return found
