"""Issue 14, item 9: a click and then a typed answer are handled in the order Discord sent them.

Alice presses "5" for importance and, before the bot has answered, types "2" for
satisfaction. The click is deferred (an HTTP call) before it is handled; the
typed answer must still wait for it: importance 5, satisfaction 2, no stale
click. The same when both arrive in one burst as the bot resumes its session.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.testing.discord_harness import DiscordHarness
from storage.models import Need, Participant
from storage.store import Store
from tests.e2e.discord.helpers import rejected


async def _to_importance(h: DiscordHarness) -> str:
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line, step in [("yes", "helix"), ("4", "domains"), ("mobility", "importance")]:
        assert (await h.say("alice", thread, line)).step == step
    return thread


def _needs(store: Store, pseudonym: str) -> list[tuple[int | None, int | None, str]]:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        needs = s.exec(select(Need).where(Need.participant_id == person.id)).all()
        return [(n.importance, n.satisfaction, n.text) for n in needs]


@pytest.mark.parametrize("resume", [False, True], ids=["live", "after-resume"])
async def test_a_click_then_a_typed_answer_are_handled_in_that_order(
    discord: DiscordHarness, store: Store, resume: bool
) -> None:
    h, fake = discord, discord.fake
    thread = await _to_importance(h)
    prompt = h.last_with_components(thread)
    assert "cn:b:importance:#5" in prompt.custom_ids()
    resumes = fake.resumes
    if resume:
        await fake.drop("close")

    click = await fake.click(h.user("alice"), prompt, "cn:b:importance:#5")
    typed = await fake.user_message(h.user("alice"), thread, "2")
    clicked = await h.adapter.wait_handled(click.id)
    answered = await h.adapter.wait_handled(str(typed["id"]))

    assert clicked.error is None and answered.error is None
    assert clicked.step == "satisfaction"  # the click was not taken for stale
    assert answered.step == "need_text"
    assert clicked.finished <= answered.started or clicked.finished <= answered.finished
    assert fake.resumes == resumes + (1 if resume else 0)
    assert click.latency is not None and click.latency < 3.0
    texts = [m.content for m in h.messages_of(clicked) + h.messages_of(answered)]
    assert not any(t.startswith("That button belongs to an earlier question") for t in texts)

    for line, step in [
        ("The bus stop is too far from the clinic", "hmw"),
        ("skip", "need_confirm"),
        ("yes", "scenario"),
    ]:
        assert (await h.say("alice", thread, line)).step == step
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    assert _needs(store, pseudonym) == [(5, 2, "The bus stop is too far from the clinic")]
    assert not rejected(fake)
