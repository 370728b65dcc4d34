"""Keeping under Discord's global limit (50 requests per second per bot) before Discord says so.

discord.py keeps each route's bucket from the headers Discord sends and waits
after a 429, but it learns of the *global* limit only from a 429. A fan-out to
hundreds of channels (digests, reminders) would hit it every second. Every
message the bot posts to a channel therefore first takes a slot here.
Interaction responses and follow-ups are exempt from the global limit and do
not wait.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable
from typing import Any

#: Discord allows 50; the margin absorbs network jitter between here and Discord.
DEFAULT_RATE = 47.0


class GlobalPacer:
    """Spaces calls at most ``rate`` per second (no bursts), in the order they ask.

    Args:
        rate: Calls per second.
        clock: Monotonic time.
        sleep: ``asyncio.sleep`` (tests may pass another).
    """

    def __init__(
        self,
        rate: float = DEFAULT_RATE,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0
        #: Calls paced and seconds spent waiting, for benchmarks.
        self.calls = 0
        self.waited = 0.0

    async def wait(self) -> None:
        """Return when this call's slot has come."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval
        self.calls += 1
        if slot > now:
            self.waited += slot - now
            await self._sleep(slot - now)


_PACERS: weakref.WeakKeyDictionary[Any, GlobalPacer] = weakref.WeakKeyDictionary()


def pacer_for(client: Any) -> GlobalPacer:
    """The pacer shared by everything that posts through ``client`` (one bot, one limit)."""
    pacer = _PACERS.get(client)
    if pacer is None:
        pacer = _PACERS[client] = GlobalPacer()
    return pacer
