"""A digest or reminder Slack accepted just before the process died is visible once.

The first process posts through the real Slack poster to the Web API double and
dies before the database records the post. A new process on the same database
finds the post with ``conversations.history`` (``include_all_metadata``), by the
message metadata it was posted with, and records its ``ts`` instead of posting again.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.slack.poster import SlackPoster
from bot.core import load_core
from bot.scheduler.digests import POSTING_GRACE, DigestService
from bot.scheduler.keys import DIGEST_EVENT, REMINDER_EVENT
from bot.scheduler.reminders import ReminderService
from bot.testing.clock import FakeClock
from bot.testing.crash import DiesAfterPlatformCall, ProcessKilled
from bot.testing.harness import ChatHarness
from storage import digests, schedules, workshops
from storage.clock import utcnow
from storage.store import Store
from tests.citizen import LINES
from tests.e2e.slack.helpers import SlackWorld

CHANNEL = "C0WORKSHOP"
PERIOD = "2026-10-23"


def _restarted_poster(world: SlackWorld, store: Store) -> SlackPoster:
    """The new process's poster: same Slack, its own database connections."""
    return SlackPoster(world.stack.outbox, store, load_core().catalogs)


def _keyed(world: SlackWorld, channel: str, event: str) -> list[str]:
    return [
        m.ts for m in world.api.posted(channel) if (m.metadata or {}).get("event_type") == event
    ]


async def _workshop_without_review(world: SlackWorld) -> int:
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    ws = world.store.find_workshop("city")
    assert ws is not None
    with world.store.session() as session:
        workshops.update_settings(session, ws.id, digest_review=False)
    return ws.id


async def test_a_digest_posted_just_before_the_process_died_is_visible_once(
    slack: SlackWorld,
) -> None:
    world = slack
    ws_id = await _workshop_without_review(world)
    catalogs = load_core().catalogs
    clock = FakeClock(utcnow())
    dying = DiesAfterPlatformCall(world.stack.poster)
    before = len(world.api.posted(CHANNEL))
    with pytest.raises(ProcessKilled):
        await DigestService(world.store, catalogs, dying, clock=clock).open_period(ws_id, PERIOD)
    shown = world.api.posted(CHANNEL)[before:]
    assert len(shown) >= 1 and _keyed(world, CHANNEL, DIGEST_EVENT) == dying.accepted

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    store = Store(world.store.url)
    try:
        restarted = DigestService(
            store, catalogs, _restarted_poster(world, store), clock=clock, holder="replica-2"
        )
        assert await restarted.reconcile() == 1
        assert await restarted.reconcile() == 0
        with store.session() as session:
            row = digests.find(session, ws_id, PERIOD)
    finally:
        store.dispose()
    assert world.api.posted(CHANNEL)[before:] == shown  # nothing posted again
    assert row is not None and row.status == "posted" and row.claimed_by == "replica-2"
    assert [row.platform_message_id] == dying.accepted
    [history] = world.api.calls_to("conversations.history", ok=True)
    assert str(history.params.get("include_all_metadata")).lower() in ("1", "true")


async def test_a_digest_that_never_reached_slack_is_posted_after_the_restart(
    slack: SlackWorld,
) -> None:
    world = slack
    ws_id = await _workshop_without_review(world)
    catalogs = load_core().catalogs
    clock = FakeClock(utcnow())
    service = DigestService(world.store, catalogs, world.stack.poster, clock=clock)
    world.api.refuse("chat.postMessage", "channel_not_found", calls=1)
    with pytest.raises(Exception, match="channel_not_found"):
        await service.open_period(ws_id, PERIOD)
    assert _keyed(world, CHANNEL, DIGEST_EVENT) == []
    assert await service.reconcile() == 1  # at once: nobody is posting it
    with world.store.session() as session:
        row = digests.find(session, ws_id, PERIOD)
    [ts] = _keyed(world, CHANNEL, DIGEST_EVENT)
    assert row is not None and row.status == "posted" and row.platform_message_id == ts


