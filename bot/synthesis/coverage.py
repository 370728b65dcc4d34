"""Coverage: what the workshop has not looked at yet.

Top-gap domains without a scenario or a requirement, scenarios where nobody named a
regulator, funder or operator, and helix groups not heard in a scenario.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from flows.kinds import HelixGroup

#: Roles a scenario's stakeholder map should name somebody for.
KEY_ROLES = ("regulator", "funder", "operator")
#: Every helix group, in declaration order.
HELIX_GROUPS: tuple[str, ...] = tuple(group.value for group in HelixGroup)


@dataclass(frozen=True)
class DomainCoverage:
    """A top-gap domain and what the later tiers did with it.

    Attributes:
        domain: Domain code.
        mean_gap: Its mean gap score.
        rank: Its place by gap score (1 = highest).
        scenarios: Codes of the workshop's scenarios that cover it.
        requirements: Requirements written for it.
    """

    domain: str
    mean_gap: float
    rank: int
    scenarios: tuple[str, ...]
    requirements: int

    @property
    def has_scenario(self) -> bool:
        """Some scenario covers the domain."""
        return bool(self.scenarios)

    @property
    def has_requirement(self) -> bool:
        """Some requirement was written for the domain."""
        return self.requirements > 0


def uncovered_domains(
    domain_gaps: Mapping[str, float],
    scenario_domains: Mapping[str, Sequence[str]],
    requirement_domains: Iterable[str],
    *,
    top: int = 5,
) -> tuple[DomainCoverage, ...]:
    """The ``top`` domains by mean gap that have no scenario or no requirement yet.

    Args:
        domain_gaps: Domain code → mean gap score.
        scenario_domains: Scenario code → the domains it covers.
        requirement_domains: The domain of each requirement (one entry per requirement).
        top: How many of the highest-gap domains to look at.
    """
    ranked = sorted(domain_gaps.items(), key=lambda item: (-item[1], item[0]))[:top]
    written = Counter(requirement_domains)
    covering: dict[str, list[str]] = defaultdict(list)
    for scenario, domains in sorted(scenario_domains.items()):
        for domain in domains:
            covering[domain].append(scenario)
    found = []
    for rank, (domain, gap) in enumerate(ranked, start=1):
        row = DomainCoverage(domain, gap, rank, tuple(covering[domain]), written[domain])
        if not (row.has_scenario and row.has_requirement):
            found.append(row)
    return tuple(found)


@dataclass(frozen=True)
class NamedRole:
    """A stakeholder named in a scenario, by the role given to it (``None`` if none)."""

    scenario: str
    role: str | None


@dataclass(frozen=True)
class MissingRoles:
    """A scenario where nobody named a stakeholder in some key roles."""

    scenario: str
    missing: tuple[str, ...]
    stakeholders: int


def missing_roles(
    scenarios: Sequence[str],
    named: Iterable[NamedRole],
    roles: Sequence[str] = KEY_ROLES,
) -> tuple[MissingRoles, ...]:
    """Scenarios (in the given order) where no stakeholder has one of ``roles``."""
    given: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    for item in named:
        count[item.scenario] += 1
        if item.role:
            given[item.scenario].add(item.role)
    result = []
    for scenario in scenarios:
        missing = tuple(r for r in roles if r not in given[scenario])
        if missing:
            result.append(MissingRoles(scenario, missing, count[scenario]))
    return tuple(result)


@dataclass(frozen=True)
class Voice:
    """One contribution to a scenario (a stakeholder, link or requirement), by group."""

    scenario: str
    helix: str


@dataclass(frozen=True)
class ScenarioVoices:
    """Who was heard in a scenario, with counts, and which groups were not."""

    scenario: str
    heard: tuple[tuple[str, int], ...]
    not_heard: tuple[str, ...]


def groups_not_heard(
    scenarios: Sequence[str],
    voices: Iterable[Voice],
    groups: Sequence[str] = HELIX_GROUPS,
) -> tuple[ScenarioVoices, ...]:
    """For every scenario (in the given order), the groups heard and those not heard."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for voice in voices:
        counts[voice.scenario][voice.helix] += 1
    return tuple(
        ScenarioVoices(
            scenario,
            tuple(sorted(counts[scenario].items())),
            tuple(g for g in groups if counts[scenario][g] == 0),
        )
        for scenario in scenarios
    )
