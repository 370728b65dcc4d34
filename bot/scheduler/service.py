"""APScheduler 3 wiring: jobs rebuilt from our tables, one leader, coalesced misfires."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.scheduler.digests import DigestService
from bot.scheduler.periods import due_period
from bot.scheduler.reminders import ReminderService
from flows.kinds import ScheduleKind
from storage import schedules
from storage.clock import utcnow
from storage.leader import LeaderLock
from storage.store import Store

log = logging.getLogger(__name__)

#: How often the leader re-checks schedules and the reconciler runs, in seconds.
HEARTBEAT = 60


def cron_trigger(schedule: schedules.ScheduleRow) -> CronTrigger:
    """The APScheduler trigger for a schedule, in the workshop's timezone.

    Raises:
        ValueError: The row's days or time are not valid (see :func:`schedules.parse_days`).
    """
    schedules.parse_days(schedule.days)
    schedules.check_time(schedule.hour, schedule.minute)
    days = schedule.days.strip().lower()
    day_of_week = None if days in schedules.EVERY_DAY else "".join(days.split())
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
        self.clock = clock
        self.lock = LeaderLock(store.engine)
        self.scheduler: AsyncIOScheduler | None = None
        self._tick_lock = asyncio.Lock()
        #: Schedules that could not be computed, as last reported (logged once each).
        self._broken: dict[tuple[int, str], str] = {}

    @property
    def is_leader(self) -> bool:
        """Whether this replica runs the jobs."""
        return self.lock.held

    async def tick(self) -> bool:
        """Open due periods, send due reminders and reconcile; ``False`` if not the leader."""
        if not self.lock.try_acquire():
            return False
        async with self._tick_lock:
            now = self.clock()
            with self.store.session() as session:
                rows = schedules.all_schedules(session)
            for schedule in rows:
                await self._run_one(schedule, now)
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
        self.scheduler.start()
        return self.scheduler

    def rebuild(self) -> None:
        """Replace the cron jobs with the schedules now in the tables."""
        if self.scheduler is None:
            return
        for job in self.scheduler.get_jobs():
            if job.id != "heartbeat":
                job.remove()
        with self.store.session() as session:
            rows = schedules.all_schedules(session)
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
