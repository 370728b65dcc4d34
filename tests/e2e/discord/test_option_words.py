"""Issue 11 item 6 on Discord: a citizen types words in her private thread.

The unmodified discord.py client against the loopback Discord; "council",
"elderly", "出行" and "M" pick their options, "goverment" gets a one-line menu.
"""

from __future__ import annotations

from sqlmodel import select

from bot.escape import discord_text
from bot.testing.discord_harness import DiscordHarness
from storage.models import Participant, Requirement, Stakeholder
from storage.store import Store


async def test_a_citizen_types_synonyms_short_words_and_letters(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    _, handled = await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    assert handled.step == "consent"
    thread = h.thread_of("alice")
    await h.say("alice", thread, "yes")
    handled = await h.say("alice", thread, "goverment")
    assert handled.step == "helix"
    assert h.fake.sent_to(thread)[-1].content == discord_text(
        "I could not match “goverment” exactly. Did you mean 1) Government? Type its number."
    )
    await h.say("alice", thread, "1")
    handled = await h.say("alice", thread, "出行, health")
    assert handled.step == "importance"
    for line in ("5", "2", "No bus on Sundays", "skip", "yes", "4", "1", "No clinic", "skip"):
        handled = await h.say("alice", thread, line)
    handled = await h.say("alice", thread, "yes")
    assert handled.step == "scenario"
    for line in ("1", "City council", "council", "pays", "5", "3", "none", "elderly", "yes"):
        handled = await h.say("alice", thread, line)
    handled = await h.say("alice", thread, "no")
    assert handled.step == "scenario_more"
    handled = await h.say("alice", thread, "no")  # no other situation
    assert handled.step == "module"
    for line in ("Clinic bus", "出行", "a resident over 70", "to ride to the clinic", "skip"):
        handled = await h.say("alice", thread, line)
    assert handled.step == "moscow"
    handled = await h.say("alice", thread, "M")
    assert handled.step == "acceptance"
    pseudonym = h.bot.runtime.router.pseudonym_for("discord", h.user("alice"))
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        assert person.helix == "government"
        holder = s.exec(select(Stakeholder).where(Stakeholder.participant_id == person.id)).one()
        assert (holder.helix, holder.role, holder.vulnerable) == (
            "government",
            "funder",
            ["older_people"],
        )
    for line in ("skip", "yes"):
        await h.say("alice", thread, line)
    with store.session() as s:
        req = s.exec(select(Requirement).where(Requirement.participant_id == person.id)).one()
        assert (req.domain_code, req.moscow) == ("mobility", "must")
