"""200 participants answering at once through the router: everything stored, nothing locked."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from storage.models import Conversation, Need, Stakeholder
from tests.citizen import CITIZEN_LINES

PARTICIPANTS = 200
#: Consent through the first stakeholder: needs and a stakeholder for everyone.
LINES = CITIZEN_LINES[:22]


async def _one(app: Runtime, index: int) -> list[str]:
    chat = ChatHarness(app.router, user=f"p{index:03d}", workshop="city")
    await chat.astart()
    steps = []
    for line, expected in LINES:
        await chat.asay(line)
        steps.append(f"{chat.step}" if chat.step == expected else f"WRONG {line}->{chat.step}")
    return steps


def test_200_concurrent_participants_all_stored(
    app: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)

    async def run() -> list[list[str]]:
        return await asyncio.gather(*(_one(app, i) for i in range(PARTICIPANTS)))

    results = asyncio.run(run())
    wrong = [s for steps in results for s in steps if s.startswith("WRONG")]
    assert wrong == []
    assert "database is locked" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with app.store.session() as s:
        assert s.exec(select(func.count()).select_from(Need)).one() == 2 * PARTICIPANTS
        assert s.exec(select(func.count()).select_from(Stakeholder)).one() == PARTICIPANTS
        steps = s.exec(select(Conversation.step)).all()
    assert len(steps) == PARTICIPANTS and set(steps) == {LINES[-1][1]}
