"""The global pacer spaces a burst of sends to Discord's global rate, in order."""

from __future__ import annotations

import asyncio

from bot.adapters.discord.pacer import GlobalPacer


def test_a_burst_is_spaced_to_the_rate_and_a_quiet_bot_does_not_wait() -> None:
    now = [100.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    pacer = GlobalPacer(50.0, clock=lambda: now[0], sleep=sleep)

    async def burst() -> None:
        for _ in range(100):
            await pacer.wait()

    asyncio.run(burst())
    # 100 calls asked at the same instant: the k-th waits k/50 s.
    assert len(slept) == 99
    assert abs(slept[-1] - 99 / 50) < 1e-9 and slept == sorted(slept)
    now[0] += 10  # long after: the next call goes at once
    slept.clear()
    asyncio.run(pacer.wait())
    assert slept == []
