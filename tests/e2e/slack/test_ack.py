"""Must-show 5: a listener whose work takes 5 s still acks in under 3 s.

The double answers ``users.info`` after 5 seconds, so every listener that has
to look the user up (an event, a slash command, a button press) spends 5 s
before it can even reach the router. Slack must still get its HTTP 200 in
under 3 s, measured on the real HTTP request; the work then finishes later and
its replies arrive.
"""

from __future__ import annotations

import asyncio
import time

from bot.testing.slack_events import (
    block_actions,
    button_action,
    event_callback,
    find_element,
    message_event,
    slash_command,
)
from tests.e2e.slack.helpers import SlackWorld, all_text, payload_message

SLOW = 5.0
ACK_LIMIT = 3.0


async def test_listeners_that_take_five_seconds_ack_in_under_three(slack: SlackWorld) -> None:
    world = slack
    api = world.api
    # A prompt with buttons for U3, made while users.info is still fast.
    await world.say_and_wait("U3", "hello")
    prompt = api.posted(api.dm_channel("U3"))[-1]
    block_id, element = find_element(prompt.blocks, label="Yes")
    world.bot.people.forget()  # forget the cached lookup: the press must look U3 up again
    api.delay("users.info", SLOW)

    started = time.monotonic()
    event, command, press = await asyncio.gather(
        world.events.event(event_callback(message_event("U1", api.dm_channel("U1"), "hello"))),
        world.events.command(
            slash_command("U2", "C0ANY", "status", response_url=api.response_url("slow"))
        ),
        world.events.interaction(
            block_actions(
                "U3",
                channel=api.dm_channel("U3"),
                message=payload_message(prompt),
                action=button_action(block_id, element),
                response_url=api.response_url("press"),
            )
        ),
    )
    for delivered in (event, command, press):
        assert delivered.status == 200
        assert delivered.elapsed < ACK_LIMIT, delivered.elapsed

    # The slow work went on after the acks and finished.
    await api.wait_for(lambda: bool(api.posted(api.dm_channel("U1"))), timeout=15)
    await api.wait_for(lambda: bool(api.responses.get("slow")), timeout=15)
    await world.bot.wait_idle(15)
    finished = time.monotonic() - started
    # Each reply was sent after Slack had its ack, and only once the slow lookup of
    # its user had been answered: the work really ran after the ack, not before it.
    dm = api.dm_channel("U1")
    [lookup] = [c for c in api.calls_to("users.info") if c.params.get("user") == "U1"]
    [reply, *_] = [c for c in api.calls_to("chat.postMessage", ok=True) if c.channel == dm]
    assert reply.at > started + event.elapsed
    assert reply.at >= lookup.at + SLOW
    assert "Do you agree?" in all_text(api.posted(api.dm_channel("U1"))[-1])
    assert api.responses["slow"][0]["text"].startswith("You have not joined")
    assert world.bot.stats["action.turn"] == 1
    print(
        f"acks: event {event.elapsed * 1000:.0f} ms, command {command.elapsed * 1000:.0f} ms, "
        f"press {press.elapsed * 1000:.0f} ms; work done after {finished:.1f} s"
    )
