"""A digest or reminder Discord accepted just before the process died is visible once.

The first process posts through the real Discord poster (the unmodified
discord.py client against the loopback REST fake) and dies before the database
records the post. A new process on the same database reads the channel's recent
messages (``GET /channels/{id}/messages``) for the post's reference; where the
post has scrolled out of that look-back, the repeat carries the same ``nonce``
with ``enforce_nonce`` and Discord answers with the first message instead of a
second one.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.adapters.discord.poster import DiscordPoster
from bot.core import load_core
from bot.runtime import Runtime
from bot.scheduler.digests import POSTING_GRACE, DigestService
from bot.scheduler.keys import digest_key
from bot.scheduler.reminders import ReminderService
from bot.testing.clock import FakeClock
from bot.testing.crash import DiesAfterPlatformCall, ProcessKilled
from bot.testing.discord_harness import DiscordHarness
from bot.testing.harness import ChatHarness
from storage import digests, schedules, workshops
from storage.clock import utcnow
from storage.store import Store
from tests.citizen import LINES
from tests.e2e.discord.helpers import rejected

PERIOD = "2026-10-23"
CREATE = "POST /channels/{channel_id}/messages"
HISTORY = "GET /channels/{channel_id}/messages"


def _restarted(poster: DiscordPoster, store: Store, **options: int) -> DiscordPoster:
    """The new process's poster: the same Discord, its own database connections."""
    assert poster.client is not None
    return DiscordPoster(store, load_core().catalogs, poster.client, **options)


def _no_review(runtime: Runtime) -> int:
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    with runtime.store.session() as session:
        workshops.update_settings(session, ws.id, digest_review=False)
    return ws.id


async def _crash_while_posting(
    h: DiscordHarness, poster: DiscordPoster, runtime: Runtime, clock: FakeClock
) -> tuple[int, DiesAfterPlatformCall, int]:
    ws_id = _no_review(runtime)
    dying = DiesAfterPlatformCall(poster)
    before = len(h.fake.sent_to(h.world.workshop_channel))
    service = DigestService(runtime.store, load_core().catalogs, dying, clock=clock)
    with pytest.raises(ProcessKilled):
        await service.open_period(ws_id, PERIOD)
    return ws_id, dying, before


