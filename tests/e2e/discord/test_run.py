"""``cityneeds run discord``: DISCORD_TOKEN, and the API/gateway URL overrides, end to end."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from pathlib import Path

import pytest
from discord.gateway import DiscordWebSocket
from discord.http import Route
from sqlmodel import select
from typer.testing import CliRunner

from bot.adapters.discord.main import run_discord
from bot.cli.app import app as cli
from bot.config import ConfigError, Settings
from bot.identity import pseudonym
from bot.runtime import ensure_workshop
from bot.testing.discord_api import FakeDiscord
from bot.testing.discord_harness import build_world
from storage.models import Participant
from storage.store import Store
from tests.e2e.discord.helpers import FAST_CHANNELS

DISCORD_VARS = (
    "DISCORD_TOKEN",
    "CITYNEEDS_DISCORD_TOKEN",
    "CITYNEEDS_DISCORD_API_URL",
    "CITYNEEDS_DISCORD_GATEWAY_URL",
)


@pytest.fixture
def no_discord_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in DISCORD_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout


@pytest.mark.usefixtures("no_discord_env")
def test_a_missing_token_is_a_clear_config_error() -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        run_discord(Settings())
    result = CliRunner().invoke(cli, ["run", "discord"])
    assert result.exit_code == 2
    assert "DISCORD_TOKEN" in result.output
    # Nothing was overridden on the way out.
    assert Route.BASE == "https://discord.com/api/v10"
    assert str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"


async def test_cityneeds_run_discord_talks_to_the_urls_it_is_given(
    db_url: str, tmp_path: Path
) -> None:
    store = Store(db_url)
    store.ensure_schema()
    fake = FakeDiscord(limits=FAST_CHANNELS)
    await fake.start()
    world = build_world(fake)
    ws = ensure_workshop(store, "city")
    store.bind_channel(ws.id, "discord", world.workshop_channel)
    env = {
        **{k: v for k, v in os.environ.items() if k not in DISCORD_VARS},
        "DISCORD_TOKEN": fake.token,
        "CITYNEEDS_DISCORD_API_URL": fake.api_url,
        "CITYNEEDS_DISCORD_GATEWAY_URL": fake.gateway_url,
        "CITYNEEDS_DATABASE_URL": db_url,
        "CITYNEEDS_SECRET": "run-secret",
    }
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "cityneeds"),
            "run",
            "discord",
            env=env,
            cwd=tmp_path,
            stdout=out,
            stderr=out,
        )
    try:
        await fake.wait_for(
            lambda: fake.identifies == 1 and fake.connected and bool(fake.commands),
            timeout=60,
            what="the bot to log in, sync its commands and identify",
        )
        routes = [r.route for r in fake.requests]
        assert routes[:3] == [
            "GET /users/@me",
            "GET /oauth2/applications/@me",
            "PUT /applications/{application_id}/commands",
        ]
        record = await fake.slash(world.users["alice"], world.workshop_channel, "cityneeds", "join")
        await fake.wait_for(lambda: bool(record.followups), timeout=30, what="the join notice")
        assert record.latency is not None and record.latency < 3.0
        [thread] = fake.threads_of(world.workshop_channel)
        assert fake.sent_to(thread["id"])[0].content.startswith("Welcome to the CityNeeds workshop")
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), timeout=30) == 0
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await fake.close()
    with store.session() as s:
        alice = pseudonym("run-secret", "discord", world.users["alice"])
        person = s.exec(select(Participant).where(Participant.pseudonym == alice)).one()
    assert person.platform == "discord"
    store.dispose()
    assert "Traceback" not in log.read_text(errors="replace")


def _fake_in_a_thread(fake: FakeDiscord) -> tuple[asyncio.AbstractEventLoop, threading.Thread]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(fake.start(), loop).result(timeout=10)
    return loop, thread


@pytest.mark.usefixtures("no_discord_env")
def test_a_message_content_intent_not_enabled_in_the_portal_is_a_config_error(db_url: str) -> None:
    fake = FakeDiscord(message_content_allowed=False)
    loop, thread = _fake_in_a_thread(fake)
    try:
        build_world(fake)
        settings = Settings(
            database_url=db_url,
            secret="intent-secret",
            discord_token=fake.token,
            discord_api_url=fake.api_url,
            discord_gateway_url=fake.gateway_url,
        )
        with pytest.raises(ConfigError, match="message content intent"):
            run_discord(settings)
        assert fake.identifies == 0 and fake.connections == 1
        assert Route.BASE == "https://discord.com/api/v10"
    finally:
        asyncio.run_coroutine_threadsafe(fake.close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
