"""Workshops that run themselves: digests at local 18:00 across DST, exactly once, one leader."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.runtime import Runtime, library_seeds, open_runtime
from bot.scheduler.service import cron_trigger
from bot.testing.clock import FakeClock
from bot.testing.harness import ChatHarness
from bot.testing.poster import RecordingPoster
from storage import digests, schedules
from storage.store import Store
from tests.citizen import LINES

BERLIN = ZoneInfo("Europe/Berlin")


def _runtime(store: Store, clock: FakeClock, poster: RecordingPoster) -> Runtime:
    settings = Settings(database_url=store.url, secret="sched-secret")
    return open_runtime(settings, store=store, poster=poster, clock=clock)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))


@pytest.fixture
def poster(clock: FakeClock) -> RecordingPoster:
    return RecordingPoster(clock)


@pytest.fixture
def berlin(store: Store, clock: FakeClock, poster: RecordingPoster) -> Iterator[Runtime]:
    rt = _runtime(store, clock, poster)
    rt.store.create_workshop(
        "berlin", "Berlin workshop", timezone="Europe/Berlin", scenarios=library_seeds()
    )
    yield rt
    rt.scheduler.shutdown()
    rt.router.close()


def _facilitator(rt: Runtime) -> ChatHarness:
    return ChatHarness(rt.router, user="fac", workshop="berlin", is_platform_admin=True)


def _citizen(rt: Runtime, user: str, address: str | None = None, lines: int = len(LINES)) -> None:
    chat = ChatHarness(rt.router, user=user, workshop="berlin", address=address)
    chat.start()
    for line in LINES[:lines]:
        chat.say(line)


async def _run_days(rt: Runtime, clock: FakeClock, until: datetime, step: timedelta) -> None:
    while clock.now < until:
        clock.advance(step)
        await rt.scheduler.tick()


def test_daily_digest_at_18_berlin_across_the_dst_change(
    berlin: Runtime, clock: FakeClock, poster: RecordingPoster
) -> None:
    fac = _facilitator(berlin)
    assert "scheduled daily at 18:00 (Europe/Berlin)" in "\n".join(
        r.text for r in fac.say("!schedule digest 18:00")
    )
    fac.say("!policy post review off")
    _citizen(berlin, "ana")
    # 25 October 2026: clocks go back from CEST (UTC+2) to CET (UTC+1).
    asyncio.run(
        _run_days(berlin, clock, datetime(2026, 10, 28, 12, tzinfo=UTC), timedelta(minutes=10))
    )
    posted = poster.of("digest")
    assert [p.period for p in posted] == [f"2026-10-{d}" for d in (23, 24, 25, 26, 27)]
    for p in posted:
        local = p.at.astimezone(BERLIN)
        assert (local.hour, local.minute // 10) == (18, 0), p
    assert [p.at.hour for p in posted] == [16, 16, 17, 17, 17]  # in UTC, before and after DST
    assert "Top domains by gap score" in posted[0].text
    assert posted[0].png.startswith(b"\x89PNG")
    with berlin.store.session() as s:
        rows = schedules.all_schedules(s)
    trigger = cron_trigger(rows[0])
    first = trigger.get_next_fire_time(None, datetime(2026, 10, 24, 17, tzinfo=UTC))
    second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
    assert (first.astimezone(UTC).hour, second.astimezone(UTC).hour) == (17, 17)
    assert first.astimezone(BERLIN).hour == second.astimezone(BERLIN).hour == 18


def test_missed_days_after_downtime_collapse_into_one_digest(
    berlin: Runtime, clock: FakeClock, poster: RecordingPoster
) -> None:
    fac = _facilitator(berlin)
    fac.say("!schedule digest 18:00")
    fac.say("!policy post review off")
    clock.advance(timedelta(days=3, hours=12))  # the bot was down for three evenings
    asyncio.run(berlin.scheduler.tick())
    asyncio.run(berlin.scheduler.tick())
    assert [p.period for p in poster.of("digest")] == ["2026-10-26"]  # the latest one only


def test_killed_between_claim_and_post_posts_exactly_once_after_restart(
    berlin: Runtime, store: Store, clock: FakeClock, poster: RecordingPoster
) -> None:
    fac = _facilitator(berlin)
    fac.say("!schedule digest 18:00")
    fac.say("!policy post review off")
    _citizen(berlin, "ana")
    ws = store.find_workshop("berlin")
    assert ws is not None
    # The first process claims the period and dies before posting anything.
    with store.session() as s:
        assert digests.claim(s, ws.id, "2026-10-23", "dead-process", clock()) is not None
    # And the platform is down for the first post attempt of the restarted process.
    poster.fail_next_posts = 1
    clock.now = datetime(2026, 10, 23, 16, 5, tzinfo=UTC)
    restarted = _runtime(store, clock, poster)
    try:
        for _ in range(4):
            asyncio.run(restarted.scheduler.tick())
            clock.advance(timedelta(minutes=1))
    finally:
        restarted.scheduler.shutdown()
        restarted.router.close()
    assert [p.period for p in poster.of("digest")] == ["2026-10-23"]
    with store.session() as s:
        row = digests.find(s, ws.id, "2026-10-23")
    assert row is not None and row.status == "posted" and row.platform_message_id


def test_drafts_wait_for_a_moderator_or_the_grace_period(
    berlin: Runtime, clock: FakeClock, poster: RecordingPoster
) -> None:
    fac = _facilitator(berlin)
    fac.say("!schedule digest 18:00")
    fac.say("!policy post grace 120")
    clock.now = datetime(2026, 10, 23, 16, 1, tzinfo=UTC)
    asyncio.run(berlin.scheduler.tick())
    assert poster.of("digest") == [] and len(poster.of("draft")) == 1
    assert "!digest approve" in poster.of("draft")[0].text
    clock.advance(timedelta(minutes=60))
    asyncio.run(berlin.scheduler.tick())
    assert poster.of("digest") == []
    clock.advance(timedelta(minutes=61))
    asyncio.run(berlin.scheduler.tick())
    assert [p.period for p in poster.of("digest")] == ["2026-10-23"]


def _two_replicas(
    db_url: str, clock: FakeClock, poster: RecordingPoster
) -> tuple[Runtime, Runtime]:
    stores = [Store(db_url) for _ in range(2)]
    for s in stores:
        s.ensure_schema()
    return _runtime(stores[0], clock, poster), _runtime(stores[1], clock, poster)


def test_two_processes_on_postgresql_post_each_digest_and_reminder_once(
    db_url: str, clock: FakeClock, poster: RecordingPoster
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("replicas share PostgreSQL; SQLite is the single-process setup")
    one, two = _two_replicas(db_url, clock, poster)
    try:
        one.store.create_workshop(
            "berlin", "Berlin", timezone="Europe/Berlin", scenarios=library_seeds()
        )
        fac = _facilitator(one)
        fac.say("!schedule digest 18:00")
        fac.say("!schedule reminders 10:00")
        fac.say("!policy post review off")
        _citizen(one, "finished", address="D-fin")
        for index in range(3):
            _citizen(two, f"halfway-{index}", address=f"D-{index}", lines=12)
        _citizen(two, "no-reminders", address="D-off", lines=5)
        ChatHarness(two.router, user="no-reminders", workshop="berlin").say("reminders off")
        _citizen(two, "no-address", lines=5)

        async def days() -> None:
            end = clock.now + timedelta(days=3)
            while clock.now < end:
                clock.advance(timedelta(minutes=15))
                await asyncio.gather(one.scheduler.tick(), two.scheduler.tick())

        asyncio.run(days())
        assert one.scheduler.is_leader != two.scheduler.is_leader
        periods = [p.period for p in poster.of("digest")]
        assert periods == ["2026-10-23", "2026-10-24", "2026-10-25"]
        reminders = sorted((p.address, p.at.date().isoformat()) for p in poster.of("reminder"))
        expected = sorted(
            (f"D-{i}", day) for i in range(3) for day in ("2026-10-24", "2026-10-25", "2026-10-26")
        )
        assert reminders == expected
        assert all(p.at.astimezone(BERLIN).hour == 10 for p in poster.of("reminder"))

        ws = one.store.find_workshop("berlin")
        assert ws is not None

        async def race() -> list[bool]:
            return list(
                await asyncio.gather(
                    one.digests.open_period(ws.id, "2026-12-01"),
                    two.digests.open_period(ws.id, "2026-12-01"),
                )
            )

        assert sorted(asyncio.run(race())) == [False, True]
    finally:
        for rt in (one, two):
            rt.scheduler.shutdown()
            rt.router.close()
            rt.store.dispose()


def test_a_replica_takes_over_when_the_leaders_connection_dies(
    db_url: str, clock: FakeClock, poster: RecordingPoster
) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("leader election is a PostgreSQL advisory lock")
    one, two = _two_replicas(db_url, clock, poster)
    try:
        assert one.scheduler.lock.try_acquire()
        assert not two.scheduler.lock.try_acquire()
        pid = one.scheduler.lock.backend_pid()
        assert pid is not None
        with two.store.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        deadline = time.monotonic() + 10
        while not two.scheduler.lock.try_acquire():
            assert time.monotonic() < deadline, "the lock was never released"
            time.sleep(0.05)
        assert not one.scheduler.lock.try_acquire()  # it notices and stops leading
        assert not one.scheduler.is_leader and two.scheduler.is_leader
    finally:
        for rt in (one, two):
            rt.scheduler.shutdown()
            rt.router.close()
            rt.store.dispose()


def test_a_poster_for_one_platform_leaves_other_platforms_reminders_unclaimed(
    berlin: Runtime, clock: FakeClock, poster: RecordingPoster
) -> None:
    fac = _facilitator(berlin)
    fac.say("!schedule reminders 10:00")
    _citizen(berlin, "dana", address="D-dana", lines=12)  # platform "test"
    poster.platform = "slack"
    clock.now = datetime(2026, 10, 24, 8, 5, tzinfo=UTC)  # 10:05 in Berlin, next day
    asyncio.run(berlin.scheduler.tick())
    assert poster.of("reminder") == []
    poster.platform = "test"
    asyncio.run(berlin.scheduler.tick())
    assert [r.address for r in poster.of("reminder")] == ["D-dana"]
