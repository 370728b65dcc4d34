"""Must-show 3: Slack's retries (``X-Slack-Retry-Num`` 1–3) of one event are processed once.

A retry finds the event's inbox row (same ``event_id`` or ``trigger_id``) and is
acknowledged without being handled again (``request.redelivered``).
"""

from __future__ import annotations

import asyncio

from sqlmodel import select

from bot.testing.slack_events import (
    block_actions,
    button_action,
    event_callback,
    find_element,
    message_event,
    slash_command,
)
from storage.models import ChannelBinding, Conversation, Participant, ProcessedDelivery
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually, payload_message


def _conversation_version(world: SlackWorld, user: str) -> int:
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym(user))
        ).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.version


async def _deliver_four_times(world: SlackWorld, envelope: dict, *, together: bool) -> None:  # type: ignore[type-arg]
    attempts = [None, 1, 2, 3]
    if together:
        results = await asyncio.gather(
            *(world.events.event(envelope, retry_num=n) for n in attempts)
        )
    else:
        results = [await world.events.event(envelope, retry_num=n) for n in attempts]
    assert [r.status for r in results] == [200, 200, 200, 200]
    await eventually(
        lambda: world.bot.stats["message.turn"] + world.bot.stats["request.redelivered"] >= 4
    )
    await world.bot.wait_idle(15)


async def test_an_event_delivered_four_times_is_processed_once(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U1")
    envelope = event_callback(message_event("U1", dm, "hello"), event_id="Ev0RETRY000001")
    await _deliver_four_times(world, envelope, together=False)
    assert world.bot.stats["message.turn"] == 1
    assert world.bot.stats["request.redelivered"] == 3
    assert world.bot.stats["message.duplicate"] == 0
    assert world.store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 3}
    posted = [all_text(m) for m in world.api.posted(dm)]
    assert len(posted) == len(set(posted)) == 3  # welcome, part intro, consent prompt: once each
    assert "Do you agree?" in posted[-1]
    assert _conversation_version(world, "U1") == 1
    with world.store.session() as s:
        rows = s.exec(
            select(ProcessedDelivery).where(ProcessedDelivery.delivery_id == "Ev0RETRY000001")
        ).all()
    assert len(rows) == 1


async def test_retries_racing_the_first_delivery_are_processed_once(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U2")
    await world.say_and_wait("U2", "hello")
    seen = len(world.api.posted(dm))
    envelope = event_callback(message_event("U2", dm, "yes"), event_id="Ev0RETRY000002")
    before = world.bot.stats["message.turn"]
    await _deliver_four_times(world, envelope, together=True)
    assert world.bot.stats["message.turn"] == before + 1
    assert world.bot.stats["request.redelivered"] == 3
    new = world.api.posted(dm)[seen:]
    assert len(new) == 1 and "Which group do you mainly speak for?" in all_text(new[0])
    assert _conversation_version(world, "U2") == 2


async def test_a_press_delivered_twice_answers_once(slack: SlackWorld) -> None:
    world = slack
    dm = world.api.dm_channel("U3")
    await world.say_and_wait("U3", "hello")
    prompt = world.api.posted(dm)[-1]
    block_id, element = find_element(prompt.blocks, label="Yes")
    payload = block_actions(
        "U3",
        channel=dm,
        message=payload_message(prompt),
        action=button_action(block_id, element),
        response_url=world.api.response_url("press"),
        trigger_id="trig-same-press",
    )
    seen = len(world.api.posted(dm))
    first, second = await asyncio.gather(
        world.events.interaction(payload), world.events.interaction(payload)
    )
    assert first.status == second.status == 200
    await eventually(
        lambda: world.bot.stats["action.turn"] + world.bot.stats["request.redelivered"] == 2
    )
    await world.bot.wait_idle(15)
    assert world.bot.stats["action.turn"] == 1
    assert len(world.api.posted(dm)[seen:]) == 1
    assert len(world.api.calls_to("chat.update", ok=True)) == 1
    assert _conversation_version(world, "U3") == 2


async def test_a_setup_command_delivered_twice_binds_once(slack: SlackWorld) -> None:
    world = slack
    form = slash_command(
        "UADMIN",
        "C0TWICE",
        "setup city",
        response_url=world.api.response_url("twice"),
        trigger_id="trig-same-setup",
    )
    a, b = await asyncio.gather(world.events.command(form), world.events.command(form))
    assert a.status == b.status == 200
    await world.api.wait_for(lambda: len(world.api.responses.get("twice", [])) >= 1)
    await world.bot.wait_idle(15)
    with world.store.session() as s:
        bindings = s.exec(select(ChannelBinding)).all()
        deliveries = s.exec(
            select(ProcessedDelivery).where(ProcessedDelivery.delivery_id == "cmd:trig-same-setup")
        ).all()
    assert [(b.channel_id, b.purpose) for b in bindings] == [("C0TWICE", "workshop")]
    assert len(deliveries) == 1
    assert len(world.api.responses["twice"]) == 1  # "now runs the workshop" said once
