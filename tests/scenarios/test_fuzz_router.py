"""Fuzz the router and storage: generated messages and buttons keep the database consistent."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from bot.app.staff.parse import is_staff_text
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.state import ConversationState
from storage.models import (
    Conversation,
    Need,
    Participant,
    Requirement,
    Stakeholder,
    StakeholderLink,
)
from tests.citizen import LINES
from tests.fuzz_inputs import STEPS, WORDS

_users = itertools.count()
actions = st.lists(
    st.one_of(
        st.tuples(
            st.just("say"),
            st.one_of(st.sampled_from(LINES), st.sampled_from(WORDS), st.text(max_size=80)),
        ),
        st.tuples(st.just("press"), st.sampled_from(WORDS)),
        st.tuples(st.just("retry"), st.sampled_from(LINES)),
    ),
    min_size=20,
    max_size=40,
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(batch=actions, step=st.sampled_from(STEPS))
def test_generated_traffic_keeps_the_database_consistent(
    app: Runtime, batch: list[tuple[str, str]], step: str
) -> None:
    chat = ChatHarness(app.router, user=f"fuzz-{next(_users)}", workshop="city")
    chat.start()
    turns = 1
    for number, (kind, text) in enumerate(batch):
        if kind == "say":
            replies = chat.say(text, delivery_id=f"{chat.user}-{number}")
        elif kind == "press":
            replies = chat.press(text, step=chat.step or step)
        else:
            chat.say(text, delivery_id=f"{chat.user}-dup-{number}")
            replies = chat.say(text, delivery_id=f"{chat.user}-dup-{number}")  # retried
            assert replies == [] and chat.last is not None and chat.last.duplicate
            turns += 1
            continue
        # A staff command ("!A") goes to the staff desk, not through a turn.
        turns += 0 if kind == "say" and is_staff_text(text) else 1
        assert replies and all(0 < len(r.text) <= 2000 for r in replies)
    with app.store.session() as s:
        person = s.exec(
            select(Participant).where(
                Participant.pseudonym == app.router.pseudonym_for("test", chat.user)
            )
        ).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        assert conv.version == turns  # each turn stored once, retries not at all
        ConversationState.model_validate(conv.state)
        for need in s.exec(select(Need).where(Need.participant_id == person.id)):
            assert need.text and (need.importance is None or 1 <= need.importance <= 5)
        names = {
            h.id for h in s.exec(select(Stakeholder).where(Stakeholder.participant_id == person.id))
        }
        for link in s.exec(
            select(StakeholderLink).where(StakeholderLink.participant_id == person.id)
        ):
            assert {link.source_id, link.target_id} <= names and link.source_id != link.target_id
        for req in s.exec(select(Requirement).where(Requirement.participant_id == person.id)):
            assert (
                req.as_a and req.i_want and req.moscow in (None, "must", "should", "could", "wont")
            )
