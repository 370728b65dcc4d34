"""A hand-built workshop: where the helix groups agree and differ, MoSCoW by group,
saturation per tier and what is not covered yet; every figure checked by value."""

from __future__ import annotations

from bot.synthesis import (
    GapAnswer,
    GroupGap,
    NamedRole,
    RequirementVote,
    Scope,
    TieredText,
    Voice,
    compare_groups,
    groups_not_heard,
    missing_roles,
    moscow_by_group,
    saturation,
    uncovered_domains,
)


def answers(
    domain: str, helix: str, gaps: list[float], theme: str | None = None
) -> list[GapAnswer]:
    return [GapAnswer(domain, helix, g, theme) for g in gaps]


WORKSHOP = [
    # Health: every group high -> common ground.
    *answers("health", "government", [12, 15, 18], "t-health-1"),
    *answers("health", "civil_society", [20, 20, 20], "t-health-1"),
    *answers("health", "academia", [16, 16, 16], "t-health-2"),
    # Housing: government low, residents very high -> the largest spread.
    *answers("housing", "government", [2, 4, 6], "t-housing-1"),
    *answers("housing", "civil_society", [25, 25, 20], "t-housing-1"),
    # Mobility: industry answered once: listed, not compared.
    *answers("mobility", "government", [20, 16, 15]),
    *answers("mobility", "civil_society", [25, 20, 15, 12]),
    *answers("mobility", "industry", [4]),
]


def test_groups_are_compared_only_where_each_has_enough_answers() -> None:
    result = compare_groups(WORKSHOP, min_answers=3, high_gap=12.0)
    mobility = next(c for c in result.by_domain if c.key == "mobility")
    assert mobility.groups == (
        GroupGap("civil_society", 4, 18.0),
        GroupGap("government", 3, 17.0),
        GroupGap("industry", 1, 4.0),
    )
    assert mobility.compared == ("civil_society", "government")
    assert mobility.too_few == ("industry",)
    assert mobility.spread == 1.0
    assert not mobility.common_ground  # industry took part but cannot be judged on one answer


def test_common_ground_is_high_for_every_group_that_took_part() -> None:
    result = compare_groups(WORKSHOP)
    assert [(c.scope, c.key) for c in result.common_ground] == [
        (Scope.DOMAIN, "health"),
        (Scope.THEME, "t-health-1"),  # government 15.0 and residents 20.0 there
    ]
    health = result.common_ground[0]
    assert health.groups == (
        GroupGap("academia", 3, 16.0),
        GroupGap("civil_society", 3, 20.0),
        GroupGap("government", 3, 15.0),
    )
    assert health.spread == 5.0 and health.lowest_compared == 15.0
    # With a higher bar the government's 15 is no longer high.
    assert compare_groups(WORKSHOP, high_gap=16.0).common_ground == ()


def test_where_groups_differ_lists_the_largest_spreads_first_with_the_counts() -> None:
    result = compare_groups(WORKSHOP)
    assert [(c.scope.value, c.key, c.spread) for c in result.differ] == [
        ("domain", "housing", 19.33),
        ("theme", "t-housing-1", 19.33),
        ("domain", "health", 5.0),
        ("theme", "t-health-1", 5.0),
        ("domain", "mobility", 1.0),
    ]
    housing = result.differ[0]
    assert housing.groups == (GroupGap("civil_society", 3, 23.33), GroupGap("government", 3, 4.0))
    # Per theme: t-health-1 has two groups of three, t-health-2 only one group.
    by_theme = {c.key: c for c in result.by_theme}
    assert by_theme["t-health-1"].spread == 5.0 and by_theme["t-health-1"].domain == "health"
    assert by_theme["t-health-2"].spread is None
    assert not by_theme["t-health-2"].common_ground  # one group is no comparison
    # Raising the minimum to four answers leaves only mobility's residents comparable.
    strict = compare_groups(WORKSHOP, min_answers=4)
    assert strict.differ == () and strict.common_ground == ()


