"""Numbers a digest reports, computed from one workshop snapshot."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from statistics import fmean
from typing import TYPE_CHECKING, TypeVar

import networkx as nx

from bot.digest.actors import ActorPart, ActorView, resolve
from bot.digest.gc_pause import gc_paused
from flows.kinds import STAFF_ROLES, TIER_ORDER, HelixGroup, Origin, Tier
from flows.records import Moscow, Relation
from flows.snapshot import (
    LinkRow,
    NeedRow,
    RequirementRow,
    StakeholderRow,
    WorkshopHeader,
    WorkshopSnapshot,
)

HELIX_GROUPS: tuple[HelixGroup, ...] = tuple(HelixGroup)
MOSCOW: tuple[Moscow, ...] = tuple(Moscow)
#: Mean power or interest above this counts as high (the scale is 1–5, 3 is neutral).
HIGH = 3.0
#: Past this many stakeholders, betweenness is estimated from sampled sources: as many
#: as fit in ``BETWEENNESS_WORK`` node+edge visits, but at least ``BETWEENNESS_MIN_SAMPLES``.
BETWEENNESS_EXACT_UP_TO = 500
BETWEENNESS_WORK = 1_000_000
BETWEENNESS_MIN_SAMPLES = 16
#: How many of the newest stakeholders a digest names.
NEW_NAMES = 5

if TYPE_CHECKING:  # the synthesis (numpy, scikit-learn) loads only when themes are made
    from bot.digest.findings import Findings


def gap_score(importance: int | None, satisfaction: int | None) -> float | None:
    """Priority = importance × (6 − satisfaction); ``None`` when either is missing."""
    if importance is None or satisfaction is None:
        return None
    return float(importance * (6 - satisfaction))


def mendelow(power: float | None, interest: float | None) -> str:
    """Mendelow grid quadrant for mean power and interest."""
    high_p = power is not None and power > HIGH
    high_i = interest is not None and interest > HIGH
    if high_p and high_i:
        return "manage_closely"
    if high_p:
        return "keep_satisfied"
    if high_i:
        return "keep_informed"
    return "monitor"


def mitchell(power: bool, legitimacy: bool, urgency: bool) -> str:
    """Mitchell, Agle and Wood salience class from the three attributes."""
    classes = {
        (True, False, False): "dormant",
        (False, True, False): "discretionary",
        (False, False, True): "demanding",
        (True, True, False): "dominant",
        (True, False, True): "dangerous",
        (False, True, True): "dependent",
        (True, True, True): "definitive",
    }
    return classes.get((power, legitimacy, urgency), "non_stakeholder")


@dataclass(frozen=True)
class Story:
    """A requirement as a user story, with the chain it belongs to (scenario, domain)."""

    id: int
    scenario: str
    domain: str | None
    module: str
    as_a: str
    i_want: str
    so_that: str | None
    moscow: Moscow | None
    acceptance: str | None


@dataclass(frozen=True)
class DomainGap:
    """A domain's mean gap score over the needs that rated it."""

    code: str
    gap: float
    needs: int
    importance: float | None
    satisfaction: float | None


@dataclass(frozen=True)
class StakeholderSummary:
    """One actor of the workshop (see :mod:`bot.digest.actors`), over all its scenarios.

    ``scenario`` is the scenario it is named in most; ``parts`` keep the per-scenario
    roles, power, interest, legitimacy and urgency.
    """

    key: str
    scenario: str
    name: str
    mentions: int
    helix: HelixGroup | None
    power: float | None
    interest: float | None
    quadrant: str
    salience: str
    roles: tuple[str, ...]
    vulnerable: tuple[str, ...]
    degree: int = 0
    conflicts: int = 0
    betweenness: float = 0.0
    scenarios: tuple[str, ...] = ()
    parts: tuple[ActorPart, ...] = ()
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conflict:
    """A ``conflicts`` relation between two actors in one scenario, and how often it was named."""

    scenario: str
    source: str
    target: str
    count: int


@dataclass(frozen=True)
class NewSince:
    """What arrived after the previous digest."""

    since: datetime
    needs: int
    stakeholders: int
    links: int
    requirements: int
    names: tuple[str, ...]


