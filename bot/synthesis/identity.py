"""Theme ids that survive re-clustering.

New clusters inherit the id of the earlier theme they overlap most (Jaccard, one-to-one
by the Hungarian method).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]

from bot.synthesis.types import PreviousTheme

#: A cluster keeps an earlier id only if at least this share of their union is shared.
MIN_JACCARD = 0.34

_ID = re.compile(r"^t-(?P<domain>.+)-(?P<n>\d+)$")


def theme_number(theme_id: str, domain: str) -> int:
    """The ``n`` of ``t-<domain>-<n>``, or 0 for an id of another shape."""
    match = _ID.match(theme_id)
    if match is None or match.group("domain") != domain:
        return 0
    return int(match.group("n"))


def match_ids(
    clusters: Sequence[frozenset[str]],
    previous: Sequence[PreviousTheme],
    present: frozenset[str],
) -> list[str | None]:
    """For each cluster, the id of the earlier theme it continues, or ``None``.

    Earlier members that are no longer present (hidden, deleted) are not counted.
    """
    result: list[str | None] = [None] * len(clusters)
    olds = [(p.id, frozenset(p.member_keys) & present) for p in previous]
    olds = [(pid, keys) for pid, keys in olds if keys]
    if not clusters or not olds:
        return result
    scores = np.zeros((len(clusters), len(olds)))
    for i, members in enumerate(clusters):
        for j, (_, keys) in enumerate(olds):
            union = len(members | keys)
            scores[i, j] = len(members & keys) / union if union else 0.0
    rows, cols = linear_sum_assignment(scores, maximize=True)
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if scores[i, j] >= MIN_JACCARD:
            result[i] = olds[j][0]
    return result


class IdMaker:
    """Hands out ``t-<domain>-<n>`` ids never used before in that domain."""

    def __init__(self, known: Iterable[str]) -> None:
        self._known = list(known)
        self._next: dict[str, int] = {}

    def new(self, domain: str) -> str:
        """A fresh id for ``domain``."""
        if domain not in self._next:
            self._next[domain] = 1 + max((theme_number(i, domain) for i in self._known), default=0)
        number = self._next[domain]
        self._next[domain] = number + 1
        return f"t-{domain}-{number}"
