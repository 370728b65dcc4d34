"""The digest's analysis numbers, checked by value on small hand-made workshops.

Expected values are worked out by hand in each test (never by calling the code
under test a second time): gap scores, Mendelow quadrants at their threshold,
Mitchell salience classes, degree and betweenness on a drawn graph, and how
contested relations named by several participants are merged.
"""

from __future__ import annotations

import pytest

from bot.digest.metrics import (
    HIGH,
    StakeholderSummary,
    compute_metrics,
    gap_score,
    mendelow,
    mitchell,
)
from bot.testing.snapshots import SnapshotBuilder
from flows.records import Relation

#: Scenario ids of the library's first two scenarios, and their codes.
TELEHEALTH, MOBILITY = 1, 2


def _by_name(
    summaries: list[StakeholderSummary], scenario: str = "telehealth_older"
) -> dict[str, StakeholderSummary]:
    return {s.name: s for s in summaries if s.scenario == scenario}


def test_gap_score_is_importance_times_six_minus_satisfaction() -> None:
    assert gap_score(5, 1) == 25.0  # very important, very unsatisfied: the largest gap
    assert gap_score(4, 2) == 16.0
    assert gap_score(3, 3) == 9.0
    assert gap_score(1, 5) == 1.0  # unimportant and satisfied: the smallest gap
    assert gap_score(3, None) is None
    assert gap_score(None, 2) is None


def test_domains_are_ranked_by_mean_gap_then_by_how_many_needs_then_by_code() -> None:
    w = SnapshotBuilder()
    ana, ben, cai = w.participant(), w.participant(), w.participant()
    w.need(ana, "health", 5, 1)  # 25
    w.need(ben, "health", 4, 2)  # 16 -> health's mean gap is 20.5
    w.need(cai, "mobility", 3, 3)  # 9, one need
    w.need(ana, "water", 3, 3)  # 9
    w.need(ben, "water", 1, 3)  # 3 -> water 6.0
    w.need(ana, "energy", 3, 3)  # 9
    w.need(ben, "energy", 3, 3)  # 9 -> energy 9.0 with two needs: before mobility
    w.need(cai, "housing", 2, 5)  # 2
    w.need(ana, "housing", None, 3)  # unrated importance: counted, not scored

    gaps = compute_metrics(w.build()).domain_gaps

    assert [(g.code, g.gap, g.needs) for g in gaps] == [
        ("health", 20.5, 2),
        ("energy", 9.0, 2),
        ("mobility", 9.0, 1),
        ("water", 6.0, 2),
        ("housing", 2.0, 2),
    ]
    housing = gaps[-1]
    assert housing.importance == 2.0  # only the rated need
    assert housing.satisfaction == 4.0  # (5 + 3) / 2


@pytest.mark.parametrize(
    ("power", "interest", "quadrant"),
    [
        (HIGH, HIGH, "monitor"),  # exactly neutral is not high
        (HIGH + 0.01, HIGH, "keep_satisfied"),
        (HIGH, HIGH + 0.01, "keep_informed"),
        (HIGH + 0.01, HIGH + 0.01, "manage_closely"),
        (5.0, 1.0, "keep_satisfied"),
        (1.0, 5.0, "keep_informed"),
        (None, 5.0, "keep_informed"),
        (5.0, None, "keep_satisfied"),
        (None, None, "monitor"),
    ],
)
def test_mendelow_quadrant_on_both_sides_of_the_threshold(
    power: float | None, interest: float | None, quadrant: str
) -> None:
    assert HIGH == 3.0  # the middle of the 1-5 scale
    assert mendelow(power, interest) == quadrant


def test_a_stakeholder_s_quadrant_uses_the_mean_of_everyone_who_rated_it() -> None:
    w = SnapshotBuilder()
    ana, ben = w.participant(), w.participant()
    w.stakeholder(ana, "City council", power=3, interest=3)
    w.stakeholder(ben, "The city council!", power=4, interest=3)  # power 3.5: high; interest 3.0
    w.stakeholder(ana, "Bus operator", power=3, interest=4)
    w.stakeholder(ben, "Bus operator", power=3, interest=2)  # 3.0 and 3.0: monitor
    w.stakeholder(ana, "Food bank", power=2, interest=5)
    w.stakeholder(ben, "Food bank", interest=4)  # unrated power; interest 4.5

    found = _by_name(compute_metrics(w.build()).stakeholders)

    council = found["City council"]
    assert (council.mentions, council.power, council.interest) == (2, 3.5, 3.0)
    assert council.quadrant == "keep_satisfied"
    assert (found["Bus operator"].power, found["Bus operator"].interest) == (3.0, 3.0)
    assert found["Bus operator"].quadrant == "monitor"
    assert (found["Food bank"].power, found["Food bank"].interest) == (2.0, 4.5)
    assert found["Food bank"].quadrant == "keep_informed"


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "salience"),
    [
        (False, False, False, "non_stakeholder"),
        (True, False, False, "dormant"),
        (False, True, False, "discretionary"),
        (False, False, True, "demanding"),
        (True, True, False, "dominant"),
        (True, False, True, "dangerous"),
        (False, True, True, "dependent"),
        (True, True, True, "definitive"),
    ],
)
def test_mitchell_class_of_every_combination(
    power: bool, legitimacy: bool, urgency: bool, salience: str
) -> None:
    assert mitchell(power, legitimacy, urgency) == salience


