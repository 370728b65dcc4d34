"""A dead leader is replaced within seconds; a changed schedule is followed within seconds."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.runtime import Runtime, library_seeds, open_runtime
from bot.scheduler.service import WATCH
from bot.testing.clock import FakeClock
from bot.testing.poster import RecordingPoster
from storage import schedules
from storage.store import Store


def _replica(db_url: str, clock: FakeClock, poster: RecordingPoster) -> Runtime:
    store = Store(db_url)
    store.ensure_schema()
    settings = Settings(database_url=db_url, secret="takeover-secret")
    return open_runtime(settings, store=store, poster=poster, clock=clock)


def _stop(*replicas: Runtime) -> None:
    """Stop the schedulers (inside the event loop they run on)."""
    for rt in replicas:
        rt.scheduler.shutdown()


def _close(*replicas: Runtime) -> None:
    for rt in replicas:
        rt.router.close()
        rt.store.dispose()


async def _until(predicate: object, timeout: float) -> float:
    """Seconds until ``predicate()`` held; fails after ``timeout`` seconds."""
    started = time.monotonic()
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() - started < timeout, "not reached in time"
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def test_the_survivor_leads_within_five_seconds_of_the_leaders_death(db_url: str) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("leader election is a PostgreSQL advisory lock")
    clock = FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))
    poster = RecordingPoster(clock)
    one, two = _replica(db_url, clock, poster), _replica(db_url, clock, poster)

    async def scenario() -> float:
        try:
            return await dies_and_is_replaced()
        finally:
            _stop(one, two)

    async def dies_and_is_replaced() -> float:
        one.scheduler.start()
        await _until(lambda: one.scheduler.is_leader, 10)
        two.scheduler.start()
        await asyncio.sleep(WATCH + 0.5)
        assert not two.scheduler.is_leader  # one leader at a time
        # The leader's process dies: its jobs stop and its database session ends.
        pid = one.scheduler.lock.backend_pid()
        assert one.scheduler.scheduler is not None
        one.scheduler.scheduler.shutdown(wait=False)
        with two.store.engine.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            admin.commit()
        return await _until(lambda: two.scheduler.is_leader, 10)

    try:
        took = asyncio.run(scenario())
    finally:
        _close(one, two)
    assert took < 5.0, f"took over after {took:.1f} s"


def test_a_schedule_changed_by_another_process_reaches_the_leader_within_seconds(
    db_url: str,
) -> None:
    clock = FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))
    leader = _replica(db_url, clock, RecordingPoster(clock))
    ws = leader.store.create_workshop("north", "North", scenarios=library_seeds())
    other = Store(db_url)  # a facilitator's `cityneeds workshop schedule`, elsewhere

    def job_hour() -> int | None:
        sched = leader.scheduler.scheduler
        job = sched.get_job("digest:north") if sched is not None else None
        if job is None:
            return None
        hour = next(f for f in job.trigger.fields if f.name == "hour")
        return int(str(hour))

    async def scenario() -> float:
        try:
            return await changed_elsewhere()
        finally:
            _stop(leader)

    async def changed_elsewhere() -> float:
        with other.session() as session:
            schedules.set_schedule(session, ws.id, "digest", 18, 0, clock.now)
        leader.scheduler.start()
        await _until(lambda: job_hour() == 18, 10)
        with other.session() as session:
            schedules.set_schedule(session, ws.id, "digest", 7, 30, clock.now)
        return await _until(lambda: job_hour() == 7, 10)

    try:
        took = asyncio.run(scenario())
    finally:
        other.dispose()
        _close(leader)
    assert took < WATCH + 2, f"the leader followed the change after {took:.1f} s"