@dataclass
class DigestMetrics:
    """Everything a digest shows."""

    workshop: WorkshopHeader
    #: Citizens who gave at least one answer (staff and those who only consented are not).
    participants: int
    #: Of those, how many answered in each tier.
    by_tier: dict[Tier, int]
    by_helix: dict[HelixGroup, int]
    missing_helix: list[HelixGroup]
    domain_gaps: list[DomainGap]
    stakeholders: list[StakeholderSummary]
    conflicts: list[Conflict]
    moscow: dict[str, dict[Moscow, int]]
    moscow_total: dict[Moscow, int]
    sdgs: dict[str, int]
    needs: int
    requirements: int
    links: int
    quotes: list[tuple[str, str]] = field(default_factory=list)
    scenario_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    scenario_domains: dict[str, list[str]] = field(default_factory=dict)
    new: NewSince | None = None
    betweenness_samples: int | None = None
    #: Themes, group comparison and saturation (``None`` when not computed).
    findings: Findings | None = None
    #: Every requirement as a user story, by scenario then MoSCoW.
    stories: list[Story] = field(default_factory=list)
    #: Staff (moderators, facilitators), listed apart from the participants.
    staff: int = 0
    #: Of the participants, how many came in each way (chat, assisted entry, a file).
    by_origin: dict[Origin, int] = field(default_factory=dict)

    @property
    def most_connected(self) -> list[StakeholderSummary]:
        """Stakeholders with any relation, by betweenness then degree."""
        linked = [s for s in self.stakeholders if s.degree]
        return sorted(linked, key=lambda s: (-s.betweenness, -s.degree, s.name.casefold()))


def answered_tiers(snap: WorkshopSnapshot) -> dict[int, tuple[Tier, ...]]:
    """Participant id → the tiers they gave at least one answer in.

    Loaded snapshots say so per participant (pending answers count too); for the
    others, the snapshot's own contributions tell.
    """
    found: dict[int, set[Tier]] = defaultdict(set)
    derived: list[tuple[Sequence[NeedRow | StakeholderRow | LinkRow | RequirementRow], Tier]] = [
        (snap.needs, Tier.MACRO),
        (snap.stakeholders, Tier.MESO),
        (snap.links, Tier.MESO),
        (snap.requirements, Tier.MICRO),
    ]
    for rows, tier in derived:
        for row in rows:
            if row.participant_id is not None:
                found[row.participant_id].add(tier)
    return {
        p.id: p.answered
        if p.answered is not None
        else tuple(t for t in TIER_ORDER if t in found.get(p.id, ()))
        for p in snap.participants
    }


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def compute_metrics(
    snap: WorkshopSnapshot,
    *,
    quotes: int = 3,
    since: datetime | None = None,
    seed: int = 7,
    findings: Findings | None = None,
) -> DigestMetrics:
    """Compute participation, gaps, stakeholder quadrants and centrality, MoSCoW and SDGs.

    Args:
        snap: The workshop's approved contributions.
        quotes: How many verbatim quotes to pick (one per top domain).
        since: When the previous digest was posted; counts what is newer.
        seed: Seed for sampled betweenness on large maps (same seed, same numbers).
        findings: The workshop's themes and group comparison (see ``bot.digest.findings``),
            shown with the counts when given.
    """
    with gc_paused():
        metrics = _compute(snap, quotes, since, seed)
    return replace(metrics, findings=findings, stories=_stories(snap))


_MOSCOW_ORDER = {m: i for i, m in enumerate(Moscow)}


def _stories(snap: WorkshopSnapshot) -> list[Story]:
    codes = {s.id: s.code for s in snap.scenarios}
    stories = [
        Story(
            r.id,
            codes.get(r.scenario_id or 0, ""),
            r.domain,
            r.module,
            r.as_a,
            r.i_want,
            r.so_that,
            r.moscow,
            r.acceptance,
        )
        for r in snap.requirements
    ]
    return sorted(
        stories,
        key=lambda s: (s.scenario, _MOSCOW_ORDER.get(s.moscow, 9) if s.moscow else 9, s.id),
    )


