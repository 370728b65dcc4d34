"""Gentle reminders: opted-in, unfinished participants, at most one a day each."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.scheduler.keys import PostKey, reminder_key
from bot.scheduler.poster import Poster
from flows.catalog import Catalogs
from flows.text import Literal, Msg
from storage import schedules
from storage.clock import utcnow
from storage.schedules import ReminderTarget, ScheduleRow
from storage.store import Store
from storage.workshops import WorkshopInfo, workshop_by_id

if TYPE_CHECKING:
    from sqlmodel import Session

log = logging.getLogger(__name__)

#: Nobody who answered within this long gets a reminder.
IDLE = timedelta(hours=20)
#: A reminder claimed this long ago and never recorded as sent was interrupted.
SENDING_GRACE = timedelta(minutes=2)


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
        ws, targets = await self.store.in_session(
            lambda session: (
                workshop_by_id(session, schedule.workshop_id),
                schedules.reminder_targets(session, schedule.workshop_id, now - IDLE),
            )
        )
        if ws is None:
            return 0
        # Claim only reminders this poster can deliver: a Slack bot must not use up
        # the day's reminder of a Discord participant (the Discord bot sends it).
        platform = getattr(self.poster, "platform", None)
        if platform is not None:
            targets = [t for t in targets if t.platform == platform]
        sent = 0
        for target in targets:
            key = reminder_key(target.participant_id, period)
            text = self.catalogs.render(
                Msg("reminder.text", {"workshop": Literal(ws.title)}), target.locale
            )
            if await self.deliver_once(ws, target, period, text, key):
                sent += 1
        return sent

    async def deliver_once(
        self, ws: WorkshopInfo, target: ReminderTarget, day: str, text: str, key: PostKey
    ) -> bool:
        """Send ``text`` to ``target`` once for ``day``; ``True`` if it was sent just now.

        The ``(participant, day)`` claim is written before the platform call, so two
        replicas never both send it; a claim never completed (a crash, a refusal) is
        retried after :data:`SENDING_GRACE`, looking on the platform first.
        """
        now = self.clock()
        who = target.participant_id

        def claim(session: Session) -> tuple[bool, datetime | None]:
            claimed = schedules.claim_reminder(session, who, day, now)
            return claimed, None if claimed else schedules.unsent_reminder(session, who, day)

        claimed, unsent = await self.store.in_session(claim)
        if not claimed:
            if unsent is None or now - _aware(unsent, now) < SENDING_GRACE:
                return False  # sent, or another process is sending it right now
            # The next retry waits a grace again.
            await self.store.in_session(
                lambda session: schedules.retry_reminder(session, who, day, now)
            )
        try:
            if not claimed:
                # Interrupted between the platform call and the record: look first.
                found = await self.poster.find_reminder(ws, target, text, key)
                if found is not None:
                    await self._record(target.participant_id, day, found)
                    return False
            message_id = await self.poster.send_reminder(ws, target, text, key)
        except Exception:
            log.exception(
                "message to a participant of %s could not be sent; retrying later", ws.slug
            )
            return False
        await self._record(target.participant_id, day, message_id)
        return True

    async def _record(self, participant_id: int, period: str, message_id: str) -> None:
        now = self.clock()
        await self.store.in_session(
            lambda session: schedules.mark_reminder_sent(
                session, participant_id, period, message_id, now
            )
        )


def _aware(moment: datetime, like: datetime) -> datetime:
    """``moment`` with ``like``'s time zone if it has none (SQLite drops it)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=like.tzinfo)
