"""Fixtures: the app on SQLite and PostgreSQL, with the Discord poster, and the loopback Discord."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from bot.adapters.discord.poster import DiscordPoster
from bot.config import Settings
from bot.core import load_core
from bot.runtime import Runtime, open_runtime
from bot.testing.discord_api import FakeDiscord
from bot.testing.discord_harness import DiscordHarness
from storage.store import Store
from tests.e2e.discord.helpers import FAST_CHANNELS


@pytest.fixture
def poster(store: Store) -> DiscordPoster:
    return DiscordPoster(store, load_core().catalogs)


@pytest.fixture
def runtime(store: Store, poster: DiscordPoster) -> Iterator[Runtime]:
    settings = Settings(database_url=store.url, secret="discord-test-secret")
    rt = open_runtime(settings, store=store, poster=poster)
    yield rt
    rt.scheduler.shutdown()
    rt.router.close()


@pytest.fixture
async def discord(runtime: Runtime, poster: DiscordPoster) -> AsyncIterator[DiscordHarness]:
    async with DiscordHarness.start(
        runtime, poster=poster, fake=FakeDiscord(limits=FAST_CHANNELS)
    ) as harness:
        yield harness
