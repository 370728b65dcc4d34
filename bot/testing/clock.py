"""A clock tests can set and advance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class FakeClock:
    """Callable like ``utcnow``; returns the time it was set to."""

    now: datetime

    def __call__(self) -> datetime:
        """The current fake time."""
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        """Move the time forward and return it."""
        self.now += delta
        return self.now
