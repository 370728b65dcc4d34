"""Per-person ordering: one person's events are handled one at a time, in arrival order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager


class KeyedOrder:
    """An async lock per key, kept only while an event holds it or waits for it.

    ``asyncio.Lock`` wakes waiters first come, first served, so events that take
    the lock for a key before their first ``await`` run in the order they arrived.
    A key's lock is dropped as soon as nobody holds or waits for it, so a bot that
    meets a million people keeps no lock for the ones who went quiet.
    """

    def __init__(self) -> None:
        #: Per key: the lock and how many events hold or wait for it.
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    def __len__(self) -> int:
        """How many keys have an event holding or waiting for their lock."""
        return len(self._locks)

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Wait for ``key``'s turn, hold it for the ``async with`` block, then pass it on."""
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock_now, users_now = self._locks[key]
            if users_now <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock_now, users_now - 1)
