"""Issue 14.1: a request is in the inbox before Slack hears 200; replies go through the outbox.

Over HTTP and Socket Mode the ack comes only after the row is stored, so a
process that dies right after it still has the request (the SIGKILL test is
``test_kill_after_ack.py``). Replies carry their outbox id in Slack metadata,
so a start after a death marks those Slack already shows and posts only the rest.
"""

from __future__ import annotations

import pytest

from bot.adapters.slack.digest_blocks import SlackMessage
from bot.adapters.slack.guard import GuardedSocketModeHandler
from bot.adapters.slack.replies import Place, encode_message, reply_metadata
from bot.testing.slack_events import event_callback, message_event, slash_command
from storage.inbox import Outgoing
from tests.e2e.slack.helpers import SlackWorld, eventually


async def test_an_event_is_stored_before_its_200_and_answered_from_the_inbox(
    slack: SlackWorld,
) -> None:
    world = slack
    world.api.delay("users.info", 0.5)  # the handling is still running after the 200
    delivered = await world.dm("U1", "hello")
    assert delivered.status == 200
    assert world.store.inbox.counts("slack") == {"inbox.received": 1}
    [row] = world.store.inbox.unfinished("slack")
    assert row.dedupe_key.startswith("ev:") and '"text":"hello"' in row.payload
    await eventually(lambda: world.bot.stats["message.turn"] == 1)
    await world.bot.wait_idle(15)
    assert world.store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 3}
    posted = world.api.posted(world.api.dm_channel("U1"))
    replies = world.store.inbox.outbox_of(row.id)
    # Each reply is on Slack once, in order, with its row's id; the row keeps Slack's ts.
    assert [m.metadata for m in posted] == [reply_metadata(r.id) for r in replies]
    assert [m.ts for m in posted] == [r.platform_ref for r in replies]


async def test_over_socket_mode_the_envelope_is_acked_once_stored(slack: SlackWorld) -> None:
    world = slack
    handler = GuardedSocketModeHandler(
        world.bot.app, world.api.app_token, world.stack.outbox.client
    )
    await handler.connect_async()
    try:
        await world.api.wait_for(lambda: world.api.socket_connected, timeout=10)
        world.api.delay("users.info", 0.5)
        envelope = event_callback(message_event("U2", world.api.dm_channel("U2"), "hello"))
        envelope_id = await world.api.socket_send("events_api", envelope)
        await world.api.wait_for(lambda: envelope_id in world.api.socket_acks, timeout=10)
        assert world.store.inbox.counts("slack") == {"inbox.received": 1}
        await eventually(lambda: world.bot.stats["message.turn"] == 1)
        await world.bot.wait_idle(15)
        assert world.store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 3}
        assert len(world.api.posted(world.api.dm_channel("U2"))) == 3
    finally:
        await handler.close_async()


@pytest.mark.parametrize("in_thread", [False, True], ids=["dm", "thread"])
async def test_a_start_posts_only_the_replies_slack_does_not_show_yet(
    slack: SlackWorld, in_thread: bool
) -> None:
    world = slack
    channel = "C0THREADS" if in_thread else world.api.dm_channel("U3")
    thread_ts = None
    if in_thread:
        parent = await world.stack.outbox.post(channel, SlackMessage(text="welcome"))
        thread_ts = str(parent["ts"])
    place = Place(channel, thread_ts)
    # What a process killed mid-way leaves: two replies stored, the first already on Slack.
    row = world.store.inbox.receive("slack", "ev:EvDIED", "{}").item
    first, second = (SlackMessage(text=t) for t in ("first reply", "second reply"))
    stored = [Outgoing(place.encode(), encode_message(m)) for m in (first, second)]
    ids = world.store.inbox.complete(row.id, stored)
    assert ids is not None
    shown = await world.stack.outbox.post(
        channel, first, thread_ts=thread_ts, metadata=reply_metadata(ids[0])
    )
    assert await world.bot.app.recover() == (1, 0)
    posted = [m for m in world.api.posted(channel) if m.thread_ts == thread_ts]
    assert [m.text for m in posted][-2:] == ["first reply", "second reply"]  # none twice
    assert [r.platform_ref for r in world.store.inbox.outbox_of(row.id)] == [
        shown["ts"],
        posted[-1].ts,
    ]
    assert world.store.inbox.unsent("slack") == []
    assert world.bot.replies.found == 1


async def test_a_command_whose_text_says_payload_is_a_command(slack: SlackWorld) -> None:
    # Bolt's parser took any form body containing "payload" for an interaction.
    world = slack
    texts = await world.command_and_wait("U4", "C0ANY", "payload")
    assert texts == ["I do not know “/cityneeds payload”. Type /cityneeds help to see what works."]
    form = slash_command("U4", "C0ANY", "help payload=1", response_url=world.api.response_url("p"))
    delivered = await world.events.command(form)
    assert delivered.status == 200
    await world.api.wait_for(lambda: bool(world.api.responses.get("p")), timeout=15)
    assert "/cityneeds join" in world.api.responses["p"][0]["text"]