async def test_a_digest_posted_just_before_the_process_died_is_found_in_the_channel(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    channel = h.world.workshop_channel
    clock = FakeClock(utcnow())
    ws_id, dying, before = await _crash_while_posting(h, poster, runtime, clock)
    shown = [m.id for m in fake.sent_to(channel)[before:]]
    assert shown and shown[0] == dying.accepted[0]
    marker = digest_key(ws_id, PERIOD).marker
    assert fake.sent_to(channel)[before].embeds[-1]["footer"]["text"].startswith(marker)

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    store = Store(runtime.store.url)
    try:
        restarted = DigestService(
            store, load_core().catalogs, _restarted(poster, store), clock=clock, holder="r2"
        )
        assert await restarted.reconcile() == 1
        assert await restarted.reconcile() == 0
        with store.session() as session:
            row = digests.find(session, ws_id, PERIOD)
    finally:
        store.dispose()
    assert [m.id for m in fake.sent_to(channel)[before:]] == shown  # nothing posted again
    assert row is not None and row.status == "posted" and row.claimed_by == "r2"
    assert row.platform_message_id == dying.accepted[0]
    assert [r.query.get("limit") for r in fake.requests_to(HISTORY)] == ["50"]
    assert not rejected(fake)


async def test_a_digest_out_of_the_look_back_is_deduped_by_its_nonce(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    channel = h.world.workshop_channel
    clock = FakeClock(utcnow())
    ws_id, dying, before = await _crash_while_posting(h, poster, runtime, clock)
    shown = [m.id for m in fake.sent_to(channel)[before:]]
    assert poster.client is not None
    await poster.client.get_partial_messageable(int(channel)).send("another bot message")
    after_other = len(fake.sent_to(channel))

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    store = Store(runtime.store.url)
    try:
        blind = _restarted(poster, store, lookback=1)  # sees only "another bot message"
        restarted = DigestService(store, load_core().catalogs, blind, clock=clock)
        assert await restarted.reconcile() == 1
        with store.session() as session:
            row = digests.find(session, ws_id, PERIOD)
    finally:
        store.dispose()
    assert len(fake.sent_to(channel)) == after_other  # Discord kept the first messages
    repeats = fake.requests_to(CREATE)[-len(shown) :]
    assert all(r.json["enforce_nonce"] is True for r in repeats)
    first_nonce = next(r.json["nonce"] for r in fake.requests_to(CREATE) if r.json.get("nonce"))
    assert repeats[0].json["nonce"] == first_nonce == digest_key(ws_id, PERIOD).nonce(0)
    assert row is not None and row.status == "posted"
    assert row.platform_message_id == dying.accepted[0] == shown[0]


async def test_a_digest_without_a_crash_is_posted_once(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    channel = h.world.workshop_channel
    ws_id = _no_review(runtime)
    clock = FakeClock(utcnow())
    service = DigestService(runtime.store, load_core().catalogs, poster, clock=clock)
    before = len(fake.sent_to(channel))
    assert await service.open_period(ws_id, PERIOD)
    assert not await service.open_period(ws_id, PERIOD)
    clock.advance(POSTING_GRACE * 2)
    assert await service.reconcile() == 0
    parts = fake.sent_to(channel)[before:]
    with runtime.store.session() as session:
        row = digests.find(session, ws_id, PERIOD)
    assert row is not None and row.status == "posted" and row.platform_message_id == parts[0].id
    assert fake.requests_to(HISTORY) == []  # no look-up without a crash
    nonces = [r.json["nonce"] for r in fake.requests_to(CREATE) if r.json.get("nonce")]
    assert nonces == [digest_key(ws_id, PERIOD).nonce(i) for i in range(len(parts))]


async def test_a_reminder_sent_just_before_the_process_died_is_visible_once(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    dm = fake.open_dm(h.user("carol"))
    chat = ChatHarness(
        runtime.router, user=h.user("carol"), workshop="city", platform="discord", address=dm
    )
    chat.start()
    for line in LINES[:12]:
        chat.say(line)
    later = utcnow() + timedelta(days=1)
    with runtime.store.session() as session:
        schedules.set_schedule(session, ws.id, "reminder", later.hour, later.minute, utcnow())
        [schedule] = [r for r in schedules.all_schedules(session) if r.workshop_id == ws.id]
    period = later.astimezone(ZoneInfo(schedule.timezone)).date().isoformat()
    clock = FakeClock(later)
    catalogs = load_core().catalogs
    dying = DiesAfterPlatformCall(poster)
    with pytest.raises(ProcessKilled):
        await ReminderService(runtime.store, catalogs, dying, clock=clock).send_due(
            schedule, period
        )
    [reminder] = fake.sent_to(dm)
    assert reminder.content.startswith("A gentle reminder from")

    clock.advance(timedelta(minutes=3))
    store = Store(runtime.store.url)
    try:
        restarted = ReminderService(store, catalogs, _restarted(poster, store), clock=clock)
        assert await restarted.send_due(schedule, period) == 0
        assert await restarted.send_due(schedule, period) == 0
        with store.session() as session:
            [target] = schedules.reminder_targets(session, ws.id, later)
            recorded = schedules.reminder_message_id(session, target.participant_id, period)
            unsent = schedules.unsent_reminder(session, target.participant_id, period)
    finally:
        store.dispose()
    assert [m.id for m in fake.sent_to(dm)] == [reminder.id] == dying.accepted
    assert unsent is None and recorded == reminder.id
    assert not rejected(fake)


async def test_a_digest_in_a_channel_whose_history_is_refused_is_deduped_by_its_nonce(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    channel = h.world.workshop_channel
    clock = FakeClock(utcnow())
    ws_id, dying, before = await _crash_while_posting(h, poster, runtime, clock)
    shown = [m.id for m in fake.sent_to(channel)[before:]]
    fake.refuse_next(HISTORY, 1)  # no Read Message History in this channel

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    store = Store(runtime.store.url)
    try:
        restarted = DigestService(
            store, load_core().catalogs, _restarted(poster, store), clock=clock
        )
        assert await restarted.reconcile() == 1
        with store.session() as session:
            row = digests.find(session, ws_id, PERIOD)
    finally:
        store.dispose()
    assert [m.id for m in fake.sent_to(channel)[before:]] == shown
    assert row is not None and row.status == "posted"
    assert row.platform_message_id == dying.accepted[0] == shown[0]
