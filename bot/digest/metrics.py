"""Numbers a digest reports, computed from one workshop snapshot."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from storage.snapshot import WorkshopSnapshot

HELIX_GROUPS = ("government", "industry", "academia", "civil_society")
TIERS = ("macro", "meso", "micro")
MOSCOW = ("must", "should", "could", "wont")
#: Mean power or interest above this counts as high (the scale is 1–5, 3 is neutral).
HIGH = 3.0


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
class DomainGap:
    """A domain's mean gap score over the needs that rated it."""

    code: str
    gap: float
    needs: int
    importance: float | None
    satisfaction: float | None


@dataclass(frozen=True)
class StakeholderSummary:
    """Stakeholders merged across participants by scenario and normalised name."""

    key: str
    scenario: str
    name: str
    mentions: int
    helix: str | None
    power: float | None
    interest: float | None
    quadrant: str
    salience: str
    roles: tuple[str, ...]
    vulnerable: tuple[str, ...]
    degree: int = 0
    conflicts: int = 0


@dataclass
class DigestMetrics:
    """Everything a digest shows."""

    workshop: dict[str, Any]
    participants: int
    by_tier: dict[str, int]
    by_helix: dict[str, int]
    missing_helix: list[str]
    domain_gaps: list[DomainGap]
    stakeholders: list[StakeholderSummary]
    conflicts: list[tuple[str, str, str]]
    moscow: dict[str, dict[str, int]]
    moscow_total: dict[str, int]
    sdgs: dict[str, int]
    needs: int
    requirements: int
    links: int
    quotes: list[tuple[str, str]] = field(default_factory=list)
    scenario_titles: dict[str, dict[str, str]] = field(default_factory=dict)
    scenario_domains: dict[str, list[str]] = field(default_factory=dict)


def _tier_reached(script: str, finished: bool) -> list[str]:
    if finished:
        return list(TIERS)
    if script in TIERS:
        return list(TIERS[: TIERS.index(script) + 1])
    return []


def compute_metrics(snap: WorkshopSnapshot, *, quotes: int = 3) -> DigestMetrics:
    """Compute participation, gaps, stakeholder quadrants, MoSCoW counts and SDG coverage."""
    consented = [p for p in snap.participants if p["consented"]]
    by_tier: Counter[str] = Counter()
    for p in consented:
        by_tier.update(_tier_reached(p["script"], p["finished"]))
    by_helix = Counter(p["helix"] for p in consented if p["helix"])

    ratings: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for need in snap.needs:
        ratings[need["domain"]].append(need)
    gaps: list[DomainGap] = []
    for code, needs in ratings.items():
        scores = [
            s
            for s in (gap_score(n["importance"], n["satisfaction"]) for n in needs)
            if s is not None
        ]
        imp = [n["importance"] for n in needs if n["importance"] is not None]
        sat = [n["satisfaction"] for n in needs if n["satisfaction"] is not None]
        gaps.append(
            DomainGap(
                code=code,
                gap=fmean(scores) if scores else 0.0,
                needs=len(needs),
                importance=fmean(imp) if imp else None,
                satisfaction=fmean(sat) if sat else None,
            )
        )
    gaps.sort(key=lambda g: (-g.gap, -g.needs, g.code))

    scenario_code = {s["id"]: s["code"] for s in snap.scenarios}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    node_of: dict[int, tuple[str, str]] = {}
    for sh in snap.stakeholders:
        group = (scenario_code.get(sh["scenario_id"], "?"), sh["key"])
        groups[group].append(sh)
        node_of[sh["id"]] = group
    degree: Counter[tuple[str, str]] = Counter()
    conflict_count: Counter[tuple[str, str]] = Counter()
    conflicts: list[tuple[str, str, str]] = []
    for link in snap.links:
        src, dst = node_of.get(link["source_id"]), node_of.get(link["target_id"])
        if src is None or dst is None:
            continue
        degree[src] += 1
        degree[dst] += 1
        if link["relation"] == "conflicts":
            conflict_count[src] += 1
            conflict_count[dst] += 1
            conflicts.append((src[0], _name(groups[src]), _name(groups[dst])))
    summaries: list[StakeholderSummary] = []
    for (scenario, key), rows in groups.items():
        power = [r["power"] for r in rows if r["power"] is not None]
        interest = [r["interest"] for r in rows if r["interest"] is not None]
        mean_p = fmean(power) if power else None
        mean_i = fmean(interest) if interest else None
        half = len(rows) / 2
        helix = Counter(r["helix"] for r in rows if r["helix"]).most_common(1)
        summaries.append(
            StakeholderSummary(
                key=key,
                scenario=scenario,
                name=_name(rows),
                mentions=len(rows),
                helix=helix[0][0] if helix else None,
                power=mean_p,
                interest=mean_i,
                quadrant=mendelow(mean_p, mean_i),
                salience=mitchell(
                    mean_p is not None and mean_p > HIGH,
                    sum(r["legitimacy"] for r in rows) > half,
                    sum(r["urgency"] for r in rows) > half,
                ),
                roles=tuple(sorted({r["role"] for r in rows if r["role"]})),
                vulnerable=tuple(sorted({v for r in rows for v in r["vulnerable"]})),
                degree=degree[(scenario, key)],
                conflicts=conflict_count[(scenario, key)],
            )
        )
    summaries.sort(key=lambda s: (-s.mentions, -s.degree, s.name.casefold()))

    moscow: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MOSCOW, 0))
    total = dict.fromkeys(MOSCOW, 0)
    for req in snap.requirements:
        if req["moscow"] in total:
            module = " ".join(req["module"].split()).strip()
            moscow[module.casefold()][req["moscow"]] += 1
            total[req["moscow"]] += 1

    sdg_of = {d["code"]: d["sdgs"] for d in snap.domains}
    sdgs: Counter[str] = Counter()
    for need in snap.needs:
        sdgs.update(sdg_of.get(need["domain"], []))
    for req in snap.requirements:
        if req["domain"]:
            sdgs.update(sdg_of.get(req["domain"], []))

    top_codes = [g.code for g in gaps[:quotes]]
    picked = []
    for code in top_codes:
        texts = [n["text"] for n in ratings[code]]
        if texts:
            picked.append((code, max(texts, key=lambda t: (min(len(t), 200), t))))
    return DigestMetrics(
        workshop=snap.workshop,
        participants=len(consented),
        by_tier={t: by_tier[t] for t in TIERS},
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
        scenario_titles={s["code"]: s["title"] for s in snap.scenarios},
        scenario_domains={s["code"]: list(s["domains"]) for s in snap.scenarios},
    )


def _name(rows: list[dict[str, Any]]) -> str:
    """The spelling most participants used (first seen wins ties)."""
    counts = Counter(r["name"] for r in rows)
    return max(counts, key=lambda n: (counts[n], -[r["name"] for r in rows].index(n)))
