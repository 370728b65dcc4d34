"""A workshop told as a story: a facilitator, a moderator and scripted citizens (router level)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.config import Settings
from bot.runtime import Runtime, ensure_workshop, open_runtime
from bot.testing.clock import FakeClock
from bot.testing.harness import ChatHarness
from bot.testing.poster import RecordingPoster
from storage.store import Store
from storage.workshops import WorkshopInfo
from tests.citizen import LINES

START = datetime(2026, 11, 2, 9, tzinfo=UTC)


def open_workshop(store: Store, clock: FakeClock | None = None) -> Runtime:
    """The router over ``store`` with the workshop ``city`` (close with ``rt.router.close()``)."""
    clock = clock or FakeClock(START)
    runtime = open_runtime(
        Settings(database_url=store.url, secret="story-secret"),
        store=store,
        poster=RecordingPoster(clock),
        clock=clock,
    )
    ensure_workshop(runtime.store, "city", "Test city")
    return runtime


def say(rt: Runtime, user: str, line: str, **kw: object) -> str:
    """What ``user`` reads after typing ``line`` in the workshop."""
    chat = ChatHarness(rt.router, user=user, workshop="city", **kw)  # type: ignore[arg-type]
    return "\n".join(r.text for r in chat.say(line))


def staff_says(rt: Runtime, user: str, line: str) -> str:
    """A staff line run on the staff desk directly (what ``!digest draft`` answers there)."""
    event = ChatHarness(rt.router, user=user, workshop="city").event(line)
    return "\n".join(asyncio.run(rt.staff.handle(event)).lines)


def citizen(rt: Runtime, user: str, *, need: str | None = None, upto: int | None = None) -> None:
    """A citizen who answers the scripted lines (all, or the first ``upto``)."""
    chat = ChatHarness(rt.router, user=user, workshop="city")
    chat.start()
    for index, line in enumerate(LINES[:upto]):
        chat.say(need if need and index == 5 else line)


def staff(rt: Runtime) -> tuple[str, str]:
    """Fay the facilitator (bootstrapped as platform admin) makes Mo a moderator."""
    reply = say(rt, "fay", "!role mo moderator", is_platform_admin=True)
    assert "is now moderator" in reply, reply
    return "fay", "mo"


def workshop(rt: Runtime) -> WorkshopInfo:
    """The workshop ``city`` as stored now."""
    ws = rt.store.find_workshop("city")
    assert ws is not None
    return ws