def _compute(
    snap: WorkshopSnapshot, quotes: int, since: datetime | None, seed: int
) -> DigestMetrics:
    answered = answered_tiers(snap)
    counted = [p for p in snap.participants if p.role not in STAFF_ROLES and answered.get(p.id)]
    by_tier: Counter[Tier] = Counter()
    for p in counted:
        by_tier.update(answered[p.id])
    by_helix = Counter(p.helix for p in counted if p.helix)

    ratings: dict[str, list[NeedRow]] = defaultdict(list)
    for need in snap.needs:
        ratings[need.domain].append(need)
    gaps = [_domain_gap(code, needs) for code, needs in ratings.items()]
    gaps.sort(key=lambda g: (-g.gap, -g.needs, g.code))

    view = resolve(snap)
    summaries, conflicts, samples = _stakeholders(snap, seed, view)

    moscow: dict[str, dict[Moscow, int]] = defaultdict(lambda: dict.fromkeys(MOSCOW, 0))
    total = dict.fromkeys(MOSCOW, 0)
    for req in snap.requirements:
        if req.moscow is not None:
            moscow[view.module_name(req.module)][req.moscow] += 1
            total[req.moscow] += 1

    sdg_of = {d.code: d.sdgs for d in snap.domains}
    sdgs: Counter[str] = Counter()
    for need in snap.needs:
        sdgs.update(sdg_of.get(need.domain, ()))
    for req in snap.requirements:
        if req.domain:
            sdgs.update(sdg_of.get(req.domain, ()))

    picked = []
    for gap in gaps[:quotes]:
        texts = [n.text for n in ratings[gap.code]]
        if texts:
            picked.append((gap.code, max(texts, key=lambda t: (min(len(t), 200), t))))
    return DigestMetrics(
        workshop=snap.workshop,
        participants=len(counted),
        staff=sum(1 for p in snap.participants if p.role in STAFF_ROLES),
        by_origin={o: n for o in Origin if (n := sum(1 for p in counted if p.origin is o))},
        by_tier={t: by_tier[t] for t in TIER_ORDER},
        by_helix={h: by_helix[h] for h in HELIX_GROUPS},
        missing_helix=[h for h in HELIX_GROUPS if by_helix[h] == 0],
        domain_gaps=gaps,
        stakeholders=summaries,
        conflicts=conflicts,
        moscow=dict(moscow),
        moscow_total=total,
        sdgs=dict(sorted(sdgs.items(), key=lambda kv: (-kv[1], kv[0]))),
        needs=len(snap.needs),
        requirements=len(snap.requirements),
        links=len(snap.links),
        quotes=picked,
        scenario_titles={s.code: s.title for s in snap.scenarios},
        scenario_domains={s.code: list(s.domains) for s in snap.scenarios},
        new=_new_since(snap, since, view) if since is not None else None,
        betweenness_samples=samples,
    )


def _domain_gap(code: str, needs: list[NeedRow]) -> DomainGap:
    scores = [s for s in (gap_score(n.importance, n.satisfaction) for n in needs) if s is not None]
    imp = [n.importance for n in needs if n.importance is not None]
    sat = [n.satisfaction for n in needs if n.satisfaction is not None]
    return DomainGap(
        code=code,
        gap=fmean(scores) if scores else 0.0,
        needs=len(needs),
        importance=fmean(imp) if imp else None,
        satisfaction=fmean(sat) if sat else None,
    )


