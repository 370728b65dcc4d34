"""Issue 11 item 6 on Slack: a citizen types words ("council", "wast", "M") in her DM.

Signed ``message.im`` events against the loopback Web API double; the stored
answers and the posted menu are checked by value.
"""

from __future__ import annotations

from sqlmodel import select

from storage.models import Participant, Stakeholder
from tests.e2e.slack.helpers import SlackWorld, all_text

USER = "U2"
CHANNEL = "C0WORKSHOP"


async def test_a_citizen_is_understood_by_synonyms_and_offered_a_short_menu(
    slack: SlackWorld,
) -> None:
    world = slack
    texts = await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    assert any("now runs the workshop city" in t for t in texts), texts
    await world.command_and_wait(USER, CHANNEL, "join")
    await world.say_and_wait(USER, "yes")
    await world.say_and_wait(USER, "Resident")  # the script's synonym for civil society
    posted = await world.say_and_wait(USER, "wast")  # waste or wastewater?
    assert all_text(posted[0]) == (
        "“wast” fits more than one option: 11) Waste and recycling, 16) Water and sanitation."
        " Type the number of the one you mean."
    )
    await world.say_and_wait(USER, "11")
    for line in ("5", "1", "Bins overflow every weekend", "skip", "yes", "1", "City council"):
        await world.say_and_wait(USER, line)
    await world.say_and_wait(USER, "council")  # the script's synonym for Government
    await world.say_and_wait(USER, "sponsor")
    for line in ("5", "3", "none", "elderly", "yes"):
        await world.say_and_wait(USER, line)
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(USER))
        ).one()
        assert person.helix == "civil_society"
        holder = s.exec(select(Stakeholder).where(Stakeholder.participant_id == person.id)).one()
        assert (holder.name, holder.helix, holder.role, holder.vulnerable) == (
            "City council",
            "government",
            "funder",
            ["older_people"],
        )
