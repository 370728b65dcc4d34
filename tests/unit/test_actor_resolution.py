"""Actors from stakeholder rows and moderators' decisions; merge suggestions, checked by value."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from bot.digest.actor_suggestions import suggestions
from bot.digest.actors import resolve
from bot.digest.metrics import compute_metrics
from bot.testing.snapshots import SnapshotBuilder
from flows.records import Moscow
from flows.snapshot import ActorDecisionRow, WorkshopSnapshot

TELEHEALTH, MOBILITY = 1, 2
AT = datetime(2026, 12, 1, tzinfo=UTC)


def _workshop() -> WorkshopSnapshot:
    w = SnapshotBuilder()
    ana, ben = w.participant(), w.participant()
    w.stakeholder(ana, "Health dept", power=5, interest=4)
    w.stakeholder(ben, "Health department", power=3, interest=2, scenario=MOBILITY)
    w.stakeholder(ana, "City council", power=4, interest=4)
    w.stakeholder(ben, "County council", power=2, interest=2)
    w.stakeholder(ben, "Urban lab", scenario=MOBILITY)
    w.stakeholder(ana, "Parks dept")
    w.stakeholder(ben, "Parks department")
    w.stakeholder(ana, "城市实验室")
    w.requirement(ana, "Clinic booking", Moscow.MUST)
    w.requirement(ben, "clinic  booking", Moscow.SHOULD)
    w.requirement(ben, "Booking for clinics", Moscow.COULD)
    return w.build()


def _decide(snap: WorkshopSnapshot, *rows: tuple[str, str, str, str]) -> WorkshopSnapshot:
    decided = tuple(
        ActorDecisionRow(n, kind, action, subject, value, AT)
        for n, (kind, action, subject, value) in enumerate(rows, start=1)
    )
    return replace(snap, actor_decisions=decided)


def test_suggestions_name_abbreviations_and_the_bilingual_list_but_not_similar_words() -> None:
    found = {(s.first_name, s.second_name, s.reason) for s in suggestions(resolve(_workshop()))}
    assert ("Parks dept", "Parks department", "spelling") in found  # abbreviated, not in the list
    assert ("Health dept", "Health department", "list") in found
    assert any({a, b} == {"Urban lab", "城市实验室"} and r == "list" for a, b, r in found)
    assert not any({a, b} == {"City council", "County council"} for a, b, _ in found)


def test_a_merge_makes_one_actor_across_scenarios_and_a_split_keeps_them_apart() -> None:
    snap = _decide(_workshop(), ("stakeholder", "merge", "health dept", "health department"))
    view = resolve(snap)
    health = view.find_actor("Health dept")
    assert health is not None and health is view.find_actor("health department")
    assert (health.id, health.mentions, health.scenarios) == (
        "health department",
        2,
        ("mobility_older", "telehealth_older"),
    )
    [summary] = [s for s in compute_metrics(snap).stakeholders if s.key == "health department"]
    assert (summary.power, summary.interest, summary.quadrant) == (4.0, 3.0, "keep_satisfied")

    apart = _decide(_workshop(), ("stakeholder", "apart", "health dept", "health department"))
    assert len(resolve(apart).actors) == 8
    found = suggestions(resolve(apart))
    assert not any(
        {s.first_name, s.second_name} == {"Health dept", "Health department"} for s in found
    )


def test_modules_fold_spacing_and_case_and_follow_merges_and_renames() -> None:
    plain = compute_metrics(_workshop())
    assert sorted(plain.moscow) == ["Booking for clinics", "Clinic booking"]
    snap = _decide(
        _workshop(),
        ("module", "merge", "booking for clinics", "clinic booking"),
        ("module", "rename", "clinic booking", "Clinic appointments"),
    )
    metrics = compute_metrics(snap)
    assert metrics.moscow == {
        "Clinic appointments": {Moscow.MUST: 1, Moscow.SHOULD: 1, Moscow.COULD: 1, Moscow.WONT: 0}
    }
    [module] = resolve(snap).modules
    assert module.names == ("Clinic booking", "clinic booking", "Booking for clinics")
