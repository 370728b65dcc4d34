"""Fewer duplicates at the source: citizens naming stakeholders in the meso tier.

Ana names "City council", then types "the City Council!" again: she is told it is
already on her list, and no second row is stored. Ben, who comes later, is offered
the actors Ana named (numbers on the console, buttons on Slack and Discord), always
with "a new one"; he picks one by number and adds a new one by name.
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.actor_step import NEW
from storage.models import Participant, Stakeholder
from tests.citizen import CITIZEN_LINES

#: The lines that take a citizen from joining to the first stakeholder name (scenario 1).
TO_MESO = [line for line, _ in CITIZEN_LINES[:13]] + ["1"]
#: Helix, role, power, interest, salience, vulnerable groups, confirm.
DETAILS = ["government", "funder", "4", "4", "none", "none", "yes"]


def _names(rt: Runtime, user: str) -> list[str]:
    pseudonym = rt.router.pseudonym_for("test", user)
    with rt.store.session() as session:
        person = session.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        rows = session.exec(
            select(Stakeholder)
            .where(Stakeholder.participant_id == person.id)
            .order_by(col(Stakeholder.id))
        ).all()
    return [r.name for r in rows]


def _name_one(chat: ChatHarness, name: str) -> None:
    chat.say(name)
    assert chat.step == "sh_helix", chat.text
    for line in DETAILS:
        chat.say(line)
    assert chat.step == "sh_more", chat.text


def test_the_same_stakeholder_twice_in_one_scenario_is_already_on_the_list(app: Runtime) -> None:
    ana = ChatHarness(app.router, user="ana", workshop="city")
    ana.start()
    for line in TO_MESO:
        ana.say(line)
    assert ana.step == "sh_name"
    _name_one(ana, "City council")
    ana.say("yes")  # another one

    ana.say("the City Council!")
    assert ana.step == "sh_name"
    assert "“City council” is already on your list for this scenario" in ana.text
    _name_one(ana, "Bus company")

    assert _names(app, "ana") == ["City council", "Bus company"]


def test_a_later_citizen_is_offered_the_named_actors_and_a_new_one(app: Runtime) -> None:
    ana = ChatHarness(app.router, user="ana", workshop="city")
    ana.start()
    for line in TO_MESO:
        ana.say(line)
    _name_one(ana, "City council")
    ana.say("yes")
    _name_one(ana, "Bus company")

    ben = ChatHarness(app.router, user="ben", workshop="city")
    ben.start()
    for line in TO_MESO:
        ben.say(line)
    assert ben.step == "sh_name"
    prompt = ben.last.replies[-1] if ben.last else None
    assert prompt is not None
    offered = [(b.number, b.value, b.label) for b in prompt.buttons]
    assert offered == [
        (1, "Bus company", "Bus company"),
        (2, "City council", "City council"),
        (3, NEW, "A new one (type its name)"),
    ]
    assert "  1) Bus company" in prompt.text and "  3) A new one (type its name)" in prompt.text

    _name_one(ben, "2")  # the council, by number
    ben.say("yes")
    prompt = ben.last.replies[-1] if ben.last else None
    assert prompt is not None
    # The council is on Ben's list now: only the bus company is offered, and a new one.
    assert [b.value for b in prompt.buttons] == ["Bus company", NEW]
    ben.press(NEW)
    assert ben.step == "sh_name"
    assert "Type the name of the new person, group or organisation" in ben.text
    _name_one(ben, "Urban lab")
    ben.say("yes")
    ben.say("2")  # "a new one" by number
    assert "Type the name of the new person" in ben.text
    ben.say("City Council")  # typed again by hand: still the same actor
    assert "“City council” is already on your list" in ben.text

    assert _names(app, "ben") == ["City council", "Urban lab"]
