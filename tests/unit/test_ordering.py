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


async def test_a_place_taken_before_slow_io_keeps_the_arrival_order() -> None:
    # A click takes its place, then is deferred (slow I/O), then waits for its turn;
    # a typed answer arriving after it, with no I/O of its own, still goes second.
    order = KeyedOrder()
    seen: list[str] = []
    deferred = asyncio.Event()

    async def click() -> None:
        turn = order.place("ann")
        try:
            await deferred.wait()  # the deferral's HTTP call
            async with turn:
                seen.append("click")
        finally:
            turn.release()

    async def typed() -> None:
        async with order.hold("ann"):
            seen.append("typed")

    tasks = [asyncio.create_task(click()), asyncio.create_task(typed())]
    await asyncio.sleep(0)
    assert seen == []  # the typed answer waits for the click
    deferred.set()
    await asyncio.gather(*tasks)
    assert seen == ["click", "typed"]
    assert len(order) == 0


async def test_a_place_given_back_unused_passes_the_turn_on_only_after_the_one_before() -> None:
    order = KeyedOrder()
    seen: list[str] = []
    gate = asyncio.Event()

    async def first() -> None:
        async with order.hold("ann"):
            await gate.wait()
            seen.append("first")

    running = asyncio.create_task(first())
    await asyncio.sleep(0)
    unused = order.place("ann")  # e.g. a duplicate dropped before its turn
    unused.release()
    unused.release()  # idempotent

    async def third() -> None:
        async with order.hold("ann"):
            seen.append("third")

    later = asyncio.create_task(third())
    await asyncio.sleep(0)
    assert seen == []
    gate.set()
    await asyncio.gather(running, later)
    assert seen == ["first", "third"]
    assert len(order) == 0