def test_salience_needs_high_mean_power_and_a_strict_majority_for_legitimacy_and_urgency() -> None:
    w = SnapshotBuilder()
    ana, ben, cai = w.participant(), w.participant(), w.participant()
    # Clinic: power 14/3 > 3; legitimate for 2 of 3 (> 1.5); urgent for 1 of 3.
    w.stakeholder(ana, "Clinic", power=5, legitimacy=True, urgency=True)
    w.stakeholder(ben, "Clinic", power=5, legitimacy=True)
    w.stakeholder(cai, "Clinic", power=4)
    # Food bank: no power rating; legitimate for 1 of 2 (not > 1); urgent for 2 of 2.
    w.stakeholder(ana, "Food bank", legitimacy=True, urgency=True)
    w.stakeholder(ben, "Food bank", urgency=True)
    # Landlords: power exactly 3 is not high, so all three ticks give "dependent".
    w.stakeholder(cai, "Landlords", power=3, legitimacy=True, urgency=True)

    found = _by_name(compute_metrics(w.build()).stakeholders)

    assert found["Clinic"].salience == "dominant"
    assert found["Food bank"].salience == "demanding"
    assert found["Landlords"].salience == "dependent"


def test_degree_and_betweenness_on_a_hand_drawn_map() -> None:
    #   A - B - C        B is on every path between {A, C} and {D, E} and between A and C;
    #       |            D is on the paths from E to A, B and C.
    #       D - E
    w = SnapshotBuilder()
    ana, ben = w.participant(), w.participant()
    a, b, c, d, e = (w.stakeholder(ana, name) for name in "ABCDE")
    for source, target in ((a, b), (b, c), (b, d), (d, e)):
        w.link(ana, source, target)
    # Ben names A and B too (B spelled differently) and links them again: one more
    # relation for their degree, the same edge for betweenness.
    w.link(ben, w.stakeholder(ben, "a"), w.stakeholder(ben, "the B"))
    w.link(ben, w.stakeholder(ben, "C"), c)  # a link from C to itself is left out

    metrics = compute_metrics(w.build())
    found = _by_name(metrics.stakeholders)

    assert {name: s.degree for name, s in found.items()} == {"A": 2, "B": 4, "C": 1, "D": 2, "E": 1}
    # Pairs of the other 4 nodes a shortest path through B: AC, AD, AE, CD, CE = 5;
    # through D: EA, EB, EC = 3. Normalised by (n - 1)(n - 2) / 2 = 6 pairs.
    assert found["B"].betweenness == pytest.approx(5 / 6)
    assert found["D"].betweenness == pytest.approx(3 / 6)
    assert found["A"].betweenness == found["C"].betweenness == found["E"].betweenness == 0.0
    assert [s.name for s in metrics.most_connected] == ["B", "D", "A", "C", "E"]
    assert metrics.betweenness_samples is None  # small maps are computed exactly


def test_two_linked_stakeholders_have_no_betweenness() -> None:
    w = SnapshotBuilder()
    ana = w.participant()
    w.link(ana, w.stakeholder(ana, "Council"), w.stakeholder(ana, "Bus operator"))

    found = _by_name(compute_metrics(w.build()).stakeholders)

    assert (found["Council"].degree, found["Council"].betweenness) == (1, 0.0)


def test_the_same_conflict_named_by_several_people_is_merged_and_counted() -> None:
    w = SnapshotBuilder()
    ana, ben, cai = w.participant(), w.participant(), w.participant()
    # Ana and Ben name the same conflict, in opposite directions and spellings.
    w.link(
        ana, w.stakeholder(ana, "Council"), w.stakeholder(ana, "Bus operator"), Relation.CONFLICTS
    )
    w.link(
        ben,
        w.stakeholder(ben, "bus operator"),
        w.stakeholder(ben, "The Council"),
        Relation.CONFLICTS,
    )
    # Cai: the council conflicts with the food bank, and also collaborates with it.
    council, food = w.stakeholder(cai, "Council"), w.stakeholder(cai, "Food bank")
    w.link(cai, council, food, Relation.CONFLICTS)
    w.link(cai, food, council, Relation.COLLABORATES)
    # The same two names in another scenario are another pair.
    w.link(
        cai,
        w.stakeholder(cai, "Council", scenario=MOBILITY),
        w.stakeholder(cai, "Bus operator", scenario=MOBILITY),
        Relation.CONFLICTS,
        scenario=MOBILITY,
    )

    metrics = compute_metrics(w.build())

    # Most named first; ties by the names; each pair in name order; first spelling wins ties.
    assert [(c.scenario, c.source, c.target, c.count) for c in metrics.conflicts] == [
        ("telehealth_older", "Bus operator", "Council", 2),
        ("mobility_older", "Bus operator", "Council", 1),
        ("telehealth_older", "Council", "Food bank", 1),
    ]
    # One actor per stakeholder of the workshop: Cai's mobility Council is the same Council.
    found = {s.name: s for s in metrics.stakeholders}
    assert (found["Council"].mentions, found["Council"].conflicts, found["Council"].degree) == (
        4,
        4,
        5,
    )
    assert (found["Bus operator"].conflicts, found["Food bank"].conflicts) == (3, 1)
    assert found["Food bank"].degree == 2
    parts = {p.scenario: p.mentions for p in found["Council"].parts}
    assert parts == {"telehealth_older": 3, "mobility_older": 1}
    assert found["Council"].scenario == "telehealth_older"  # where it is named most