def _stakeholders(
    snap: WorkshopSnapshot, seed: int, view: ActorView
) -> tuple[list[StakeholderSummary], list[Conflict], int | None]:
    """One summary per actor (all its scenarios); conflicts stay per scenario."""
    scenario_code = {s.id: s.code for s in snap.scenarios}
    group_of = view.actor_of_row
    names = {a.id: a.name for a in view.actors}

    degree: Counter[str] = Counter()
    conflict_count: Counter[str] = Counter()
    conflict_pairs: Counter[tuple[str, str, str]] = Counter()
    relations = nx.Graph()
    for link in snap.links:
        src, dst = group_of.get(link.source_id), group_of.get(link.target_id)
        if src is None or dst is None or src == dst:
            continue
        degree[src] += 1
        degree[dst] += 1
        relations.add_edge(src, dst)
        if link.relation is Relation.CONFLICTS:
            conflict_count[src] += 1
            conflict_count[dst] += 1
            pair = (src, dst) if names[src].casefold() <= names[dst].casefold() else (dst, src)
            conflict_pairs[(scenario_code.get(link.scenario_id, "?"), *pair)] += 1
    centrality, samples = _betweenness(relations, seed)

    rows_of = {sh.id: sh for sh in snap.stakeholders}
    summaries: list[StakeholderSummary] = []
    for actor in view.actors:
        rows = [rows_of[i] for i in actor.rows]
        power = [r.power for r in rows if r.power is not None]
        interest = [r.interest for r in rows if r.interest is not None]
        mean_p = fmean(power) if power else None
        mean_i = fmean(interest) if interest else None
        half = len(rows) / 2
        summaries.append(
            StakeholderSummary(
                key=actor.id,
                scenario=actor.parts[0].scenario,
                name=actor.name,
                mentions=actor.mentions,
                helix=actor.helix,
                power=mean_p,
                interest=mean_i,
                quadrant=mendelow(mean_p, mean_i),
                salience=mitchell(
                    mean_p is not None and mean_p > HIGH,
                    sum(r.legitimacy for r in rows) > half,
                    sum(r.urgency for r in rows) > half,
                ),
                roles=tuple(sorted({r.role.value for r in rows if r.role})),
                vulnerable=tuple(sorted({v.value for r in rows for v in r.vulnerable})),
                degree=degree[actor.id],
                conflicts=conflict_count[actor.id],
                betweenness=centrality.get(actor.id, 0.0),
                scenarios=actor.scenarios,
                parts=actor.parts,
                names=actor.names,
            )
        )
    summaries.sort(key=lambda s: (-s.mentions, -s.degree, s.name.casefold()))
    conflicts = [
        Conflict(scenario, names[a], names[b], count)
        for (scenario, a, b), count in sorted(
            conflict_pairs.items(),
            key=lambda kv: (-kv[1], names[kv[0][1]].casefold(), names[kv[0][2]].casefold()),
        )
    ]
    return summaries, conflicts, samples


def _betweenness(relations: nx.Graph, seed: int) -> tuple[dict[str, float], int | None]:
    """Exact betweenness on small maps; ``k``-source sampling (seeded) on large ones."""
    n = relations.number_of_nodes()
    if n < 3:
        return {}, None
    if n <= BETWEENNESS_EXACT_UP_TO:
        return dict(nx.betweenness_centrality(relations)), None
    size = n + relations.number_of_edges()
    k = min(n, max(BETWEENNESS_MIN_SAMPLES, BETWEENNESS_WORK // size))
    return dict(nx.betweenness_centrality(relations, k=k, seed=seed)), k


_Dated = TypeVar("_Dated", NeedRow, StakeholderRow, LinkRow, RequirementRow)


def _shown_at(row: NeedRow | StakeholderRow | LinkRow | RequirementRow) -> datetime:
    """When a contribution became visible: saved, or (pre-moderation) approved later."""
    saved = _aware(row.created_at)
    return max(saved, _aware(row.approved_at)) if row.approved_at is not None else saved


def _new_since(snap: WorkshopSnapshot, since: datetime, view: ActorView) -> NewSince:
    """Counts of what is newer than ``since``; names of the actors first named since then."""
    cut = _aware(since)
    actor_of = view.actor_of_row
    shown = {a.id: a.name for a in view.actors}

    def fresh(rows: Sequence[_Dated]) -> list[_Dated]:
        return [r for r in rows if _shown_at(r) > cut]

    stakeholders = fresh(snap.stakeholders)
    first_seen: dict[str, datetime] = {}
    for sh in snap.stakeholders:
        at, actor = _shown_at(sh), actor_of.get(sh.id, sh.key)
        if actor not in first_seen or at < first_seen[actor]:
            first_seen[actor] = at
    names: list[str] = []
    for sh in sorted(stakeholders, key=lambda r: r.id, reverse=True):
        actor = actor_of.get(sh.id, sh.key)
        name = shown.get(actor, sh.name)
        if first_seen[actor] > cut and name not in names:
            names.append(name)
        if len(names) >= NEW_NAMES:
            break
    return NewSince(
        since=cut,
        needs=len(fresh(snap.needs)),
        stakeholders=len(stakeholders),
        links=len(fresh(snap.links)),
        requirements=len(fresh(snap.requirements)),
        names=tuple(names),
    )
