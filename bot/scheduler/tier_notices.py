"""When a tier opens, everyone waiting for it gets one message (if a reminder may reach them).

Run by the scheduler's leader at every tick, so it works whoever opened the tier
(``!open meso`` on any replica, ``cityneeds workshop open-tier`` from a shell).
Each wait is told once: the claim is the participant's ``reminderlog`` row for
the wait (see :mod:`storage.tier_waits`), delivered through the reminder path
(:meth:`ReminderService.deliver_once`), which never sends twice after a crash.
"""

from __future__ import annotations

import logging

from bot.scheduler.keys import tier_open_key
from bot.scheduler.reminders import ReminderService
from flows.text import Literal, Msg
from storage import tier_waits

log = logging.getLogger(__name__)


class TierNoticeService:
    """Tells waiting participants that their tier is open.

    Args:
        reminders: The reminder service whose poster, catalogs and claims it uses.
    """

    def __init__(self, reminders: ReminderService) -> None:
        self.reminders = reminders

    async def send_due(self) -> int:
        """Send every notice that is due; return how many were sent now."""
        store = self.reminders.store
        waiting = await store.in_session(tier_waits.waiting_for_open_tiers)
        # Only notices this poster can deliver (a Slack bot leaves Discord's waiters alone).
        platform = getattr(self.reminders.poster, "platform", None)
        sent = 0
        for wait in waiting:
            target = wait.target
            if platform is not None and target.platform != platform:
                continue
            text = self.reminders.catalogs.render(
                Msg(
                    "tier.opened_notice",
                    {"workshop": Literal(wait.workshop.title), "tier": Msg(f"tier.{wait.tier}")},
                ),
                target.locale,
            )
            key = tier_open_key(target.participant_id, wait.day)
            if await self.reminders.deliver_once(wait.workshop, target, wait.day, text, key):
                sent += 1
        return sent
