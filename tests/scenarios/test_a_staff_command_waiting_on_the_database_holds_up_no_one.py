"""A facilitator's command that waits for the database does not stop the chat for others.

Slack and Discord answer everyone from one event loop. Here the database is slow to
store a facilitator's schedule (its write waits until the test lets it go): the
command waits on a worker thread, and the event loop keeps running meanwhile; it
would stand still for the whole wait if the command held its session on the loop.
Once the write goes through, the schedule is stored. Both databases.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import text

from bot.app.events import InboundEvent
from bot.runtime import Runtime
from storage import schedules

#: The slow write goes through after this long, whatever happens.
HOLD_SECONDS = 2.0


def test_a_schedule_stored_slowly_leaves_the_loop_running_for_everyone_else(
    app: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    writing, release = threading.Event(), threading.Event()
    real = schedules.set_schedule

    def slow_set_schedule(*args: Any, **kwargs: Any) -> Any:
        writing.set()
        release.wait(HOLD_SECONDS)
        return real(*args, **kwargs)

    async def scenario() -> tuple[int, bool, str]:
        facilitator = InboundEvent("slack", "U-FAC", "!help", "city", is_platform_admin=True)
        await app.router.handle(facilitator)  # the first staff command makes them facilitator
        monkeypatch.setattr(schedules, "set_schedule", slow_set_schedule)
        command = asyncio.create_task(
            app.router.handle(InboundEvent("slack", "U-FAC", "!schedule digest 18:00", "city"))
        )
        ticks = 0
        for _ in range(40):  # 0.4 s of a loop that others need, while the command waits
            await asyncio.sleep(0.01)
            ticks += 1
        waiting = writing.is_set() and not command.done()
        release.set()
        reply = await command
        return ticks, waiting, reply.replies[-1].text

    ticks, waiting, said = asyncio.run(scenario())
    assert waiting, "the command was not waiting on its write while the loop ran"
    assert ticks == 40
    assert "18:00" in said
    ws = app.store.find_workshop("city")
    assert ws is not None
    with app.store.session() as session:
        found = session.execute(
            text("SELECT hour, minute FROM schedule WHERE workshop_id = :w AND kind = 'digest'"),
            {"w": ws.id},
        ).all()
    assert [tuple(row) for row in found] == [(18, 0)]
