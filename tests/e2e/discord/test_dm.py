"""Direct messages only for people who opted in; reminders only to opted-in DM channels."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from bot.adapters.discord.poster import DiscordPoster
from bot.core import load_core
from bot.runtime import Runtime
from bot.scheduler.reminders import ReminderService
from bot.testing.discord_harness import DiscordHarness
from storage import schedules
from storage.clock import utcnow
from storage.models import Participant
from storage.store import Store
from tests.e2e.discord.helpers import assert_no_mentions, rejected

OPEN_DM = "POST /users/@me/channels"


def _targets(store: Store, workshop_id: int) -> list[str]:
    with store.session() as s:
        found = schedules.reminder_targets(s, workshop_id, utcnow() + timedelta(days=1))
    return [t.address for t in found]


async def test_only_people_who_opted_in_get_direct_messages_and_reminders(
    discord: DiscordHarness, store: Store, runtime: Runtime, poster: DiscordPoster
) -> None:
    h, fake = discord, discord.fake
    ws = runtime.store.find_workshop("city")
    assert ws is not None

    # Alice answers in her thread and never opts in.
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    assert (await h.say("alice", h.thread_of("alice"), "yes")).step == "helix"

    # Bob writes to the bot first without opting in: one hint, nothing stored.
    bob_dm = fake.open_dm(h.user("bob"))
    hint = await h.say("bob", bob_dm, "hello, can I answer here?")
    [answer] = h.messages_of(hint)
    assert "/cityneeds dm on" in answer.content
    bob = h.adapter.pseudonym(int(h.user("bob")))
    with store.session() as s:
        assert s.exec(select(Participant).where(Participant.pseudonym == bob)).all() == []

    # Carol opts in from the workshop channel and continues in her DMs.
    record, opted = await h.slash(
        "carol", h.world.workshop_channel, "cityneeds", "dm", {"state": "on"}
    )
    assert opted.error is None and opted.step == "consent"
    assert (
        record.followups[-1].ephemeral and "Direct messages are on" in record.followups[-1].content
    )
    carol_dm = fake.dm_channel_of(h.user("carol"))
    assert carol_dm is not None
    [opened] = fake.requests_to(OPEN_DM)
    assert str(opened.json["recipient_id"]) == h.user("carol")
    assert (await h.say("carol", carol_dm, "yes")).step == "helix"
    prompt = h.last_with_components(carol_dm)
    _, pressed = await h.click("carol", prompt, "cn:b:helix:civil_society")
    assert pressed.step == "domains"
    _, shown = await h.slash("carol", carol_dm, "cityneeds", "status")
    assert shown.error is None and shown.sent

    # Reminders, through the scheduler's reminder service a day later: the targets
    # are the opted-in DM channels only.
    assert _targets(store, ws.id) == [carol_dm]
    later = utcnow() + timedelta(days=1)
    with store.session() as session:
        schedules.set_schedule(session, ws.id, "reminder", later.hour, later.minute, utcnow())
    with store.session() as session:
        [schedule] = [r for r in schedules.all_schedules(session) if r.workshop_id == ws.id]
    service = ReminderService(store, load_core().catalogs, poster, clock=lambda: later)
    period = later.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    assert await service.send_due(schedule, period) == 1
    assert await service.send_due(schedule, period) == 0  # once a day
    reminder = fake.sent_to(carol_dm)[-1]
    assert reminder.content.startswith("A gentle reminder from")
    dm_channels = {m.channel_id for m in fake.sent if fake.channels[m.channel_id]["type"] == 1}
    assert dm_channels == {carol_dm, bob_dm}
    assert [m.content for m in fake.sent_to(bob_dm)] == [answer.content]
    assert len(fake.requests_to(OPEN_DM)) == 1  # the bot never opened a DM by itself

    # Carol opts out: no more reminders, and her DMs get the hint again.
    _, off = await h.slash("carol", carol_dm, "cityneeds", "dm", {"state": "off"})
    assert off.error is None
    assert _targets(store, ws.id) == []
    again = await h.say("carol", carol_dm, "2")
    assert "/cityneeds dm on" in h.messages_of(again)[0].content
    assert not rejected(fake)
    assert_no_mentions(fake)


async def test_closed_dms_are_reported_and_leave_no_address_behind(
    discord: DiscordHarness, store: Store, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    fake.block_dms(h.user("carol"))
    record, handled = await h.slash(
        "carol", h.world.workshop_channel, "cityneeds", "dm", {"state": "on"}
    )
    assert handled.error is None
    assert "could not send you a direct message" in record.followups[-1].content
    assert record.followups[-1].ephemeral
    refused = fake.requests_to("POST /channels/{channel_id}/messages")
    assert [r.status for r in refused] == [403]
    assert _targets(store, ws.id) == []
