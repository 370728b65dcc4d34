"""How one actor's names are folded, and the shipped list of common city actors per language.

The same folding keys every stakeholder row (``storage.keys``), the merge decisions of
moderators, and the "already on your list" check in the meso tier, so the three can
never disagree about whether two spellings are one actor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from flows.loader import data_file
from flows.normalize import drop_arabic_marks

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_ARTICLES = ("the", "a", "an")
KEY_CHARS = 200


def actor_key(name: str) -> str:
    """Fold case, width, spacing and punctuation: ``"The City  Council!"`` → ``"city council"``.

    Arabic vowel marks are optional in writing, so ``"البَلَدِيَّة"`` is ``"البلدية"``.
    """
    folded = drop_arabic_marks(unicodedata.normalize("NFKC", name).casefold())
    words = [w for w in _NOT_WORD.split(folded) if w]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    return " ".join(words)[:KEY_CHARS] or folded[:KEY_CHARS]


def module_key(name: str) -> str:
    """A module name folded for merging: ``" Clinic  Booking"`` → ``"clinic booking"``."""
    return " ".join(unicodedata.normalize("NFKC", name).split()).casefold()[:KEY_CHARS]


@dataclass(frozen=True)
class CommonActor:
    """One actor of the shipped bilingual list: its names per locale, folded."""

    code: str
    names: dict[str, tuple[str, ...]]

    def folded(self) -> frozenset[str]:
        """Every name of the actor, folded with :func:`actor_key`."""
        return frozenset(actor_key(n) for names in self.names.values() for n in names)


@cache
def common_actors() -> tuple[CommonActor, ...]:
    """The common city actors of ``flows/data/actors.yaml`` (names that mean the same)."""
    return tuple(
        CommonActor(
            code=str(row["code"]),
            names={str(k): tuple(str(n) for n in v) for k, v in row["names"].items()},
        )
        for row in data_file("actors.yaml")
    )


@cache
def common_codes() -> dict[str, frozenset[str]]:
    """Folded name → the codes of the common actors it names (usually one)."""
    found: dict[str, set[str]] = {}
    for actor in common_actors():
        for key in actor.folded():
            found.setdefault(key, set()).add(actor.code)
    return {key: frozenset(codes) for key, codes in found.items()}
