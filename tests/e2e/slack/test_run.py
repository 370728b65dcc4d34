"""``cityneeds run slack``: token checks, HTTP mode and Socket Mode against the double."""

from __future__ import annotations

import asyncio
import functools
import time
from pathlib import Path

import aiohttp
import pytest
from typer.testing import CliRunner

from bot.adapters.slack.main import resolve_mode, run_slack, serve
from bot.adapters.slack.service import SlackStack, build_slack
from bot.cli.app import app as cli
from bot.config import ConfigError, Settings
from bot.testing.slack_api import SlackApiDouble
from bot.testing.slack_events import (
    SlackEventsClient,
    event_callback,
    message_event,
    slash_command,
)
from storage.store import Store
from tests.e2e.slack.helpers import SIGNING_SECRET, TOKEN, all_text, fast_sender

SLACK_VARS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "CITYNEEDS_SLACK_BOT_TOKEN",
    "CITYNEEDS_SLACK_SIGNING_SECRET",
    "CITYNEEDS_SLACK_APP_TOKEN",
)


@pytest.fixture
def no_slack_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in SLACK_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no .env from the checkout


def _settings(**values: str | None) -> Settings:
    return Settings(**values)  # type: ignore[arg-type]


@pytest.mark.usefixtures("no_slack_env")
def test_missing_tokens_are_named_with_what_they_are_for() -> None:
    with pytest.raises(ConfigError) as nothing:
        resolve_mode(_settings(), "auto")
    message = str(nothing.value)
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "Socket Mode"):
        assert name in message
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN") as socket:
        resolve_mode(_settings(slack_bot_token="xoxb-1"), "socket")
    assert "SLACK_SIGNING_SECRET" not in str(socket.value)
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET") as http:
        resolve_mode(_settings(slack_bot_token="xoxb-1"), "http")
    assert "SLACK_APP_TOKEN" not in str(http.value)
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        resolve_mode(_settings(slack_app_token="xapp-1"), "auto")
    with pytest.raises(ConfigError, match="starts with xoxb-"):
        resolve_mode(_settings(slack_bot_token="xapp-1", slack_app_token="xapp-1"), "socket")
    with pytest.raises(ConfigError, match="unknown Slack mode"):
        resolve_mode(_settings(slack_bot_token="xoxb-1"), "carrier-pigeon")
    assert resolve_mode(_settings(slack_bot_token="xoxb-1", slack_app_token="xapp-1"), "auto") == (
        "socket"
    )
    assert resolve_mode(_settings(slack_bot_token="xoxb-1", slack_signing_secret="s"), "auto") == (
        "http"
    )
    with pytest.raises(ConfigError):
        run_slack(_settings(), mode="auto")


@pytest.mark.usefixtures("no_slack_env")
def test_the_cli_prints_the_missing_variables_and_exits_2(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    result = CliRunner().invoke(cli, ["run", "slack", "--mode", "socket"])
    assert result.exit_code == 2
    assert "SLACK_APP_TOKEN" in result.output and "connections:write" in result.output


def _stack_builder(store: Store) -> functools.partial[SlackStack]:
    return functools.partial(build_slack, store=store, sender=fast_sender())


async def test_http_mode_serves_signed_requests_through_the_configured_api_url(
    store: Store,
) -> None:
    api = await SlackApiDouble(token=TOKEN, post_interval=0.02).start()
    api.add_user("U1")
    settings = _settings(
        database_url=store.url,
        secret="test-secret",
        slack_bot_token=TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.api_url.rstrip("/"),  # with or without the trailing slash
    )
    stop = asyncio.Event()
    ready: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(
            settings,
            mode="http",
            host="127.0.0.1",
            port=0,
            stop=stop,
            ready=lambda _stack, port: ready.set_result(int(port or 0)),
            build=_stack_builder(store),
        )
    )
    try:
        port = await asyncio.wait_for(ready, 20)
        assert api.calls_to("auth.test", ok=True)  # the token was checked at start
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/healthz") as resp,
        ):
            assert resp.status == 200
        url = f"http://127.0.0.1:{port}/slack/events"
        async with SlackEventsClient(url, SIGNING_SECRET) as events:
            delivered = await events.event(
                event_callback(message_event("U1", api.dm_channel("U1"), "hello"))
            )
            assert delivered.status == 200
            await api.wait_for(lambda: len(api.posted(api.dm_channel("U1"))) == 3, timeout=15)
            assert (
                await events.event(event_callback(message_event("U1", "D1", "x")), signing="none")
            ).status == 401
        assert store.find_workshop("city") is not None  # the default workshop exists
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
        await api.close()


async def test_a_refused_bot_token_is_a_config_error(store: Store) -> None:
    api = await SlackApiDouble(token="xoxb-the-real-one").start()
    settings = _settings(
        database_url=store.url,
        secret="test-secret",
        slack_bot_token="xoxb-a-stale-one",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api.api_url,
    )
    try:
        with pytest.raises(ConfigError, match="invalid_auth"):
            await serve(settings, mode="http", port=0, build=_stack_builder(store))
    finally:
        await api.close()


async def test_socket_mode_connects_with_the_app_token_and_acks_fast(store: Store) -> None:
    api = await SlackApiDouble(token=TOKEN, post_interval=0.02).start()
    api.add_user("U1")
    api.add_user("UADMIN", is_admin=True)
    settings = _settings(
        database_url=store.url,
        secret="test-secret",
        slack_bot_token=TOKEN,
        slack_app_token=api.app_token,
        slack_api_url=api.api_url,
    )
    stop = asyncio.Event()
    stacks: list[SlackStack] = []
    task = asyncio.create_task(
        serve(
            settings,
            mode="socket",
            stop=stop,
            ready=lambda stack, _port: stacks.append(stack),
            build=_stack_builder(store),
        )
    )
    try:
        await api.wait_for(lambda: api.socket_connected and bool(stacks), timeout=20)
        stats = stacks[0].bot.stats
        opened = api.calls_to("apps.connections.open", ok=True)
        assert len(opened) == 1
        # A DM over Socket Mode, and the same event again as Slack's retry.
        envelope = event_callback(message_event("U1", api.dm_channel("U1"), "hello"))
        first = await api.socket_send("events_api", envelope)
        again = await api.socket_send(
            "events_api", envelope, retry_attempt=1, retry_reason="timeout"
        )
        await api.wait_for(lambda: {first, again} <= set(api.socket_acks), timeout=10)
        for envelope_id in (first, again):
            assert api.socket_acks[envelope_id][0] - api.socket_sent[envelope_id] < 3.0
        await api.wait_for(
            lambda: stats["message.turn"] + stats["request.redelivered"] == 2, timeout=15
        )
        await stacks[0].bot.wait_idle(10)
        assert (stats["message.turn"], stats["request.redelivered"]) == (1, 1)
        assert store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 3}
        assert len(api.posted(api.dm_channel("U1"))) == 3  # the retry posted nothing
        assert "Do you agree?" in all_text(api.posted(api.dm_channel("U1"))[-1])
        # A slash command over Socket Mode answers at its response_url.
        command = slash_command(
            "UADMIN", "C0SOCKET", "setup city", response_url=api.response_url("sock")
        )
        sent = time.monotonic()
        envelope_id = await api.socket_send("slash_commands", command)
        await api.wait_for(lambda: envelope_id in api.socket_acks, timeout=10)
        assert api.socket_acks[envelope_id][0] - sent < 3.0
        await api.wait_for(lambda: bool(api.responses.get("sock")), timeout=15)
        assert store.workshop_of_channel("slack", "C0SOCKET") is not None
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
        await api.close()
