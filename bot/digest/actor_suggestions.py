"""Merge suggestions for moderators: actors (or modules) that are probably the same.

Three kinds of evidence, strongest first:

- ``list``: both names are names of one entry of the shipped bilingual list of common
  city actors (``flows/data/actors.yaml``), e.g. "Urban lab" and ``城市实验室``;
- ``spelling``: near-duplicate spellings in one language (rapidfuzz), including a word
  shortened to an abbreviation ("Health dept" / "Health department");
- ``meaning``: names in different scripts that the multilingual sentence encoder puts
  close together, each the other's nearest ("Bus company" / ``公交公司``).

Nothing is merged here: a moderator decides (``!merge``). Pairs a moderator split are
never suggested again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from bot.digest.actors import MODULE, STAKEHOLDER, ActorView
from flows.actor_names import common_codes

#: Spellings at least this similar (0-100) are suggested.
SPELLING_SCORE = 90.0
#: Cosine similarity two names in different scripts need (see the module docstring).
MEANING_SCORE = 0.65
#: Only the most named actors are compared pairwise (the long tail is rarely a duplicate).
MAX_COMPARED = 400
MAX_SUGGESTIONS = 20


class NameEncoder(Protocol):
    """What the suggestions need of a text encoder (``bot.synthesis.encoder.TextEncoder``)."""

    def encode(self, texts: Sequence[str]) -> object:
        """One L2-normalised row vector per text."""
        ...


@dataclass(frozen=True)
class Suggestion:
    """Two actors (or modules) a moderator may want to merge.

    Attributes:
        kind: ``stakeholder`` or ``module``.
        first: Id of the less named one (it would be merged into ``second``).
        second: Id of the more named one.
        first_name: Shown name of ``first``.
        second_name: Shown name of ``second``.
        reason: ``list``, ``spelling`` or ``meaning``.
        score: How close they are (1.0 for the list, else the similarity).
    """

    kind: str
    first: str
    second: str
    first_name: str
    second_name: str
    reason: str
    score: float


@dataclass(frozen=True)
class _Item:
    id: str
    name: str
    keys: tuple[str, ...]
    weight: int


_Add = Callable[[_Item, _Item, str, float], None]


def _abbreviates(short: str, long: str) -> bool:
    """``dept`` abbreviates ``department``: same first letter, letters in order, shorter."""
    if len(short) < 3 or len(short) >= len(long) or short[0] != long[0]:
        return False
    rest = iter(long)
    return all(ch in rest for ch in short)


def _near_spelling(a: str, b: str) -> float | None:
    """Similarity of two folded names in one language, when they look like one name."""
    score = fuzz.ratio(a, b, processor=default_process)
    if score >= SPELLING_SCORE:
        return score / 100
    wa, wb = a.split(), b.split()
    if len(wa) == len(wb) > 0 and wa != wb:
        pairs = list(zip(wa, wb, strict=True))
        if all(x == y or _abbreviates(x, y) or _abbreviates(y, x) for x, y in pairs):
            return score / 100
    return None


def _has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _pairs(
    kind: str, items: list[_Item], view: ActorView, encoder: NameEncoder | None
) -> list[Suggestion]:
    codes = common_codes()
    found: dict[tuple[str, str], Suggestion] = {}

    def add(a: _Item, b: _Item, reason: str, score: float) -> None:
        if view.kept_apart(kind, a.keys, b.keys):
            return
        low, high = (a, b) if (a.weight, b.name) < (b.weight, a.name) else (b, a)
        pair = (low.id, high.id)
        if pair not in found:
            found[pair] = Suggestion(kind, low.id, high.id, low.name, high.name, reason, score)

    for i, a in enumerate(items):
        a_codes = {c for k in a.keys for c in codes.get(k, ())}
        for b in items[i + 1 :]:
            if a_codes and any(c in a_codes for k in b.keys for c in codes.get(k, ())):
                add(a, b, "list", 1.0)
                continue
            if _has_cjk(a.name) == _has_cjk(b.name):
                score = _near_spelling(a.id, b.id)
                if score is not None:
                    add(a, b, "spelling", score)
    if encoder is not None and len(items) > 1:
        _meanings(items, encoder, add)
    return list(found.values())


def _meanings(items: list[_Item], encoder: NameEncoder, add: _Add) -> None:
    import numpy as np

    vectors = np.asarray(encoder.encode([item.name for item in items]), dtype=np.float32)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1.0)
    cjk = [_has_cjk(item.name) for item in items]
    for i, a in enumerate(items):
        other = [j for j in range(len(items)) if cjk[j] != cjk[i]]
        if not other:
            continue
        j = max(other, key=lambda k: float(similarity[i, k]))
        back = max(
            (k for k in range(len(items)) if cjk[k] != cjk[j]),
            key=lambda k: float(similarity[j, k]),
        )
        score = float(similarity[i, j])
        if back == i and i < j and score >= MEANING_SCORE:
            add(a, items[j], "meaning", round(score, 2))


_REASON_ORDER = {"list": 0, "spelling": 1, "meaning": 2}


def suggestions(view: ActorView, encoder: NameEncoder | None = None) -> list[Suggestion]:
    """Stakeholder then module merge suggestions, strongest evidence first.

    Args:
        view: The workshop's actors and modules (see :func:`bot.digest.actors.resolve`).
        encoder: The multilingual sentence encoder for cross-language pairs; without
            it only the shipped list bridges languages.
    """
    actors = [_Item(a.id, a.name, a.keys, a.mentions) for a in view.actors[:MAX_COMPARED]]
    modules = [_Item(m.id, m.name, m.keys, m.requirements) for m in view.modules[:MAX_COMPARED]]
    found = _pairs(STAKEHOLDER, actors, view, encoder) + _pairs(MODULE, modules, view, encoder)
    found.sort(
        key=lambda s: (
            s.kind != STAKEHOLDER,
            _REASON_ORDER[s.reason],
            -s.score,
            s.first_name.casefold(),
        )
    )
    return found[:MAX_SUGGESTIONS]