def test_moscow_is_counted_per_group_and_per_scenario() -> None:
    votes = [
        RequirementVote("government", "must", "telehealth"),
        RequirementVote("government", "must", "flood"),
        RequirementVote("government", "could", "telehealth"),
        RequirementVote("civil_society", "must", "telehealth"),
        RequirementVote("civil_society", "wont", "telehealth"),
        RequirementVote("civil_society", None, "telehealth"),
        RequirementVote("industry", "should", "flood"),
    ]
    rows = moscow_by_group(votes)
    assert [(r.helix, r.must, r.should, r.could, r.wont, r.unset, r.total) for r in rows] == [
        ("civil_society", 1, 0, 0, 1, 1, 3),
        ("government", 2, 0, 1, 0, 0, 3),
        ("industry", 0, 1, 0, 0, 0, 1),
    ]
    telehealth = moscow_by_group(votes, scenario="telehealth")
    assert [(r.helix, r.must, r.could, r.total) for r in telehealth] == [
        ("civil_society", 1, 0, 3),
        ("government", 1, 1, 2),
    ]


def test_saturation_counts_the_new_themes_of_the_last_25_and_50_texts_per_tier() -> None:
    texts: list[TieredText] = []
    theme_of: dict[str, str] = {}
    # Macro: 60 needs; themes A, B, C from the start, D first appears at need 20.
    for i in range(60):
        key = f"need:{i}"
        texts.append(TieredText(key, "macro", i))
        theme_of[key] = "D" if i == 20 else "ABC"[i % 3]
    # Micro: 55 requirements, every theme seen within the first five.
    for i in range(55):
        key = f"req:{i}"
        texts.append(TieredText(key, "micro", 100 + i))
        theme_of[key] = "XY"[i % 2]
    # Meso-level texts that were not themed are ignored.
    texts.append(TieredText("stray:1", "meso", 1))
    macro, micro = saturation(reversed(texts), theme_of)
    assert (macro.tier, macro.texts, macro.themes) == ("macro", 60, 4)
    assert (macro.new_in_short, macro.new_in_long, macro.saturated) == (0, 1, False)
    assert (micro.tier, micro.texts, micro.themes) == ("micro", 55, 2)
    assert (micro.new_in_short, micro.new_in_long, micro.saturated) == (0, 0, True)
    # Under 50 texts a tier is never called saturated; of 30 needs only D (need 20)
    # first appears in the last 25.
    (few,) = saturation(texts[:30], theme_of)
    assert (few.texts, few.themes, few.new_in_short, few.new_in_long, few.saturated) == (
        30,
        4,
        1,
        4,
        False,
    )


def test_top_gap_domains_without_a_scenario_or_a_requirement_are_named() -> None:
    gaps = {"housing": 20.0, "mobility": 18.5, "health": 17.0, "energy": 9.0, "food": 3.0}
    scenarios = {"telehealth": ["health", "digital"], "bus-on-demand": ["mobility"]}
    requirements = ["mobility", "mobility", "energy"]
    rows = uncovered_domains(gaps, scenarios, requirements, top=4)
    assert [(r.domain, r.rank, r.mean_gap, r.scenarios, r.requirements) for r in rows] == [
        ("housing", 1, 20.0, (), 0),
        ("health", 3, 17.0, ("telehealth",), 0),
        ("energy", 4, 9.0, (), 1),
    ]
    assert rows[1].has_scenario and not rows[1].has_requirement


def test_scenarios_without_a_regulator_funder_or_operator_and_groups_not_heard() -> None:
    named = [
        NamedRole("telehealth", "operator"),
        NamedRole("telehealth", "regulator"),
        NamedRole("telehealth", "funder"),
        NamedRole("flood", "operator"),
        NamedRole("flood", None),
    ]
    rows = missing_roles(["telehealth", "flood", "heat"], named)
    assert [(r.scenario, r.missing, r.stakeholders) for r in rows] == [
        ("flood", ("regulator", "funder"), 2),
        ("heat", ("regulator", "funder", "operator"), 0),
    ]
    voices = [
        Voice("telehealth", "government"),
        Voice("telehealth", "civil_society"),
        Voice("telehealth", "civil_society"),
        Voice("flood", "industry"),
    ]
    heard = groups_not_heard(["telehealth", "flood"], voices)
    assert [(v.scenario, v.heard, v.not_heard) for v in heard] == [
        ("telehealth", (("civil_society", 2), ("government", 1)), ("industry", "academia")),
        ("flood", (("industry", 1),), ("government", "academia", "civil_society")),
    ]
