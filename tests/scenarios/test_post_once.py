"""A post the console showed is never shown again, even when the process dies before recording it.

The first process prints the digest (or reminder) and is killed before
``mark_posted``; a new process on the same database runs its scheduler tick
and finds the post through the console's mark (written to the database before
printing) instead of printing it again.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings
from bot.runtime import Runtime, library_seeds, open_runtime
from bot.scheduler.digests import POSTING_GRACE
from bot.scheduler.poster import ConsolePoster
from bot.testing.clock import FakeClock
from bot.testing.crash import DiesAfterPlatformCall, ProcessKilled
from bot.testing.harness import ChatHarness
from storage import digests, schedules
from storage.store import Store
from tests.citizen import LINES

#: 18:05 in Berlin: five minutes after the digest time.
AFTER_DIGEST_TIME = datetime(2026, 10, 23, 16, 5, tzinfo=UTC)


def _process(
    db_url: str, clock: FakeClock, screen: io.StringIO, *, dies: bool = False
) -> tuple[Runtime, DiesAfterPlatformCall | None]:
    """One `cityneeds scheduler run`: its own connections, printing to ``screen``.

    With ``dies`` it is killed right after each print, before the database records it.
    """
    store = Store(db_url)
    console = ConsolePoster(screen, store)
    dying = DiesAfterPlatformCall(console) if dies else None
    settings = Settings(database_url=db_url, secret="once-secret")
    rt = open_runtime(settings, store=store, poster=dying or console, clock=clock)
    return rt, dying


def _stop(rt: Runtime) -> None:
    rt.scheduler.shutdown()
    rt.router.close()
    rt.store.dispose()


def _workshop(rt: Runtime, *commands: str) -> int:
    ws = rt.store.create_workshop(
        "berlin", "Berlin", timezone="Europe/Berlin", scenarios=library_seeds()
    )
    fac = ChatHarness(rt.router, user="fac", workshop="berlin", is_platform_admin=True)
    for command in commands:
        fac.say(command)
    return ws.id


def test_a_digest_printed_just_before_the_process_died_is_printed_once(db_url: str) -> None:
    clock = FakeClock(AFTER_DIGEST_TIME - timedelta(hours=8))
    screen = io.StringIO()
    first, dying = _process(db_url, clock, screen, dies=True)
    assert dying is not None
    try:
        ws_id = _workshop(first, "!schedule digest 18:00", "!policy post review off")
        clock.now = AFTER_DIGEST_TIME
        with pytest.raises(ProcessKilled):
            asyncio.run(first.scheduler.tick())
        with first.store.session() as session:
            row = digests.find(session, ws_id, "2026-10-23")
    finally:
        _stop(first)  # its connections die with it (the leader lock too)
    assert screen.getvalue().count("[digest berlin 2026-10-23]") == 1
    assert row is not None and row.status == "posting"  # visible, not recorded

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    restarted, _ = _process(db_url, clock, screen)
    try:
        assert asyncio.run(restarted.scheduler.tick())
        assert asyncio.run(restarted.scheduler.tick())  # and the next tick changes nothing
        with restarted.store.session() as session:
            row = digests.find(session, ws_id, "2026-10-23")
    finally:
        _stop(restarted)
    assert screen.getvalue().count("[digest berlin") == 1
    assert row is not None and row.status == "posted"
    assert [row.platform_message_id] == dying.accepted
    assert dying.accepted == [f"console-cityneeds_digest-{ws_id}:2026-10-23"]


def test_a_reminder_printed_just_before_the_process_died_is_printed_once(db_url: str) -> None:
    clock = FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))
    screen = io.StringIO()
    first, dying = _process(db_url, clock, screen, dies=True)
    assert dying is not None
    try:
        ws_id = _workshop(first, "!schedule reminders 10:00")
        chat = ChatHarness(first.router, user="dana", workshop="berlin", address="D-dana")
        chat.start()
        for line in LINES[:12]:  # halfway through, reminders on
            chat.say(line)
        clock.now = datetime(2026, 10, 24, 8, 5, tzinfo=UTC)  # 10:05 in Berlin, next day
        with pytest.raises(ProcessKilled):
            asyncio.run(first.scheduler.tick())
        with first.store.session() as session:
            [target] = schedules.reminder_targets(session, ws_id, clock.now)
    finally:
        _stop(first)
    assert screen.getvalue().count("[reminder to D-dana]") == 1

    clock.advance(timedelta(minutes=3))
    restarted, _ = _process(db_url, clock, screen)
    try:
        asyncio.run(restarted.scheduler.tick())
        asyncio.run(restarted.scheduler.tick())
        with restarted.store.session() as session:
            recorded = schedules.reminder_message_id(session, target.participant_id, "2026-10-24")
            unsent = schedules.unsent_reminder(session, target.participant_id, "2026-10-24")
    finally:
        _stop(restarted)
    assert screen.getvalue().count("[reminder to D-dana]") == 1
    assert unsent is None
    assert [recorded] == dying.accepted
    assert recorded == f"console-cityneeds_reminder-{target.participant_id}:2026-10-24"


def test_a_digest_without_a_crash_is_printed_once_and_recorded(db_url: str) -> None:
    clock = FakeClock(AFTER_DIGEST_TIME - timedelta(hours=8))
    screen = io.StringIO()
    rt, _ = _process(db_url, clock, screen)
    try:
        ws_id = _workshop(rt, "!schedule digest 18:00", "!policy post review off")
        clock.now = AFTER_DIGEST_TIME
        for _ in range(3):
            asyncio.run(rt.scheduler.tick())
            clock.advance(POSTING_GRACE)
        with rt.store.session() as session:
            row = digests.find(session, ws_id, "2026-10-23")
    finally:
        _stop(rt)
    assert screen.getvalue().count("[digest berlin") == 1
    assert row is not None and row.status == "posted"
    assert row.platform_message_id == f"console-cityneeds_digest-{ws_id}:2026-10-23"
