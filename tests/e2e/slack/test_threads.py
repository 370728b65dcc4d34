"""Answering in a thread under the bot's welcome message in a bound channel."""

from __future__ import annotations

from sqlmodel import select

from bot.testing.slack_events import (
    block_actions,
    button_action,
    event_callback,
    find_element,
    message_event,
)
from storage.models import Participant
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually, payload_message

CHANNEL = "C0WORKSHOP"


async def _thread_line(world: SlackWorld, user: str, text: str, thread_ts: str) -> None:
    before = world.bot.stats["message.turn"]
    event = message_event(
        user, CHANNEL, text, channel_type="channel", thread_ts=thread_ts, parent_user_id="U0BOT"
    )
    assert (await world.events.event(event_callback(event))).status == 200
    await eventually(lambda: world.bot.stats["message.turn"] > before)
    await world.bot.wait_idle(10)


async def test_a_citizen_answers_in_the_thread_and_the_bot_replies_there(
    slack: SlackWorld,
) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    welcome = world.api.posted(CHANNEL)[0]
    assert "reply in the thread under this message" in all_text(welcome)
    thread = welcome.ts

    await _thread_line(world, "U5", "hello", thread)
    replies = world.api.posted(CHANNEL)[1:]
    assert replies and all(m.thread_ts == thread for m in replies)
    assert "Do you agree?" in all_text(replies[-1])

    # A button in the thread answers in the thread too.
    prompt = replies[-1]
    block_id, element = find_element(prompt.blocks, label="Yes")
    payload = block_actions(
        "U5",
        channel=CHANNEL,
        message=payload_message(prompt),
        action=button_action(block_id, element),
        response_url=world.api.response_url("thread"),
    )
    seen = len(world.api.posted(CHANNEL))
    assert (await world.events.interaction(payload)).status == 200
    await eventually(lambda: world.bot.stats["action.turn"] == 1)
    await world.bot.wait_idle(10)
    new = world.api.posted(CHANNEL)[seen:]
    assert new and all(m.thread_ts == thread for m in new)
    assert "Which group" in all_text(new[-1])

    await _thread_line(world, "U5", "2", thread)
    with world.store.session() as s:
        person = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym("U5"))
        ).one()
    assert person.helix == "industry"
    assert person.address == world.api.dm_channel("U5")  # reminders go to the DM, not the channel


async def test_chatter_outside_the_bots_threads_is_left_alone(slack: SlackWorld) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    welcome_ts = world.api.posted(CHANNEL)[0].ts
    events = [
        # a top-level message in the workshop channel
        message_event("U1", CHANNEL, "hello everyone", channel_type="channel"),
        # a thread under someone else's message
        message_event(
            "U1", CHANNEL, "hello", channel_type="channel", thread_ts="1.5", parent_user_id="U2"
        ),
        # a thread under the bot in a channel that runs no workshop
        message_event(
            "U1",
            "C0RANDOM",
            "hello",
            channel_type="channel",
            thread_ts="1.6",
            parent_user_id="U0BOT",
        ),
        # an edit (subtype) in the bot's thread
        {
            **message_event(
                "U1",
                CHANNEL,
                "hello",
                channel_type="channel",
                thread_ts=welcome_ts,
                parent_user_id="U0BOT",
            ),
            "subtype": "message_changed",
        },
    ]
    for event in events:
        assert (await world.events.event(event_callback(event))).status == 200
    await eventually(lambda: world.bot.stats["message.ignored"] == len(events))
    await world.bot.wait_idle(10)
    assert len(world.api.posted()) == 1  # only the welcome
    with world.store.session() as s:
        assert s.exec(select(Participant).where(Participant.role == "citizen")).all() == []
