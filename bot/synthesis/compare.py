"""Where the helix groups agree and where they differ, with the counts behind each figure.

A group enters a comparison only with at least ``min_answers`` answers there; groups
with fewer are listed with their counts but not compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

#: Fewest answers a group needs in a domain or theme to be compared there.
MIN_ANSWERS = 3
#: A mean gap score at or above this counts as high (importance 4 × (6 − satisfaction 3)).
HIGH_GAP = 12.0


class Scope(StrEnum):
    """What a comparison is about."""

    DOMAIN = "domain"
    THEME = "theme"


@dataclass(frozen=True)
class GapAnswer:
    """One answer's gap score, by the group of its author.

    Attributes:
        domain: Domain code.
        helix: Helix group of the author.
        gap: Gap score (importance × (6 − satisfaction)).
        theme: Theme id of its text, when themed.
    """

    domain: str
    helix: str
    gap: float
    theme: str | None = None


@dataclass(frozen=True)
class GroupGap:
    """One group's mean gap score in a domain or theme, and over how many answers."""

    helix: str
    count: int
    mean_gap: float


@dataclass(frozen=True)
class Comparison:
    """The groups side by side in one domain or theme.

    Attributes:
        scope: Whether ``key`` is a domain code or a theme id.
        key: The domain code or theme id.
        domain: The domain (equal to ``key`` for a domain).
        groups: Every group that took part, sorted by helix.
        compared: Groups with at least the minimum number of answers.
        too_few: Groups that took part with fewer answers than the minimum.
        spread: Highest minus lowest mean gap among the compared groups (``None`` if
            fewer than two are compared).
        common_ground: Every group that took part is compared, there are at least two,
            and each one's mean gap is high.
    """

    scope: Scope
    key: str
    domain: str
    groups: tuple[GroupGap, ...]
    compared: tuple[str, ...]
    too_few: tuple[str, ...]
    spread: float | None
    common_ground: bool

    @property
    def lowest_compared(self) -> float:
        """The lowest mean gap among the compared groups (0 when none is)."""
        means = [g.mean_gap for g in self.groups if g.helix in self.compared]
        return min(means, default=0.0)


@dataclass(frozen=True)
class GroupComparison:
    """Every comparison, and the two short lists a digest shows.

    Attributes:
        by_domain: One comparison per domain, sorted by domain.
        by_theme: One comparison per theme, sorted by theme id.
        common_ground: Comparisons that are common ground, the highest lowest-group mean first.
        differ: Comparisons with a spread, the largest spread first (at most ``top``).
        min_answers: The minimum used.
        high_gap: The threshold of a high gap used.
    """

    by_domain: tuple[Comparison, ...]
    by_theme: tuple[Comparison, ...]
    common_ground: tuple[Comparison, ...]
    differ: tuple[Comparison, ...]
    min_answers: int
    high_gap: float


def _compare(
    scope: Scope,
    key: str,
    domain: str,
    answers: Sequence[GapAnswer],
    min_answers: int,
    high_gap: float,
) -> Comparison:
    by_group: dict[str, list[float]] = defaultdict(list)
    for answer in answers:
        by_group[answer.helix].append(answer.gap)
    groups = tuple(
        GroupGap(helix, len(gaps), round(sum(gaps) / len(gaps), 2))
        for helix, gaps in sorted(by_group.items())
    )
    compared = tuple(g.helix for g in groups if g.count >= min_answers)
    too_few = tuple(g.helix for g in groups if g.count < min_answers)
    means = [g.mean_gap for g in groups if g.helix in compared]
    spread = round(max(means) - min(means), 2) if len(means) >= 2 else None
    common = len(compared) >= 2 and not too_few and min(means) >= high_gap
    return Comparison(scope, key, domain, groups, compared, too_few, spread, common)


def compare_groups(
    answers: Iterable[GapAnswer],
    *,
    min_answers: int = MIN_ANSWERS,
    high_gap: float = HIGH_GAP,
    top: int = 5,
) -> GroupComparison:
    """Compare the groups' gap scores per domain and per theme.

    Args:
        answers: Gap answers with their author's group (answers without a group or a gap
            are left out by the caller).
        min_answers: Fewest answers a group needs somewhere to be compared there.
        high_gap: Mean gap from which a group's concern counts as high.
        top: Longest "where groups differ" list.
    """
    items = list(answers)
    by_domain: dict[str, list[GapAnswer]] = defaultdict(list)
    by_theme: dict[str, list[GapAnswer]] = defaultdict(list)
    for answer in items:
        by_domain[answer.domain].append(answer)
        if answer.theme is not None:
            by_theme[answer.theme].append(answer)
    domains = tuple(
        _compare(Scope.DOMAIN, d, d, rows, min_answers, high_gap)
        for d, rows in sorted(by_domain.items())
    )
    themes = tuple(
        _compare(Scope.THEME, t, rows[0].domain, rows, min_answers, high_gap)
        for t, rows in sorted(by_theme.items())
    )
    every = domains + themes
    common = tuple(
        sorted(
            (c for c in every if c.common_ground),
            key=lambda c: (-c.lowest_compared, c.scope, c.key),
        )
    )
    differ = tuple(
        sorted(
            (c for c in every if c.spread is not None and c.spread > 0),
            key=lambda c: (-(c.spread or 0.0), c.scope, c.key),
        )[:top]
    )
    return GroupComparison(domains, themes, common, differ, min_answers, high_gap)


@dataclass(frozen=True)
class RequirementVote:
    """One requirement's MoSCoW priority, by the group of its author."""

    helix: str
    moscow: str | None
    scenario: str | None = None


@dataclass(frozen=True)
class GroupMoscow:
    """How one group prioritised its requirements."""

    helix: str
    must: int
    should: int
    could: int
    wont: int
    unset: int

    @property
    def total(self) -> int:
        """All the group's requirements."""
        return self.must + self.should + self.could + self.wont + self.unset


_MOSCOW = ("must", "should", "could", "wont")


def moscow_by_group(
    votes: Iterable[RequirementVote], scenario: str | None = None
) -> tuple[GroupMoscow, ...]:
    """MoSCoW counts per group, sorted by group; only ``scenario``'s when one is given."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys((*_MOSCOW, "unset"), 0))
    for vote in votes:
        if scenario is not None and vote.scenario != scenario:
            continue
        bucket = vote.moscow if vote.moscow in _MOSCOW else "unset"
        counts[vote.helix][bucket or "unset"] += 1
    return tuple(
        GroupMoscow(helix, c["must"], c["should"], c["could"], c["wont"], c["unset"])
        for helix, c in sorted(counts.items())
    )
