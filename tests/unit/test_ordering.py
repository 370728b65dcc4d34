"""Per-person ordering: one key's events in arrival order, other keys not held up, nothing kept."""

from __future__ import annotations

import asyncio

from bot.app.ordering import KeyedOrder


async def test_one_keys_events_run_in_arrival_order_and_the_lock_is_dropped_after() -> None:
    order = KeyedOrder()
    seen: list[str] = []
    gate = asyncio.Event()

    async def event(key: str, name: str, wait: bool) -> None:
        async with order.hold(key):
            if wait:
                await gate.wait()
            seen.append(name)

    first = asyncio.create_task(event("ann", "ann-1", True))
    await asyncio.sleep(0)
    rest = [asyncio.create_task(event("ann", f"ann-{n}", False)) for n in range(2, 5)]
    other = asyncio.create_task(event("ben", "ben-1", False))
    await other  # ben does not wait for ann
    assert seen == ["ben-1"]
    assert len(order) == 1  # ann's lock: one holds it, three wait
    gate.set()
    await asyncio.gather(first, *rest)
    assert seen == ["ben-1", "ann-1", "ann-2", "ann-3", "ann-4"]
    assert len(order) == 0


async def test_a_failing_event_passes_the_turn_on() -> None:
    order = KeyedOrder()

    async def fails() -> None:
        async with order.hold("ann"):
            raise RuntimeError("boom")

    results = await asyncio.gather(fails(), fails(), return_exceptions=True)
    assert [type(r) for r in results] == [RuntimeError, RuntimeError]
    assert len(order) == 0
