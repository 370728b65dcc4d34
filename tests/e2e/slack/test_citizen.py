"""Must-show 1: a citizen completes macro → meso → micro through signed Slack payloads.

Typed lines are ``message.im`` events; some choices are button presses, menu
picks and multi-select + Send (``block_actions`` built from the blocks the bot
actually posted), and the micro requirement is the modal (``views.open`` →
``view_submission``). After every line the stored step is the one
``CITIZEN_LINES`` expects, and what the bot posted is exactly the core's reply
text (escaped for Slack), checked against a reference participant on the
router. The answers end up stored, once.
"""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.escape import slack_text
from bot.testing.harness import ChatHarness
from bot.testing.slack_api import Message
from bot.testing.slack_events import button_action, find_element, view_submission
from storage.models import Conversation, Participant, ProcessedDelivery
from tests.citizen import CITIZEN_LINES, assert_citizen_stored
from tests.e2e.slack.helpers import SlackWorld, all_text

USER = "U1"
CHANNEL = "C0WORKSHOP"

#: How some lines are answered instead of typing them: index in CITIZEN_LINES → gesture.
GESTURES: dict[int, tuple[str, object]] = {
    0: ("press", "Yes"),  # consent
    1: ("press", "Civil society and residents"),  # helix, 4 buttons
    2: ("multi", ["mobility", "health"]),  # domains, multi-select + Send
    12: ("press", "Yes"),  # need_confirm
    13: ("select", "telehealth_older"),  # scenario, 14 options → menu
    15: ("press", "Government"),  # sh_helix
    16: ("select", "funder"),  # sh_role, 6 options → menu
    19: ("multi", ["legitimacy", "urgency"]),  # sh_salience
    33: ("pick", 1),  # link_source (stakeholder pick)
    40: ("pick", 1),  # req_domain
    47: ("press", "No"),  # req_more
}
FORM_FIRST = 41  # as_a … acceptance (five lines) go through the modal
FORM_LAST = 45


def _step(world: SlackWorld, user: str) -> str | None:
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(user))
        ).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return None if conv.finished else conv.step


def _shown(messages: list[Message]) -> list[str]:
    return [all_text(m) for m in messages]


def _expected(replies: list) -> list[str]:  # type: ignore[type-arg]
    return [slack_text(r.text) for r in replies]


def _prompt(world: SlackWorld, user: str) -> Message:
    """The bot's latest message with interactive elements in the user's DM."""
    channel = world.api.dm_channel(user)
    return next(
        m
        for m in reversed(world.api.posted(channel))
        if any(b.get("type") == "actions" for b in m.blocks)
    )


async def _setup_channel(world: SlackWorld) -> None:
    texts = await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    assert any("now runs the workshop city" in t for t in texts), texts
    assert world.store.workshop_of_channel("slack", CHANNEL) is not None


async def test_a_citizen_answers_every_tier_through_slack(slack: SlackWorld) -> None:
    world = slack
    await _setup_channel(world)
    ref = ChatHarness(world.stack.runtime.router, user="reference", workshop="city")
    ref_start = await asyncio.to_thread(ref.start)

    # /cityneeds join in the workshop channel: the conversation starts in a DM.
    dm = world.api.dm_channel(USER)
    texts = await world.command_and_wait(USER, CHANNEL, "join")
    assert texts == ["I sent you a direct message. Please answer there."]
    assert _shown(world.api.posted(dm)) == _expected(ref_start)

    line_index = 0
    while line_index < len(CITIZEN_LINES):
        line, expected_step = CITIZEN_LINES[line_index]
        seen = len(world.api.posted(dm))
        if line_index == FORM_FIRST:
            await _answer_with_form(world, ref, line_index)
            line_index = FORM_LAST + 1
            continue
        ref_replies = await asyncio.to_thread(ref.say, line)
        gesture = GESTURES.get(line_index)
        prompt = _prompt(world, USER) if gesture else None
        if gesture is None:
            await world.say_and_wait(USER, line)
        elif gesture[0] == "press":
            assert prompt is not None
            await world.press(USER, prompt, str(gesture[1]))
        elif gesture[0] == "select":
            assert prompt is not None
            await world.select(USER, prompt, str(gesture[1]))
        elif gesture[0] == "multi":
            assert prompt is not None
            await world.multi(USER, prompt, list(gesture[1]))  # type: ignore[call-overload]
        else:
            assert prompt is not None
            block_id, element = find_element(prompt.blocks, action_id=f"cn_pick_{gesture[1]}")
            await world.act(USER, prompt, button_action(block_id, element))
        assert _step(world, USER) == expected_step, (line_index, line)
        assert _shown(world.api.posted(dm)[seen:]) == _expected(ref_replies), (line_index, line)
        if gesture is not None:
            # The pressed message now shows the answer instead of its buttons.
            assert prompt is not None
            updated = world.api.message(dm, prompt.ts)
            assert updated is not None and updated.updates == 1
            assert not any(b["type"] == "actions" for b in updated.blocks)
            assert "Your answer:" in all_text(updated)
        line_index += 1

    assert_citizen_stored(world.store, world.pseudonym(USER))
    posts = world.api.calls_to("chat.postMessage", ok=True)
    assert posts and all(c.params["mrkdwn"] is False for c in posts)
    assert world.api.limit_violations == 0
    with world.store.session() as s:
        deliveries = s.exec(select(ProcessedDelivery)).all()
    # One stored delivery per event, press, command and form step: nothing was processed twice.
    ids = [d.delivery_id for d in deliveries]
    assert len(ids) == len(set(ids))


async def _answer_with_form(world: SlackWorld, ref: ChatHarness, first: int) -> None:
    lines = CITIZEN_LINES[first : FORM_LAST + 1]
    assert [step for _, step in CITIZEN_LINES[first - 1 : FORM_LAST]] == [
        "as_a",
        "i_want",
        "so_that",
        "moscow",
        "acceptance",
    ]
    dm = world.api.dm_channel(USER)
    prompt = _prompt(world, USER)
    block_id, element = find_element(prompt.blocks, label="Fill in as a form")
    views_before = len(world.api.views)
    await world.act(USER, prompt, button_action(block_id, element))
    await world.api.wait_for(lambda: len(world.api.views) > views_before)
    view = world.api.views[-1]
    assert view["callback_id"] == "cn_requirement_form"
    assert [b["block_id"] for b in view["blocks"]] == [
        "as_a",
        "i_want",
        "so_that",
        "moscow",
        "acceptance",
    ]
    values = dict(
        zip(
            ("as_a", "i_want", "so_that", "moscow", "acceptance"),
            (line for line, _ in lines),
            strict=True,
        )
    )
    ref_replies = []
    for line, _ in lines:
        ref_replies = await asyncio.to_thread(ref.say, line)
    seen = len(world.api.posted(dm))
    before = world.bot.stats["form.turn"]
    delivered = await world.events.interaction(view_submission(USER, view, values))
    assert delivered.status == 200 and delivered.body == ""
    await world.api.wait_for(lambda: world.bot.stats["form.turn"] > before, timeout=15)
    await world.bot.wait_idle(15)
    assert _step(world, USER) == "req_confirm"
    assert _shown(world.api.posted(dm)[seen:]) == _expected(ref_replies)
    summary = all_text(world.api.posted(dm)[-1])
    assert "a resident over 70" in summary and "Must have" in summary
