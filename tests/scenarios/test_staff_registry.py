"""Must-show 2: a bad staff argument is refused with the valid values, and one broken
schedule row never stops the other workshops' digests."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import select
from typer.testing import CliRunner

from bot.adapters.console import run_console
from bot.cli.app import app as cli
from bot.config import Settings
from bot.runtime import Runtime, library_seeds, open_runtime
from bot.testing.clock import FakeClock
from bot.testing.harness import ChatHarness
from bot.testing.poster import RecordingPoster
from storage import digests, schedules
from storage.audit import audit_rows
from storage.models import Schedule, Workshop
from storage.store import Store

VALID_DAYS = "valid days: mon, tue, wed, thu, fri, sat, sun, or ranges like mon-fri"
SCHEDULE_USAGE = "Usage: !schedule digest|reminders HH:MM [mon-fri], !schedule off digest|reminders"


def _schedule_rows(store: Store) -> list[Schedule]:
    with store.session() as s:
        return list(s.exec(select(Schedule)).all())


def _refusals(rt: Runtime, slug: str = "city") -> list[dict[str, object]]:
    ws = rt.store.find_workshop(slug)
    assert ws is not None
    with rt.store.session() as s:
        return [r["detail"] for r in audit_rows(s, ws.id) if r["action"] == "refused"]


def test_a_facilitator_on_the_console_types_a_day_that_does_not_exist(app: Runtime) -> None:
    out = io.StringIO()
    run_console(
        app.router,
        user="operator",
        workshop="city",
        stdin=io.StringIO("!schedule digest 18:00 funday\n"),
        stdout=out,
        admin=True,
    )
    shown = out.getvalue()
    assert f"“funday” is not valid here: {VALID_DAYS}. Nothing was changed." in shown
    assert SCHEDULE_USAGE in shown
    assert "scheduled" not in shown
    assert _schedule_rows(app.store) == []
    assert _refusals(app) == [
        {"command": "schedule", "argument": "days", "value": "funday"},
    ]


def test_bad_times_kinds_and_tiers_name_the_valid_values_and_change_nothing(
    app: Runtime,
) -> None:
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    before = app.store.find_workshop("city")
    replies = [r.text for r in fac.say("!schedule digest 25:00")]
    assert replies[-2:] == [
        "“25:00” is not valid here: valid times: HH:MM from 00:00 to 23:59, for example 18:00. "
        "Nothing was changed.",
        SCHEDULE_USAGE,
    ]
    assert fac.say("!schedule podcast 18:00")[0].text == (
        "“podcast” is not valid here: valid values: digest, reminder. Nothing was changed."
    )
    assert [r.text for r in fac.say("!open mega")] == [
        "“mega” is not valid here: valid values: macro, meso, micro. Nothing was changed.",
        "Usage: !open macro|meso|micro",
    ]
    assert fac.say("!hide poem 3 spam")[0].text.endswith(
        "valid values: need, stakeholder, link, requirement. Nothing was changed."
    )
    assert fac.say("!role somebody boss")[0].text.endswith(
        "valid values: facilitator, moderator, citizen. Nothing was changed."
    )
    assert fac.say("!policy grace forever")[0].text.endswith(
        "valid values: whole minutes from 0 to 10080. Nothing was changed."
    )
    assert app.store.find_workshop("city") == before
    assert _schedule_rows(app.store) == []
    assert [d["argument"] for d in _refusals(app)] == [
        "time",
        "kind",
        "tier",
        "kind",
        "role",
        "minutes",
    ]
    # Days that do exist are stored in one spelling, and the reply says which days.
    reply = fac.say("!schedule digest 18:00 MON-fri")[-1].text
    assert reply == "The digest is scheduled at 18:00 (UTC) on mon-fri."
    [row] = _schedule_rows(app.store)
    assert (row.kind, row.hour, row.minute, row.days) == ("digest", 18, 0, "mon-fri")


def test_help_is_generated_from_the_registry_for_the_askers_role(app: Runtime) -> None:
    fac = ChatHarness(app.router, user="fac", workshop="city", is_platform_admin=True)
    fac.say("!role mod moderator")
    [help_text] = [r.text for r in fac.say("!help")]
    lines = help_text.splitlines()
    assert lines[0] == "Staff commands:"
    assert lines[1:] == [
        "• !help",
        "• !open macro|meso|micro",
        "• !close macro|meso|micro",
        "• !progress",
        f"• {SCHEDULE_USAGE.removeprefix('Usage: ')}",
        "• !policy pre|post [review on|off] [grace MINUTES]",
        "• !scenario list, !scenario add CODE",
        "• !role USER facilitator|moderator|citizen",
        "• !queue",
        "• !approve need|stakeholder|link|requirement ID, !approve all [KIND]",
        "• !hide need|stakeholder|link|requirement ID REASON",
        "• !unhide need|stakeholder|link|requirement ID",
        "• !redact need|stakeholder|link|requirement ID",
        "• !theme rename THEME LABEL, !theme move need|requirement ID THEME",
        "• !actors",
        '• !merge stakeholder|module "A" "B" (A joins B), !merge suggestions',
        '• !split stakeholder|module "NAME"',
        '• !rename stakeholder|module "NAME" "NEW NAME"',
        "• !digest draft|approve|skip|note TEXT",
        "• !settings [timezone Europe/Berlin] [languages en zh]",
        "• !export csv|json|graphml|gexf|kumu|md|html",
        '• !assist "LABEL" [spoken|paper], !assist resume CODE, !assist end',
    ]
    moderator = ChatHarness(app.router, user="mod", workshop="city")
    [mod_help] = [r.text for r in moderator.say("!help")]
    assert [line.split()[1] for line in mod_help.splitlines()[1:]] == [
        "!help",
        "!progress",
        "!queue",
        "!approve",
        "!hide",
        "!unhide",
        "!redact",
        "!theme",
        "!actors",
        "!merge",
        "!split",
        "!rename",
        "!digest",
        "!assist",
    ]


def test_storage_refuses_days_and_times_that_cannot_fire(store: Store) -> None:
    ws = store.create_workshop("city", "City")
    now = datetime(2026, 10, 23, tzinfo=UTC)
    with store.session() as s:
        with pytest.raises(ValueError, match="valid days: mon, tue, wed, thu, fri, sat, sun"):
            schedules.set_schedule(s, ws.id, "digest", 18, 0, now, "funday")
        with pytest.raises(ValueError, match="runs backwards"):
            schedules.set_schedule(s, ws.id, "digest", 18, 0, now, "fri-mon")
        with pytest.raises(ValueError, match="not a time of day"):
            schedules.set_schedule(s, ws.id, "digest", 24, 0, now)
        with pytest.raises(ValueError, match="unknown schedule kind"):
            schedules.set_schedule(s, ws.id, "podcast", 18, 0, now)
    assert _schedule_rows(store) == []
    assert schedules.parse_days("sat,sun") == frozenset({5, 6})
    assert schedules.parse_days("mon-wed,fri") == frozenset({0, 1, 2, 4})
    assert schedules.parse_days("*") == frozenset(range(7))


def test_the_cli_refuses_the_same_days_and_stores_nothing(
    app: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    runner = CliRunner()
    bad = runner.invoke(
        cli, ["workshop", "schedule", "city", "--digest", "18:00", "--days", "funday"]
    )
    assert bad.exit_code == 2
    said = " ".join(bad.output.split())  # the error console wraps long lines
    assert "'funday' is not a set of days; valid days: mon, tue, wed, thu, fri, sat, sun" in said
    late = runner.invoke(cli, ["workshop", "schedule", "city", "--reminders", "7pm"])
    assert late.exit_code == 2 and "is not a time of day" in " ".join(late.output.split())
    assert _schedule_rows(app.store) == []
    good = runner.invoke(
        cli, ["workshop", "schedule", "city", "--digest", "18:00", "--days", "Sat,Sun"]
    )
    assert good.exit_code == 0, good.output
    [row] = _schedule_rows(app.store)
    assert (row.hour, row.minute, row.days) == (18, 0, "sat,sun")


# ------------------------------------------------------------- scheduler isolation
@pytest.fixture
def two_workshops(store: Store) -> Iterator[tuple[Runtime, FakeClock, RecordingPoster]]:
    clock = FakeClock(datetime(2026, 10, 23, 10, 0, tzinfo=UTC))
    poster = RecordingPoster(clock)
    rt = open_runtime(
        Settings(database_url=store.url, secret="iso-secret"),
        store=store,
        poster=poster,
        clock=clock,
    )
    for slug in ("broken", "healthy"):
        rt.store.create_workshop(slug, slug.title(), scenarios=library_seeds())
        fac = ChatHarness(rt.router, user="fac", workshop=slug, is_platform_admin=True)
        assert "scheduled daily at 18:00 (UTC)" in fac.say("!schedule digest 18:00")[-1].text
        fac.say("!policy post review off")
    yield rt, clock, poster
    rt.scheduler.shutdown()
    rt.router.close()


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [("days", "funday", "valid days"), ("hour", 27, "not a time of day")],
)
def test_a_schedule_row_broken_in_the_database_is_skipped_and_the_others_post_on_time(
    two_workshops: tuple[Runtime, FakeClock, RecordingPoster],
    caplog: pytest.LogCaptureFixture,
    column: str,
    value: object,
    reason: str,
) -> None:
    rt, clock, poster = two_workshops
    with rt.store.session() as s:
        broken = s.exec(select(Workshop).where(Workshop.slug == "broken")).one()
        row = s.exec(select(Schedule).where(Schedule.workshop_id == broken.id)).one()
        setattr(row, column, value)  # as somebody editing the table by hand would
        s.add(row)
    caplog.set_level(logging.WARNING, logger="bot.scheduler.service")

    async def evening() -> None:
        while clock.now < datetime(2026, 10, 24, 19, tzinfo=UTC):
            clock.advance(timedelta(minutes=10))
            await rt.scheduler.tick()

    asyncio.run(evening())
    posted = poster.of("digest")
    assert [(p.workshop, p.period) for p in posted] == [
        ("healthy", "2026-10-23"),
        ("healthy", "2026-10-24"),
    ]
    assert all((p.at.hour, p.at.minute // 10) == (18, 0) for p in posted)  # on time, UTC
    skipped = [r.getMessage() for r in caplog.records if r.getMessage().startswith("skipped")]
    assert len(skipped) == 1, "the broken row is logged once, not at every tick"
    assert all("\n" not in line for line in skipped)
    assert "the digest schedule of workshop broken" in skipped[0] and reason in skipped[0]
    assert not any("healthy" in line for line in skipped)
    # The cron jobs are rebuilt without the broken row, with the same one-line log.
    caplog.clear()

    rt.scheduler.scheduler = AsyncIOScheduler(timezone=UTC)  # built, not started
    rt.scheduler.rebuild()
    assert sorted(job.id for job in rt.scheduler.scheduler.get_jobs()) == ["digest:healthy"]
    [no_job] = [r.getMessage() for r in caplog.records]
    assert no_job.startswith("no job for the digest schedule of workshop broken")


def test_a_digest_whose_platform_is_down_does_not_hold_back_another_workshops(
    two_workshops: tuple[Runtime, FakeClock, RecordingPoster],
    caplog: pytest.LogCaptureFixture,
) -> None:
    rt, clock, poster = two_workshops
    # Both workshops' digests were claimed by a process that died before posting.
    for slug in ("broken", "healthy"):
        ws = rt.store.find_workshop(slug)
        assert ws is not None
        with rt.store.session() as s:
            assert digests.claim(s, ws.id, "2026-10-22", "dead-process", clock()) is not None
    poster.fail_next_posts = 1  # the first post (the "broken" workshop's) fails
    assert asyncio.run(rt.digests.reconcile()) == 2
    assert [(p.workshop, p.period) for p in poster.of("digest")] == [("healthy", "2026-10-22")]
    [failed] = [r for r in caplog.records if r.name == "bot.scheduler.digests"]
    assert failed.getMessage().startswith("digest 2026-10-22 of workshop")
    asyncio.run(rt.digests.reconcile())  # the next tick retries it
    assert sorted(p.workshop for p in poster.of("digest")) == ["broken", "healthy"]
