"""A post the console showed is never shown again, even when the process dies before recording it.

The first process prints the digest (or reminder) and is killed before
``mark_posted``; a new process on the same database runs its scheduler tick
and finds the post through the console's marks file instead of printing it again.
"""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Settings
from bot.runtime import Runtime, library_seeds, open_runtime
from bot.scheduler.digests import POSTING_GRACE
from bot.scheduler.poster import ConsolePoster, Poster, console_marks_path
from bot.testing.clock import FakeClock
from bot.testing.crash import DiesAfterPlatformCall, ProcessKilled
from bot.testing.harness import ChatHarness
from storage import digests, schedules
from storage.store import Store
from tests.citizen import LINES

#: 18:05 in Berlin: five minutes after the digest time.
AFTER_DIGEST_TIME = datetime(2026, 10, 23, 16, 5, tzinfo=UTC)


def _process(db_url: str, clock: FakeClock, poster: Poster) -> Runtime:
    """One `cityneeds` process: its own store (connections) on the shared database."""
    settings = Settings(database_url=db_url, secret="once-secret")
    return open_runtime(settings, store=Store(db_url), poster=poster, clock=clock)


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


def test_a_digest_printed_just_before_the_process_died_is_printed_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(AFTER_DIGEST_TIME - timedelta(hours=8))
    screen = io.StringIO()
    marks = tmp_path / "cityneeds.db.posted"
    dying = DiesAfterPlatformCall(ConsolePoster(screen, marks))
    first = _process(db_url, clock, dying)
    try:
        ws_id = _workshop(first, "!schedule digest 18:00", "!policy post review off")
        clock.now = AFTER_DIGEST_TIME
        with pytest.raises(ProcessKilled):
            asyncio.run(first.scheduler.tick())
    finally:
        _stop(first)  # its connections die with it (the leader lock too)
    assert screen.getvalue().count("[digest berlin 2026-10-23]") == 1
    with Store(db_url).session() as session:
        row = digests.find(session, ws_id, "2026-10-23")
    assert row is not None and row.status == "posting"  # visible, not recorded

    clock.advance(POSTING_GRACE + timedelta(seconds=1))
    restarted = _process(db_url, clock, ConsolePoster(screen, marks))
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


def test_a_reminder_printed_just_before_the_process_died_is_printed_once(
    db_url: str, tmp_path: Path
) -> None:
    clock = FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))
    screen = io.StringIO()
    marks = tmp_path / "marks"
    dying = DiesAfterPlatformCall(ConsolePoster(screen, marks))
    first = _process(db_url, clock, dying)
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
    restarted = _process(db_url, clock, ConsolePoster(screen, marks))
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


def test_a_digest_without_a_crash_is_printed_once_and_recorded(db_url: str, tmp_path: Path) -> None:
    clock = FakeClock(AFTER_DIGEST_TIME - timedelta(hours=8))
    screen = io.StringIO()
    rt = _process(db_url, clock, ConsolePoster(screen, tmp_path / "marks"))
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


def test_the_console_keeps_its_marks_next_to_a_sqlite_file_only() -> None:
    assert console_marks_path("sqlite:////var/lib/cityneeds/db.sqlite") == Path(
        "/var/lib/cityneeds/db.sqlite.posted"
    )
    assert console_marks_path("sqlite:///:memory:") is None
    assert console_marks_path("postgresql+psycopg://u@h/db") is None
