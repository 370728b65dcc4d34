"""Missing scopes and permanent errors: the bot keeps working with what it has."""

from __future__ import annotations

from sqlmodel import select

from bot.adapters.slack.digest_blocks import SlackMessage
from bot.adapters.slack.outbox import Outbox
from bot.adapters.slack.sender import SlackSender, make_web_client
from bot.testing.slack_api import SlackApiDouble
from bot.testing.slack_events import event_callback, message_event
from storage.models import Participant
from tests.e2e.slack.helpers import SlackWorld, all_text, eventually

CHANNEL = "C0WORKSHOP"


async def test_without_users_read_and_im_write_citizens_still_answer(slack: SlackWorld) -> None:
    world = slack
    api = world.api
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")  # while the scopes were there
    thread = api.posted(CHANNEL)[0].ts
    world.bot.people.forget()
    api.refuse("users.info", "missing_scope")
    api.refuse("conversations.open", "missing_scope")

    for line in ["hello", "yes"]:
        await world.say_and_wait("U1", line)
    assert "Which group" in all_text(api.posted(api.dm_channel("U1"))[-1])

    before = world.bot.stats["message.turn"]
    event = message_event(
        "U2", CHANNEL, "hello", channel_type="channel", thread_ts=thread, parent_user_id="U0BOT"
    )
    assert (await world.events.event(event_callback(event))).status == 200
    await eventually(lambda: world.bot.stats["message.turn"] > before)
    await world.bot.wait_idle(10)
    assert "Do you agree?" in all_text(api.posted(CHANNEL)[-1])
    with world.store.session() as s:
        thread_user = s.exec(
            select(Participant).where(Participant.pseudonym == world.pseudonym("U2"))
        ).one()
    assert thread_user.address is None  # no DM, so no reminders: but the answer counted
    # A failed users.info is remembered like an answer: one call per user, not per message.
    assert len([c for c in api.calls_to("users.info") if c.params.get("user") == "U1"]) == 1


async def test_a_permanent_error_fails_one_message_and_the_channel_goes_on() -> None:
    api = await SlackApiDouble(post_interval=0.02).start()
    sender = SlackSender(interval=0.02, base_backoff=0.05)
    outbox = Outbox(make_web_client(api.token, api.api_url), sender)
    try:
        api.refuse("chat.postMessage", "channel_not_found", calls=1)
        first = outbox.post("C1", SlackMessage(text="one"))
        second = outbox.post("C1", SlackMessage(text="two"))
        try:
            await first
        except Exception as exc:
            assert "channel_not_found" in str(exc)
        else:
            raise AssertionError("the refused message must fail")
        assert (await second)["ok"]
        assert [m.text for m in api.posted("C1")] == ["two"]
        assert sender.stats.failed == 1
        too_long = SlackMessage(
            text="x",
            blocks=[{"type": "section", "text": {"type": "plain_text", "text": "y" * 3001}}],
        )
        try:
            await outbox.post("C1", too_long)
        except Exception as exc:
            assert "invalid_blocks" in str(exc)
        else:
            raise AssertionError("the double must enforce the section limit")
    finally:
        await sender.close()
        await api.close()
