"""A micro requirement given as one form (a Slack or Discord modal) instead of five prompts."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.app.events import InboundEvent
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from flows.messages import ReplyKind
from storage.models import Requirement
from tests.citizen import CITIZEN_LINES

AT_AS_A = [line for line, _ in CITIZEN_LINES[: CITIZEN_LINES.index(("1", "as_a")) + 1]]


def _at_as_a(app: Runtime, user: str) -> ChatHarness:
    chat = ChatHarness(app.router, user=user, workshop="city")
    chat.start()
    for line in AT_AS_A:
        chat.say(line)
    assert chat.step == "as_a"
    return chat


def _form(user: str, delivery: str) -> InboundEvent:
    return InboundEvent(
        platform="test", user_id=user, text="", workshop="city", delivery_id=delivery
    )


ANSWERS = [
    ("as_a", "a wheelchair user"),
    ("i_want", "step-free routes in the trip planner"),
    ("so_that", ""),
    ("moscow", "must"),
    ("acceptance", "Given a trip, when I ask for step-free, then no stairs are on the route"),
]


def test_a_form_answers_five_steps_and_lands_on_the_summary(app: Runtime) -> None:
    chat = _at_as_a(app, "form-user")
    response = asyncio.run(app.router.submit_form(_form("form-user", "view-1"), ANSWERS))
    assert response.replies[-1].step == "req_confirm"
    summary = response.replies[-1].text
    assert "a wheelchair user" in summary and "step-free routes" in summary
    # The same form delivered again (a retried submit) changes nothing.
    again = asyncio.run(app.router.submit_form(_form("form-user", "view-1"), ANSWERS))
    assert again.duplicate and again.replies == []
    assert chat.say("yes")[-1].step == "req_more"
    with app.store.session() as s:
        reqs = s.exec(select(Requirement)).all()
    assert [(r.as_a, r.so_that, r.moscow) for r in reqs] == [("a wheelchair user", None, "must")]


def test_a_form_stops_at_the_first_rejected_field_and_keeps_the_rest_typed(app: Runtime) -> None:
    chat = _at_as_a(app, "form-bad")
    bad = [ANSWERS[0], ("i_want", "x"), *ANSWERS[2:]]
    response = asyncio.run(app.router.submit_form(_form("form-bad", "view-2"), bad))
    assert any(r.kind == ReplyKind.ERROR for r in response.replies)
    assert chat.say("to hear the next stop announced")[-1].step == "so_that"
