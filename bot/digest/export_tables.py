"""The workshop as CSV tables, one per kind of contribution, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from bot.digest.actors import resolve
from bot.digest.metrics import DigestMetrics, answered_tiers, gap_score, mendelow
from flows.kinds import STAFF_ROLES
from flows.snapshot import WorkshopSnapshot

#: A cell starting with one of these is a formula in Excel, LibreOffice and Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells (OWASP "CSV injection").

    ``=HYPERLINK(…)`` or ``@everyone`` typed by a participant is prefixed with
    ``'`` so spreadsheets show it as text; numbers are left alone.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            [
                "" if v is None else spreadsheet_safe(";".join(v) if isinstance(v, list) else v)
                for v in row
            ]
        )
    return buffer.getvalue()


def _when(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else ""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def csv_tables(snap: WorkshopSnapshot, metrics: DigestMetrics) -> dict[str, str]:
    """File name → CSV text for participants, needs, stakeholders, links, requirements.

    Stakeholder rows and links carry their actor (``bot.digest.actors``);
    ``actors.csv`` has one row per actor, ``stakeholder_map.csv`` one per actor and
    scenario (that scenario's mentions, roles, power, interest, legitimacy, urgency).

    Participants appear only by their number in this workshop, group and
    language: never by platform id or pseudonym.
    """
    scenario: dict[int | None, str] = {s.id: s.code for s in snap.scenarios}
    names = {s.id: s.name for s in snap.stakeholders}
    view = resolve(snap)
    actor_of = view.actor_of_row
    actor_name = {a.id: a.name for a in view.actors}
    findings = metrics.findings
    answered = answered_tiers(snap)
    theme_of = findings.theme_of_need if findings is not None else (lambda _id: None)
    tables = {
        "participants.csv": _csv(
            (
                "participant",
                "helix",
                "locale",
                "consented",
                "reached",
                "finished",
                "origin",
                "role",
                "answered",
                "counted",
            ),
            (
                (
                    p.id,
                    p.helix,
                    p.locale,
                    p.consented,
                    p.script,
                    p.finished,
                    p.origin,
                    p.role,
                    " ".join(answered[p.id]),
                    p.role not in STAFF_ROLES and bool(answered[p.id]),
                )
                # Citizens first, staff listed apart after them.
                for p in sorted(snap.participants, key=lambda p: (p.role in STAFF_ROLES, p.id))
            ),
        ),
        "needs.csv": _csv(
            (
                "id",
                "participant",
                "domain",
                "importance",
                "satisfaction",
                "gap",
                "need",
                "how_might_we",
                "created_at",
                "origin",
                "theme",
            ),
            (
                (
                    n.id,
                    n.participant_id,
                    n.domain,
                    n.importance,
                    n.satisfaction,
                    gap_score(n.importance, n.satisfaction),
                    n.text,
                    n.hmw,
                    _when(n.created_at),
                    n.origin,
                    theme_of(n.id) or "",
                )
                for n in snap.needs
            ),
        ),
        "stakeholders.csv": _csv(
            (
                "id",
                "participant",
                "scenario",
                "name",
                "helix",
                "role",
                "power",
                "interest",
                "legitimacy",
                "urgency",
                "vulnerable_groups",
                "created_at",
                "actor",
                "actor_name",
            ),
            (
                (
                    s.id,
                    s.participant_id,
                    scenario.get(s.scenario_id, ""),
                    s.name,
                    s.helix,
                    s.role,
                    s.power,
                    s.interest,
                    s.legitimacy,
                    s.urgency,
                    [v.value for v in s.vulnerable],
                    _when(s.created_at),
                    actor_of.get(s.id, ""),
                    actor_name.get(actor_of.get(s.id, ""), ""),
                )
                for s in snap.stakeholders
            ),
        ),
        "links.csv": _csv(
            (
                "id",
                "participant",
                "scenario",
                "source",
                "relation",
                "target",
                "weight",
                "source_actor",
                "target_actor",
            ),
            (
                (
                    lk.id,
                    lk.participant_id,
                    scenario.get(lk.scenario_id, ""),
                    names.get(lk.source_id, ""),
                    lk.relation,
                    names.get(lk.target_id, ""),
                    lk.weight,
                    actor_of.get(lk.source_id, ""),
                    actor_of.get(lk.target_id, ""),
                )
                for lk in snap.links
            ),
        ),
        "requirements.csv": _csv(
            (
                "id",
                "participant",
                "scenario",
                "domain",
                "module",
                "as_a",
                "i_want",
                "so_that",
                "moscow",
                "acceptance",
                "created_at",
            ),
            (
                (
                    r.id,
                    r.participant_id,
                    scenario.get(r.scenario_id, ""),
                    r.domain,
                    view.module_name(r.module),
                    r.as_a,
                    r.i_want,
                    r.so_that,
                    r.moscow,
                    r.acceptance,
                    _when(r.created_at),
                )
                for r in snap.requirements
            ),
        ),
        "stakeholder_map.csv": _csv(
            (
                "scenario",
                "stakeholder",
                "actor",
                "mentions",
                "helix",
                "power",
                "interest",
                "quadrant",
                "roles",
                "legitimacy",
                "urgency",
            ),
            (
                (
                    p.scenario,
                    s.name,
                    s.key,
                    p.mentions,
                    s.helix,
                    _round(p.power),
                    _round(p.interest),
                    mendelow(p.power, p.interest),
                    list(p.roles),
                    p.legitimacy,
                    p.urgency,
                )
                for s in metrics.stakeholders
                for p in s.parts
            ),
        ),
        "actors.csv": _csv(
            (
                "actor",
                "stakeholder",
                "names",
                "scenarios",
                "mentions",
                "helix",
                "power",
                "interest",
                "quadrant",
                "salience",
                "roles",
                "relations",
                "conflicts",
                "betweenness",
            ),
            (
                (
                    s.key,
                    s.name,
                    list(s.names),
                    list(s.scenarios),
                    s.mentions,
                    s.helix,
                    _round(s.power),
                    _round(s.interest),
                    s.quadrant,
                    s.salience,
                    list(s.roles),
                    s.degree,
                    s.conflicts,
                    round(s.betweenness, 4),
                )
                for s in metrics.stakeholders
            ),
        ),
    }
    if findings is not None:
        tables["themes.csv"] = _csv(
            ("theme", "domain", "label_en", "label_zh", "size", "groups", "mean_gap", "quotes"),
            (
                (
                    t.id,
                    t.domain,
                    t.label("en"),
                    t.label("zh"),
                    t.size,
                    "; ".join(f"{g} {n}" for g, n in t.groups),
                    None if t.mean_gap is None else round(t.mean_gap, 2),
                    " | ".join(q.text for q in t.quotes),
                )
                for t in findings.themes
            ),
        )
    return tables
