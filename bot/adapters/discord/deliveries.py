"""What the Discord adapter did with each delivery, and waiting until one is handled."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

#: How many handled deliveries are remembered (for :meth:`Deliveries.wait_handled`).
HANDLED_KEPT = 4096


@dataclass
class Handled:
    """What the adapter did with one delivery (a message id or an interaction id)."""

    delivery: str
    kind: str
    started: float
    finished: float = 0.0
    duplicate: bool = False
    #: Kept by a process that died before finishing it, and dispatched again on start.
    replayed: bool = False
    step: str | None = None
    sent: list[int] = field(default_factory=list)
    error: str | None = None


class Deliveries:
    """The last :data:`HANDLED_KEPT` deliveries and how often each arrived."""

    def __init__(self) -> None:
        self.handled: OrderedDict[str, Handled] = OrderedDict()
        #: How often each delivery arrived (Discord may redeliver after a RESUME).
        self.arrivals: Counter[str] = Counter()
        self._changed = asyncio.Condition()

    @asynccontextmanager
    async def tracking(
        self,
        delivery: str,
        kind: str,
        on_failure: Callable[[], Awaitable[None]] | None = None,
    ) -> AsyncIterator[Handled]:
        """Record what handling one delivery did; log failures instead of raising.

        ``on_failure`` runs after a failure (the adapter tells the user, so a
        deferred "thinking…" never hangs); its own failure is logged too.
        """
        handled = Handled(delivery, kind, time.monotonic())
        try:
            yield handled
        except Exception as exc:
            handled.error = repr(exc)
            log.exception("discord %s %s failed", kind, delivery)
            if on_failure is not None:
                try:
                    await on_failure()
                except Exception:
                    log.exception("could not tell the user that %s failed", delivery)
        finally:
            handled.finished = time.monotonic()
            self.handled[delivery] = handled
            self.handled.move_to_end(delivery)
            self.arrivals[delivery] += 1
            while len(self.handled) > HANDLED_KEPT:
                gone, _ = self.handled.popitem(last=False)
                self.arrivals.pop(gone, None)
            async with self._changed:
                self._changed.notify_all()

    async def wait_handled(
        self, delivery: str, timeout: float = 10.0, *, times: int = 1
    ) -> Handled:
        """Wait until a delivery (message id or interaction id) has been fully handled.

        Args:
            delivery: The message or interaction id.
            timeout: Seconds to wait.
            times: Wait for the ``times``-th arrival (redeliveries count).

        Raises:
            TimeoutError: Not handled within ``timeout`` seconds.
        """
        try:
            async with asyncio.timeout(timeout), self._changed:
                await self._changed.wait_for(lambda: self.arrivals[delivery] >= times)
        except TimeoutError:
            raise TimeoutError(f"delivery {delivery} not handled within {timeout}s") from None
        return self.handled[delivery]
