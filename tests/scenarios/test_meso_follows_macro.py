"""Issue 11, item 9: meso uses what Ivy said in macro, and she may look at a second scenario.

Ivy chose water and safety in macro. The scenarios touching them come first,
each saying which of her domains it touches; the others follow, unmarked. After
her first scenario she is asked "another scenario?", and the one she has done is
not offered again. Her stakeholders and link are stored under the scenario they
belong to. A workshop with a single scenario never asks.
"""

from __future__ import annotations

from sqlmodel import select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.library import scenario_library
from storage.models import Scenario, Stakeholder, StakeholderLink
from storage.workshops import ScenarioSeed

#: Consent, group, the domains water and safety with a need each.
MACRO = [
    "yes",
    "4",
    "safety, water",
    "5",
    "1",
    "Streets flood after every storm",
    "skip",
    "yes",
    "4",
    "2",
    "Tap water tastes of chlorine",
    "skip",
    "yes",
]
STAKEHOLDER = ["1", "3", "4", "4", "none", "none", "yes"]  # after the name


def _options(text: str) -> list[str]:
    return [
        line.split(") ", 1)[1]
        for line in text.splitlines()
        if line[:4].strip().rstrip(")").isdigit()
    ]


def test_ivy_sees_her_domains_first_and_does_a_second_scenario(app: Runtime) -> None:
    ivy = ChatHarness(app.router, user="ivy", workshop="city")
    ivy.start()
    for line in MACRO:
        ivy.say(line)
    assert ivy.step == "scenario"
    touching = [s for s in scenario_library() if {"safety", "water"} & set(s.domains)]
    others = [s for s in scenario_library() if s not in touching]
    shown = _options(ivy.text)
    assert len(shown) == len(scenario_library()) == len(touching) + len(others)
    marked = [o for o in shown if "(your domains:" in o]
    assert len(marked) == len(touching) == 5
    assert shown[: len(touching)] == marked  # the matching ones come first, in library order
    assert (
        shown[0] == "Flood response in low-lying streets"
        " (your domains: Safety and emergencies, Water and sanitation)"
    )
    assert shown[len(touching) :] == [s.title["en"] for s in others]

    ivy.say("1")  # flood response
    ivy.say("Fire brigade")
    for line in STAKEHOLDER:
        ivy.say(line)
    ivy.say("no")  # no more stakeholders: one is too few for links
    assert ivy.step == "scenario_more" and "another situation" in ivy.text
    ivy.say("yes")
    assert ivy.step == "scenario"
    again = _options(ivy.text)
    assert len(again) == len(scenario_library()) - 1
    assert not any(o.startswith("Flood response") for o in again)
    ivy.say("1")  # now the first one is heat waves (safety)
    for name in ("Water utility", "Residents' association"):
        ivy.say(name)
        for line in STAKEHOLDER:
            ivy.say(line)
        ivy.say("yes" if name == "Water utility" else "no")
    assert ivy.step == "link_ask"
    for line in ("yes", "1", "serves", "1", "yes", "no"):
        ivy.say(line)
    assert ivy.step == "scenario_more"
    ivy.say("no")
    assert ivy.step == "module"

    with app.store.session() as s:
        codes = {sc.id: sc.code for sc in s.exec(select(Scenario)).all()}
        holders = s.exec(select(Stakeholder).order_by(Stakeholder.seq)).all()
        assert [(h.name, codes[h.scenario_id]) for h in holders] == [
            ("Fire brigade", "flood_response"),
            ("Water utility", "heat_wave"),
            ("Residents' association", "heat_wave"),
        ]
        [link] = s.exec(select(StakeholderLink)).all()
        assert (link.source_id, link.relation, link.target_id) == (
            holders[1].id,
            "serves",
            holders[2].id,
        )
        assert codes[link.scenario_id] == "heat_wave"


def test_a_workshop_with_one_scenario_does_not_offer_another(app: Runtime) -> None:
    flood = next(s for s in scenario_library() if s.code == "flood_response")
    app.store.create_workshop(
        "one",
        "One scenario",
        scenarios=[ScenarioSeed(flood.code, flood.title, flood.description, flood.domains)],
    )
    jo = ChatHarness(app.router, user="jo", workshop="one")
    jo.start()
    for line in MACRO:
        jo.say(line)
    assert jo.step == "scenario"
    jo.say("1")
    jo.say("Fire brigade")
    for line in STAKEHOLDER:
        jo.say(line)
    jo.say("no")
    assert jo.step == "module"
