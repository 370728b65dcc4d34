"""APScheduler 3 wiring: jobs rebuilt from our tables, one leader, coalesced misfires."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.scheduler.digests import DigestService
from bot.scheduler.periods import due_period
from bot.scheduler.reminders import ReminderService
from bot.scheduler.tier_notices import TierNoticeService
from flows.kinds import ScheduleKind
from storage import schedules
from storage.clock import utcnow
from storage.leader import LeaderLock
from storage.store import Store

if TYPE_CHECKING:  # APScheduler is imported when the scheduler starts, not by every command
    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)

#: How often the leader re-checks schedules and the reconciler runs, in seconds.
HEARTBEAT = 60
#: How often every replica looks at the leader lock and the leader at the schedule rows,
#: in seconds: a dead leader is replaced, and a changed schedule is in force, within this.
WATCH = 2


def cron_trigger(schedule: schedules.ScheduleRow) -> CronTrigger:
    """The APScheduler trigger for a schedule, in the workshop's timezone.

    Raises:
        ValueError: The row's days or time are not valid (see :func:`schedules.parse_days`).
    """
    schedules.parse_days(schedule.days)
    schedules.check_time(schedule.hour, schedule.minute)
    days = schedule.days.strip().lower()
    day_of_week = None if days in schedules.EVERY_DAY else "".join(days.split())
    from apscheduler.triggers.cron import CronTrigger

    return CronTrigger(
        hour=schedule.hour,
        minute=schedule.minute,
        day_of_week=day_of_week,
        timezone=schedule.timezone,
    )


class SchedulerService:
    """Runs digests and reminders on the replica that holds the leader lock.

    Every job calls :meth:`tick`, which works from the tables and the clock, not
    from APScheduler's memory: a job store is never shared between processes,
    periods are claimed with a unique row, and periods missed during downtime
    collapse into the latest one.
    """

    def __init__(
        self,
        store: Store,
        digests: DigestService,
        reminders: ReminderService,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.digests = digests
        self.reminders = reminders
        #: "The tier you wait for is open": checked at every tick.
        self.notices = TierNoticeService(reminders)
        self.clock = clock
        self.lock = LeaderLock(store.engine)
        self.scheduler: AsyncIOScheduler | None = None
        self._tick_lock = asyncio.Lock()
        #: The schedule rows the cron jobs were last built from (see :meth:`watch`).
        self._built_from: tuple[object, ...] | None = None
        #: Schedules that could not be computed, as last reported (logged once each).
        self._broken: dict[tuple[int, str], str] = {}

    @property
    def is_leader(self) -> bool:
        """Whether this replica runs the jobs."""
        return self.lock.held

    async def tick(self) -> bool:
        """Open due periods, send due reminders and tier notices, reconcile.

        Returns ``False`` if this replica is not the leader (it does nothing then).
        """
        if not await asyncio.to_thread(self.lock.try_acquire):
            return False
        async with self._tick_lock:
            now = self.clock()
            for schedule in await asyncio.to_thread(self._schedule_rows):
                await self._run_one(schedule, now)
            try:
                await self.notices.send_due()
            except Exception:
                log.exception("tier-open notices failed")
            try:
                await self.digests.reconcile()
            except Exception:
                log.exception("digest reconciler failed")
        return True

    async def _run_one(self, schedule: schedules.ScheduleRow, now: datetime) -> None:
        """Run one schedule if it is due; whatever goes wrong stays with this schedule."""
        try:
            period = due_period(
                now,
                hour=schedule.hour,
                minute=schedule.minute,
                timezone=schedule.timezone,
                days=schedule.days,
                not_before=_aware(schedule.created_at),
            )
        except Exception as exc:  # a row edited by hand must not stop the other workshops
            self._report(schedule, f"skipped {_describe(schedule)}: {_reason(exc)}")
            return
        self._broken.pop((schedule.workshop_id, schedule.kind), None)
        if period is None:
            return
        try:
            if schedule.kind == ScheduleKind.DIGEST:
                await self.digests.open_period(schedule.workshop_id, period)
            elif schedule.kind == ScheduleKind.REMINDER:
                await self.reminders.send_due(schedule, period)
            else:
                log.warning("skipped %s: unknown kind", _describe(schedule))
        except Exception:
            log.exception("%s job of %s failed", schedule.kind, schedule.workshop_slug)

    def _report(self, schedule: schedules.ScheduleRow, line: str) -> None:
        """Log a broken schedule once, not at every tick (again if it changes)."""
        key = (schedule.workshop_id, schedule.kind)
        if self._broken.get(key) != line:
            self._broken[key] = line
            log.warning("%s", line)

    def start(self) -> AsyncIOScheduler:
        """Build the jobs from the tables and start APScheduler (call inside a running loop)."""
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.rebuild()
        self.scheduler.add_job(
            self.tick,
            IntervalTrigger(seconds=HEARTBEAT),
            id="heartbeat",
            coalesce=True,
            max_instances=1,
            next_run_time=datetime.now(UTC),
        )
        self.scheduler.add_job(
            self.watch,
            IntervalTrigger(seconds=WATCH),
            id="watch",
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()
        return self.scheduler

    async def watch(self) -> None:
        """Take over a free leader lock, and follow schedule changes, within :data:`WATCH` s.

        Every replica competes for the lock here (the heartbeat alone would leave a
        dead leader's work undone for up to a minute). The leader reads the schedule
        rows and rebuilds its cron jobs when they changed (another process, such as
        ``cityneeds workshop schedule``, edited them); a replica that has just become
        the leader rebuilds and runs a tick at once.
        """
        was_leader = self.lock.held
        try:
            leader = await asyncio.to_thread(self.lock.try_acquire)
        except Exception:
            log.warning("cannot reach the database for the leader lock", exc_info=True)
            return
        if not leader:
            return
        if not was_leader:
            log.info("this replica now runs the scheduler")
            self.rebuild()
            await self.tick()
            return
        rows = await asyncio.to_thread(self._schedule_rows)
        if _fingerprint(rows) != self._built_from:
            log.info("schedules changed: rebuilding the jobs")
            self.rebuild(rows)

    def _schedule_rows(self) -> list[schedules.ScheduleRow]:
        with self.store.session() as session:
            return schedules.all_schedules(session)

    def rebuild(self, rows: list[schedules.ScheduleRow] | None = None) -> None:
        """Replace the cron jobs with ``rows`` (by default the schedules now in the tables)."""
        if self.scheduler is None:
            return
        for job in self.scheduler.get_jobs():
            if job.id not in ("heartbeat", "watch"):
                job.remove()
        if rows is None:
            rows = self._schedule_rows()
        self._built_from = _fingerprint(rows)
        for schedule in rows:
            try:
                trigger = cron_trigger(schedule)
            except Exception as exc:  # the heartbeat still runs every other schedule
                log.warning("no job for %s: %s", _describe(schedule), _reason(exc))
                continue
            self.scheduler.add_job(
                self.tick,
                trigger,
                id=f"{schedule.kind}:{schedule.workshop_slug}",
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,
                replace_existing=True,
            )

    def shutdown(self) -> None:
        """Stop the jobs and give up leadership."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.lock.release()


def _fingerprint(rows: list[schedules.ScheduleRow]) -> tuple[object, ...]:
    """What the cron jobs depend on: each schedule's workshop, kind, time, days and zone."""
    return tuple(
        sorted((r.workshop_id, str(r.kind), r.hour, r.minute, r.days, r.timezone) for r in rows)
    )


def _describe(schedule: schedules.ScheduleRow) -> str:
    return (
        f"the {schedule.kind} schedule of workshop {schedule.workshop_slug} "
        f"({schedule.hour:02d}:{schedule.minute:02d}, days {schedule.days!r}, "
        f"timezone {schedule.timezone!r})"
    )


def _reason(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
