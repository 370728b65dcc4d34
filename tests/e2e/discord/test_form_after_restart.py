"""Issue 14, item 11: a requirement form opened before a restart is handled when submitted after.

The modal is read from its custom id and the submitted fields, not from
anything the bot kept in memory. If the participant answered by typing in the
meantime, the form is answered privately with the stale notice and the current
question, and nothing it held is stored.
"""

from __future__ import annotations

from sqlmodel import select

from bot.testing.discord_api import InteractionRecord
from bot.testing.discord_harness import DiscordHarness
from storage.models import Participant, Requirement
from storage.store import Store
from tests.citizen import CITIZEN_LINES
from tests.e2e.discord.helpers import rejected

FORM_STEPS = ("as_a", "i_want", "so_that", "moscow", "acceptance")
FORM = {
    "cn:form:as_a": "a nurse on night shifts",
    "cn:form:i_want": "to see which buses run after midnight",
    "cn:form:so_that": "I get home safely",
    "cn:form:moscow": "should",
    "cn:form:acceptance": "",
}


async def _open_form(h: DiscordHarness) -> tuple[str, InteractionRecord]:
    """Alice answers up to the requirement and opens the form."""
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line, step in CITIZEN_LINES:
        assert (await h.say("alice", thread, line)).step == step
        if step == "as_a":
            break
    prompt = h.last_with_components(thread)
    opened, handled = await h.click("alice", prompt, "cn:f:as_a")
    assert handled.error is None and opened.modal is not None
    assert opened.modal["custom_id"] == "cn:m:as_a"
    # discord.py keeps nothing of the modal: a restart loses nothing.
    assert h.bot._connection._view_store._modals == {}
    return thread, opened


def _requirements(store: Store, pseudonym: str) -> list[tuple[str, str, str | None]]:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        rows = s.exec(select(Requirement).where(Requirement.participant_id == person.id)).all()
        return [(r.as_a, r.i_want, r.moscow) for r in rows]


async def test_a_form_opened_before_a_restart_is_stored_when_submitted_after_it(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    thread, opened = await _open_form(h)
    await h.restart()
    assert fake.identifies == 2

    submitted, handled = await h.submit("alice", opened, FORM)
    assert handled.error is None and handled.kind == "modal"
    assert handled.step == "req_confirm"
    assert submitted.latency is not None and submitted.latency < 3.0
    [reply] = h.messages_of(handled)
    assert reply.channel_id == thread and not reply.ephemeral
    assert "a nurse on night shifts" in reply.content
    assert (await h.say("alice", thread, "yes")).step == "req_more"
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    assert _requirements(store, pseudonym) == [
        ("a nurse on night shifts", "to see which buses run after midnight", "should")
    ]
    assert not rejected(fake)


async def test_a_form_submitted_after_the_step_moved_on_gets_the_current_question_privately(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    thread, opened = await _open_form(h)
    # She answers by typing instead, then the bot restarts, then she submits the old form.
    assert (await h.say("alice", thread, "a pharmacist")).step == "i_want"
    await h.restart()
    in_thread = [m.id for m in fake.sent_to(thread) if not m.ephemeral]

    submitted, handled = await h.submit("alice", opened, FORM)
    assert handled.error is None and handled.kind == "stale_form"
    assert submitted.latency is not None and submitted.latency < 3.0
    assert submitted.followups and all(m.ephemeral for m in submitted.followups)
    first = submitted.followups[0]
    assert first.content.startswith("That button belongs to an earlier question.")
    assert "Step 4 of 8" in first.content  # the current question: "I want …"
    assert [m.id for m in fake.sent_to(thread) if not m.ephemeral] == in_thread

    for line in ("to book a video visit by phone", "skip", "must", "skip"):
        await h.say("alice", thread, line)
    assert (await h.say("alice", thread, "yes")).step == "req_more"
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    assert _requirements(store, pseudonym) == [
        ("a pharmacist", "to book a video visit by phone", "must")
    ]
    assert not rejected(fake)
