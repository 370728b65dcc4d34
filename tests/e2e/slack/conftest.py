"""The Slack app on a loopback port, talking to the loopback Slack Web API double.

Each test gets its own double (port 0), its own app server (port 0) and a
database from the shared ``store`` fixture (SQLite and PostgreSQL); the world
itself is in :mod:`tests.e2e.slack.helpers`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.store import Store
from tests.e2e.slack.helpers import SlackWorld, close_world, open_world


@pytest.fixture
async def slack(store: Store) -> AsyncIterator[SlackWorld]:
    """The Slack app over ``store``, a double, and a client; citizens U1… exist."""
    world = await open_world(store)
    for n in range(1, 6):
        world.api.add_user(f"U{n}")
    world.api.add_user("UADMIN", is_admin=True)
    try:
        yield world
    finally:
        await close_world(world)
