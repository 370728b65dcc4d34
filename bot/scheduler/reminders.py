"""Gentle reminders: opted-in, unfinished participants, at most one a day each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduler.poster import Poster
from flows.catalog import Catalogs
from flows.text import Literal, Msg
from storage import schedules
from storage.clock import utcnow
from storage.schedules import ScheduleRow
from storage.store import Store
from storage.workshops import workshop_by_id

#: Nobody who answered within this long gets a reminder.
IDLE = timedelta(hours=20)


class ReminderService:
    """Sends the day's reminders for a schedule that is due."""

    def __init__(
        self,
        store: Store,
        catalogs: Catalogs,
        poster: Poster,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.catalogs = catalogs
        self.poster = poster
        self.clock = clock

    async def send_due(self, schedule: ScheduleRow, period: str) -> int:
        """Send reminders for ``period`` (a local date) if it is today; return how many."""
        now = self.clock()
        if now.astimezone(ZoneInfo(schedule.timezone)).date().isoformat() != period:
            return 0  # a missed day after downtime is not worth a late nudge
        with self.store.session() as session:
            ws = workshop_by_id(session, schedule.workshop_id)
            targets = schedules.reminder_targets(session, schedule.workshop_id, now - IDLE)
        if ws is None:
            return 0
        # Claim only reminders this poster can deliver: a Slack bot must not use up
        # the day's reminder of a Discord participant (the Discord bot sends it).
        platform = getattr(self.poster, "platform", None)
        if platform is not None:
            targets = [t for t in targets if t.platform == platform]
        sent = 0
        for target in targets:
            with self.store.session() as session:
                if not schedules.claim_reminder(session, target.participant_id, period, now):
                    continue
            text = self.catalogs.render(
                Msg("reminder.text", {"workshop": Literal(ws.title)}), target.locale
            )
            await self.poster.send_reminder(ws, target, text)
            sent += 1
        return sent
