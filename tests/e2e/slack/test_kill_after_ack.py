"""``cityneeds run slack --mode http`` SIGKILLed 0–50 ms after its 200: nothing lost, nothing twice.

Fifty people each send their first message to a real ``cityneeds run slack
--mode http`` process; right after the 200 (0 to 50 ms, spread evenly) the
process is killed with SIGKILL, and the next one is started. A last process
(the installed ``cityneeds`` executable, not a fork) finishes what is left and
is stopped normally. Then every message must be stored once (one delivery,
one conversation turn) and answered once (its three replies on Slack exactly
once, each outbox row sent): 0 lost, 0 without reply, 0 twice.

The killed processes are forked from a parent that imported the app once
(:mod:`bot.testing.prefork`), so a restart costs a few hundred milliseconds,
not the three seconds of a cold interpreter.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from sqlmodel import select

from bot.testing.prefork import Prefork
from bot.testing.slack_api import SlackApiDouble
from bot.testing.slack_events import SlackEventsClient, event_callback, message_event
from storage.models import Conversation, Participant, ProcessedDelivery
from storage.store import Store
from tests.e2e.slack.helpers import SIGNING_SECRET, TOKEN, all_text

KILLS = 50
LAST_DELAY = 0.050
SECRET = "kill-test-secret"
#: Replies to a first message: welcome, the part's introduction, the consent question.
REPLIES = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _ready(port: int, pid: int | None, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while True:
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if pid is not None and not _alive(pid):
                raise AssertionError("cityneeds run slack exited before it listened")
            if time.monotonic() > deadline:
                raise AssertionError("cityneeds run slack did not start listening in time")
            await asyncio.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def _gone(pid: int) -> None:
    while _alive(pid):
        await asyncio.sleep(0.005)


def _env(tmp_path: Path, api: SlackApiDouble) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "CITYNEEDS_"))}
    env.update(
        CITYNEEDS_DATABASE_URL=f"sqlite:///{tmp_path / 'kill.db'}",
        CITYNEEDS_SECRET=SECRET,
        CITYNEEDS_SLACK_API_URL=api.api_url,
        CITYNEEDS_SLACK_POST_INTERVAL="0.02",
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
    )
    return env


async def test_fifty_kills_right_after_the_ack_lose_nothing_and_answer_once(
    tmp_path: Path,
) -> None:
    api = await SlackApiDouble(token=TOKEN, post_interval=0.02).start()
    env = _env(tmp_path, api)
    prefork = Prefork(tmp_path, env)
    log = tmp_path / "cityneeds.log"
    started = time.monotonic()
    try:
        for i in range(KILLS):
            user = f"U{i:03d}"
            api.add_user(user)
            port = _free_port()
            pid = prefork.start(["run", "slack", "--mode", "http", "--port", str(port)], {}, log)
            await _ready(port, pid)
            event = message_event(user, api.dm_channel(user), "hello")
            async with SlackEventsClient(
                f"http://127.0.0.1:{port}/slack/events", SIGNING_SECRET
            ) as events:
                delivered = await events.event(event_callback(event, event_id=f"EvKILL{i:03d}"))
            assert delivered.status == 200
            await asyncio.sleep(LAST_DELAY * i / (KILLS - 1))
            os.kill(pid, signal.SIGKILL)
            await _gone(pid)
        killing = time.monotonic() - started
        # The last start is the installed executable, stopped normally once it is idle.
        executable = shutil.which("cityneeds", path=str(Path(sys.executable).parent))
        assert executable is not None
        port = _free_port()
        final = subprocess.Popen(
            [executable, "run", "slack", "--mode", "http", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdout=log.open("a"),
            stderr=subprocess.STDOUT,
        )
        try:
            await _ready(port, None)
        finally:
            final.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(final.wait, 30) == 0
    finally:
        prefork.close()
        await api.close()
    print(f"{KILLS} kills and restarts in {killing:.1f}s")

    store = Store(env["CITYNEEDS_DATABASE_URL"])
    try:
        with store.session() as s:
            deliveries = Counter(
                d.delivery_id
                for d in s.exec(select(ProcessedDelivery)).all()
                if d.delivery_id.startswith("EvKILL")
            )
            versions = [c.version for c in s.exec(select(Conversation)).all()]
            people = len(s.exec(select(Participant)).all())
        counts = store.inbox.counts("slack")
    finally:
        store.dispose()
    # Stored once: every message is one delivery and one turn.
    assert deliveries == Counter({f"EvKILL{i:03d}": 1 for i in range(KILLS)})
    assert people == KILLS and versions == [1] * KILLS
    # Answered once: three replies per person, none twice, every outbox row sent.
    assert counts == {"inbox.done": KILLS, "outbox.sent": KILLS * REPLIES}
    outbox_ids = Counter(
        m.metadata["event_payload"]["outbox"] for m in api.posted() if m.metadata is not None
    )
    assert len(outbox_ids) == KILLS * REPLIES and set(outbox_ids.values()) == {1}
    for i in range(KILLS):
        posted = [all_text(m) for m in api.posted(api.dm_channel(f"U{i:03d}"))]
        assert len(posted) == len(set(posted)) == REPLIES, (i, posted)
        assert "Do you agree?" in posted[-1]


@pytest.fixture(autouse=True)
def _no_checkout_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
