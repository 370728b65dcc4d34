"""Per-person ordering: one person's events are handled one at a time, in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from types import TracebackType


class Turn:
    """One event's place in its key's line, taken with :meth:`KeyedOrder.place`.

    ``async with turn`` waits until every earlier event of the key has finished
    and gives the turn back on exit. A turn that is given back (or never
    entered) before its predecessor finished still passes the line on only
    after that predecessor, so the order of the others holds.
    """

    def __init__(self, order: KeyedOrder, key: Hashable, before: asyncio.Future[None] | None):
        self._order = order
        self._key = key
        self._before = before
        self.done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._released = False

    async def wait(self) -> None:
        """Wait until every earlier event of the key has finished."""
        if self._before is not None and not self._before.done():
            await asyncio.shield(self._before)

    def release(self) -> None:
        """Pass the line on (idempotent); the key is forgotten once nobody is in line."""
        if self._released:
            return
        self._released = True
        before = self._before
        if before is None or before.done():
            self._finish()
        else:
            before.add_done_callback(lambda _: self._finish())
        self._order._leave(self._key)

    def _finish(self) -> None:
        if not self.done.done():
            self.done.set_result(None)

    async def __aenter__(self) -> Turn:
        try:
            await self.wait()
        except BaseException:
            self.release()
            raise
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class KeyedOrder:
    """A line per key, kept only while an event is in it.

    :meth:`place` takes an event's place synchronously, so events that take it
    before their first ``await`` run in the order they arrived, even when each
    does some I/O of its own (a deferral, say) before waiting for its turn.
    A key's line is dropped as soon as nobody is in it, so a bot that meets a
    million people keeps nothing for the ones who went quiet.
    """

    def __init__(self) -> None:
        #: Per key: the last event's ``done`` future and how many events are in line.
        self._lines: dict[Hashable, tuple[asyncio.Future[None], int]] = {}

    def __len__(self) -> int:
        """How many keys have an event holding or waiting for their turn."""
        return len(self._lines)

    def place(self, key: Hashable) -> Turn:
        """Take the next place in ``key``'s line now (no ``await``); enter it to wait."""
        tail, users = self._lines.get(key, (None, 0))
        turn = Turn(self, key, tail)
        self._lines[key] = (turn.done, users + 1)
        return turn

    def _leave(self, key: Hashable) -> None:
        tail, users = self._lines[key]
        if users <= 1:
            del self._lines[key]
        else:
            self._lines[key] = (tail, users - 1)

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Wait for ``key``'s turn, hold it for the ``async with`` block, then pass it on."""
        async with self.place(key):
            yield