async def test_a_reminder_sent_just_before_the_process_died_is_visible_once(
    slack: SlackWorld,
) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    ws = world.store.find_workshop("city")
    assert ws is not None
    dm = world.api.dm_channel("U1")
    chat = ChatHarness(
        world.stack.runtime.router, user="U1", workshop="city", platform="slack", address=dm
    )
    chat.start()
    for line in LINES[:12]:
        chat.say(line)
    later = utcnow() + timedelta(days=1)
    with world.store.session() as session:
        schedules.set_schedule(session, ws.id, "reminder", later.hour, later.minute, utcnow())
        [schedule] = [r for r in schedules.all_schedules(session) if r.workshop_id == ws.id]
    period = later.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    clock = FakeClock(later)
    catalogs = load_core().catalogs
    dying = DiesAfterPlatformCall(world.stack.poster)
    with pytest.raises(ProcessKilled):
        await ReminderService(world.store, catalogs, dying, clock=clock).send_due(schedule, period)
    assert _keyed(world, dm, REMINDER_EVENT) == dying.accepted

    clock.advance(timedelta(minutes=3))
    store = Store(world.store.url)
    try:
        restarted = ReminderService(store, catalogs, _restarted_poster(world, store), clock=clock)
        assert await restarted.send_due(schedule, period) == 0
        assert await restarted.send_due(schedule, period) == 0
        with store.session() as session:
            [target] = schedules.reminder_targets(session, ws.id, later)
            recorded = schedules.reminder_message_id(session, target.participant_id, period)
            unsent = schedules.unsent_reminder(session, target.participant_id, period)
    finally:
        store.dispose()
    assert len(_keyed(world, dm, REMINDER_EVENT)) == 1
    assert [m.text for m in world.api.posted(dm)].count(world.api.posted(dm)[-1].text) == 1
    assert unsent is None and [recorded] == dying.accepted


async def test_a_reminder_without_a_crash_is_sent_once_with_its_metadata(
    slack: SlackWorld,
) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    ws = world.store.find_workshop("city")
    assert ws is not None
    dm = world.api.dm_channel("U2")
    chat = ChatHarness(
        world.stack.runtime.router, user="U2", workshop="city", platform="slack", address=dm
    )
    chat.start()
    for line in LINES[:12]:
        chat.say(line)
    later = utcnow() + timedelta(days=1)
    with world.store.session() as session:
        schedules.set_schedule(session, ws.id, "reminder", later.hour, later.minute, utcnow())
        [schedule] = [r for r in schedules.all_schedules(session) if r.workshop_id == ws.id]
    period = later.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    clock = FakeClock(later)
    service = ReminderService(world.store, load_core().catalogs, world.stack.poster, clock=clock)
    assert await service.send_due(schedule, period) == 1
    clock.advance(timedelta(minutes=10))
    assert await service.send_due(schedule, period) == 0
    [ts] = _keyed(world, dm, REMINDER_EVENT)
    with world.store.session() as session:
        [target] = schedules.reminder_targets(session, ws.id, later)
        assert schedules.reminder_message_id(session, target.participant_id, period) == ts
    assert world.api.calls_to("conversations.history") == []  # no look-up without a crash


async def test_a_reminder_slack_refused_is_looked_for_and_sent_once_after_a_grace(
    slack: SlackWorld,
) -> None:
    world = slack
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    ws = world.store.find_workshop("city")
    assert ws is not None
    dm = world.api.dm_channel("U3")
    chat = ChatHarness(
        world.stack.runtime.router, user="U3", workshop="city", platform="slack", address=dm
    )
    chat.start()
    for line in LINES[:12]:
        chat.say(line)
    later = utcnow() + timedelta(days=1)
    with world.store.session() as session:
        schedules.set_schedule(session, ws.id, "reminder", later.hour, later.minute, utcnow())
        [schedule] = [r for r in schedules.all_schedules(session) if r.workshop_id == ws.id]
    period = later.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    clock = FakeClock(later)
    service = ReminderService(world.store, load_core().catalogs, world.stack.poster, clock=clock)
    world.api.refuse("chat.postMessage", "channel_not_found", calls=1)
    assert await service.send_due(schedule, period) == 0  # logged, not raised
    assert await service.send_due(schedule, period) == 0  # within the grace: left alone
    assert _keyed(world, dm, REMINDER_EVENT) == []
    clock.advance(timedelta(minutes=3))
    assert await service.send_due(schedule, period) == 1
    clock.advance(timedelta(minutes=3))
    assert await service.send_due(schedule, period) == 0
    [ts] = _keyed(world, dm, REMINDER_EVENT)
    assert len(world.api.calls_to("conversations.history", ok=True)) == 1
    with world.store.session() as session:
        [target] = schedules.reminder_targets(session, ws.id, later)
        assert schedules.reminder_message_id(session, target.participant_id, period) == ts
