"""On Slack a citizen naming a stakeholder gets buttons for the actors already named."""

from __future__ import annotations

from sqlmodel import col, select

from storage.models import Participant, Stakeholder
from tests.citizen import CITIZEN_LINES
from tests.e2e.slack.helpers import SlackWorld, all_text

#: From the first message to the first stakeholder name of scenario 1.
TO_MESO = ["hello", *(line for line, _ in CITIZEN_LINES[:13]), "1"]
DETAILS = ["government", "funder", "4", "4", "none", "none", "yes", "no"]


async def test_a_button_picks_an_actor_another_citizen_named(slack: SlackWorld) -> None:
    world = slack
    for line in [*TO_MESO, "Urban lab", *DETAILS]:
        await world.say_and_wait("U1", line)
    for line in TO_MESO:
        await world.say_and_wait("U2", line)
    prompt = world.api.posted(world.api.dm_channel("U2"))[-1]
    assert "1) Urban lab" in all_text(prompt) and "2) A new one (type its name)" in all_text(prompt)

    await world.press("U2", prompt, "Urban lab")
    await world.say_and_wait("U2", "academia")

    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym("U2"))
        ).one()
        names = s.exec(
            select(Stakeholder.name)
            .where(Stakeholder.participant_id == person.id)
            .order_by(col(Stakeholder.id))
        ).all()
    assert names == []  # not stored before the confirmation step
    for line in DETAILS[1:]:
        await world.say_and_wait("U2", line)
    with world.store.session() as s:
        names = s.exec(
            select(Stakeholder.name)
            .where(Stakeholder.participant_id == person.id)
            .order_by(col(Stakeholder.id))
        ).all()
    assert names == ["Urban lab"]
