"""Run N simulated citizens concurrently through the router."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass

from bot.app.events import InboundEvent
from bot.app.router import Router
from bot.demo.citizen import HELIX, SimulatedCitizen

#: A participant that needs more turns than this is stopped (a loop would be a bug).
MAX_TURNS = 400


@dataclass(frozen=True)
class SimulationResult:
    """How the simulated workshop went."""

    participants: int
    messages: int
    finished: int


def make_citizens(count: int, seed: int) -> list[SimulatedCitizen]:
    """Citizens with mixed groups and languages, reproducible from ``seed``."""
    people = []
    for index in range(count):
        rng = random.Random(f"{seed}:{index}")
        people.append(
            SimulatedCitizen(
                user_id=f"citizen-{index:05d}",
                locale="zh" if index % 3 == 2 else "en",
                helix=HELIX[index % len(HELIX)],
                rng=rng,
                stakeholders_wanted=rng.randint(2, 4),
                links_wanted=rng.randint(1, 2),
                requirements_wanted=rng.randint(1, 2),
            )
        )
    return people


async def run_citizen(
    router: Router, workshop: str, citizen: SimulatedCitizen, platform: str = "sim"
) -> tuple[int, bool]:
    """Take one citizen through every tier; return (messages sent, finished)."""
    base = InboundEvent(
        platform=platform,
        user_id=citizen.user_id,
        text="",
        workshop=workshop,
        locale=citizen.locale,
    )
    response = await router.start(base)
    sent = 0
    while sent < MAX_TURNS:
        text = citizen.answer(response.replies)
        if text is None:
            break
        response = await router.handle(
            InboundEvent(
                platform=platform,
                user_id=citizen.user_id,
                text=text,
                workshop=workshop,
                locale=citizen.locale,
            )
        )
        sent += 1
    finished = any(r.kind == "done" and r.step is None for r in response.replies)
    return sent, finished


async def simulate(
    router: Router,
    workshop: str,
    count: int,
    seed: int,
    *,
    on_done: Callable[[], None] | None = None,
) -> SimulationResult:
    """Run ``count`` citizens concurrently; ``on_done`` is called as each finishes."""

    async def one(citizen: SimulatedCitizen) -> tuple[int, bool]:
        result = await run_citizen(router, workshop, citizen)
        if on_done is not None:
            on_done()
        return result

    results = await asyncio.gather(*(one(c) for c in make_citizens(count, seed)))
    return SimulationResult(
        participants=count,
        messages=sum(sent for sent, _ in results),
        finished=sum(1 for _, done in results if done),
    )
