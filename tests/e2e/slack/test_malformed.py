"""Issue 14, items 2 and 4: nothing unsigned reaches a parser, nothing malformed gets a 500,
and no participant's text reaches the logs at INFO or above.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import json
import logging
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlmodel import func, select

from bot.adapters.slack.main import serve
from bot.adapters.slack.service import SlackStack, build_slack
from bot.config import Settings
from bot.testing.slack_api import SlackApiDouble
from bot.testing.slack_events import event_callback, message_event
from storage.models import AuditLog, ChannelBinding, Participant, ProcessedDelivery, Workshop
from storage.store import Store
from tests.e2e.slack.helpers import SIGNING_SECRET, TOKEN, SlackWorld, fast_sender

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
#: Text a participant might type; it must never appear in a log line at INFO or above.
SECRET_NEED = "my neighbour Ada Lovelace at 12 Elm Street needs a ramp"

#: Bodies Bolt cannot parse or our listeners cannot read (content type, body).
MALFORMED = [
    (JSON, "this is not json " + SECRET_NEED),
    (FORM, "payload=" + SECRET_NEED.replace(" ", "+")),
    (JSON, json.dumps([SECRET_NEED, 2, 3])),
    (JSON, json.dumps({"type": "event_callback", "event": "boom " + SECRET_NEED})),
    (JSON, json.dumps({"type": "event_callback", "event": {"type": 5, "text": SECRET_NEED}})),
    (FORM, urlencode({"payload": json.dumps({"type": "block_actions", "actions": "boom"})})),
    (FORM, urlencode({"payload": json.dumps({"type": "view_submission", "view": [1]})})),
    (JSON, json.dumps({"type": "event_callback", "team": 5, "event": {"type": "message"}})),
    (FORM, "text=" + SECRET_NEED.replace(" ", "+")),
    (JSON, "\xff\xfe{"),  # not UTF-8 (sent as Latin-1 bytes)
]


def _counts(world: SlackWorld) -> dict[str, int]:
    with world.store.session() as s:
        return {
            model.__name__: int(s.exec(select(func.count()).select_from(model)).one())
            for model in (Participant, ProcessedDelivery, ChannelBinding, AuditLog, Workshop)
        }


async def _post(
    world: SlackWorld, body: str, content_type: str, *, stamp: str | None, secret: str
) -> tuple[int, str]:
    data = body.encode("latin-1") if body.startswith("\xff") else body.encode()
    headers = {"Content-Type": content_type}
    if stamp is not None:
        base = b"v0:" + stamp.encode() + b":" + data
        digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        headers["X-Slack-Request-Timestamp"] = stamp
        headers["X-Slack-Signature"] = "v0=" + digest
    async with (
        aiohttp.ClientSession() as http,
        http.post(world.server.url(), data=data, headers=headers) as resp,
    ):
        return resp.status, await resp.text()


def _now(world: SlackWorld) -> str:
    return str(int(world.events.clock()))


def _info_and_above(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.INFO]


def _assert_no_participant_text(records: list[logging.LogRecord]) -> None:
    for record in records:
        text = record.getMessage() + (str(record.exc_info) if record.exc_info else "")
        for fragment in ("Ada Lovelace", "Elm Street", "needs a ramp", "boom"):
            assert fragment not in text, (record.name, record.getMessage()[:200])


async def test_unsigned_or_forged_malformed_requests_get_401_before_any_parsing(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = slack
    before = _counts(world)
    caplog.set_level(logging.DEBUG)
    for content_type, body in MALFORMED:
        assert (await _post(world, body, content_type, stamp=None, secret=""))[0] == 401
        forged = await _post(world, body, content_type, stamp=_now(world), secret="not-it")
        assert forged[0] == 401
        # A timestamp that is not a number, without the secret: still just unsigned.
        assert (await _post(world, body, content_type, stamp="abc", secret="x"))[0] == 401
    await world.bot.wait_idle(5)
    assert _counts(world) == before
    assert world.api.calls == []
    records = _info_and_above(caplog)
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    refusals = [r for r in records if r.getMessage().startswith("Slack request refused with 401")]
    assert len(refusals) == 3 * len(MALFORMED)
    _assert_no_participant_text(records)


async def test_signed_but_malformed_requests_get_400_and_one_log_line_each(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = slack
    before = _counts(world)
    caplog.set_level(logging.DEBUG)
    statuses = [
        (await _post(world, body, ct, stamp=_now(world), secret=SIGNING_SECRET))[0]
        for ct, body in MALFORMED
    ]
    hello = json.dumps(event_callback(message_event("U2", world.api.dm_channel("U2"), "hello")))
    statuses.append((await _post(world, hello, JSON, stamp="abc", secret=SIGNING_SECRET))[0])
    assert statuses == [400] * (len(MALFORMED) + 1)
    await world.bot.wait_idle(5)
    assert _counts(world) == before
    assert world.api.calls == []
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    refusals = [r for r in caplog.records if r.getMessage().startswith("Slack request refused")]
    assert len(refusals) == len(statuses)
    assert all(r.levelno == logging.WARNING and "\n" not in r.getMessage() for r in refusals)
    _assert_no_participant_text(_info_and_above(caplog))


async def test_a_signed_event_of_an_unknown_type_is_acknowledged_with_200(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = slack
    caplog.set_level(logging.DEBUG)
    unknown = event_callback({"type": "reaction_added", "user": "U2", "reaction": "tada"})
    assert (await world.events.event(unknown)).status == 200
    assert (await world.events.event({"type": "app_rate_limited", "team_id": "T1"})).status == 200
    await world.bot.wait_idle(5)
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_neither_a_badly_signed_nor_a_normal_request_logs_what_was_typed(
    slack: SlackWorld, caplog: pytest.LogCaptureFixture
) -> None:
    world = slack
    caplog.set_level(logging.DEBUG)
    dm = world.api.dm_channel("U2")
    typed = event_callback(message_event("U2", dm, SECRET_NEED))
    assert (await world.events.event(typed, signing="wrong")).status == 401
    assert (await world.events.event(typed, signing="stale")).status == 401
    assert (await world.events.event(typed)).status == 200
    await world.api.wait_for(lambda: bool(world.api.posted(dm)))
    await world.bot.wait_idle(10)
    records = _info_and_above(caplog)
    assert records, "nothing was logged at all: the capture is not working"
    _assert_no_participant_text(records)


# ------------------------------------------------------------------ Socket Mode
def _settings(store: Store, api: SlackApiDouble) -> Settings:
    values: dict[str, Any] = {
        "database_url": store.url,
        "secret": "test-secret",
        "slack_bot_token": TOKEN,
        "slack_app_token": api.app_token,
        "slack_api_url": api.api_url,
    }
    return Settings(**values)


async def test_socket_mode_acks_malformed_envelopes_in_one_line_and_keeps_serving(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    api = await SlackApiDouble(token=TOKEN, post_interval=0.02).start()
    api.add_user("U1")
    stop = asyncio.Event()
    stacks: list[SlackStack] = []
    build = functools.partial(build_slack, store=store, sender=fast_sender())
    task = asyncio.create_task(
        serve(
            _settings(store, api),
            mode="socket",
            stop=stop,
            ready=lambda stack, _port: stacks.append(stack),
            build=build,
        )
    )
    try:
        await api.wait_for(lambda: api.socket_connected and bool(stacks), timeout=20)
        await api.socket_send_raw("{not json " + SECRET_NEED)
        await api.socket_send_raw("[1, 2, 3]")
        bad: list[Any] = [
            {"type": "event_callback", "event": "boom " + SECRET_NEED},
            [SECRET_NEED],
            {"type": "event_callback", "team": 5, "event": {"type": "message"}},
            {"type": "event_callback", "event": {"type": "reaction_added", "user": "U1"}},
        ]
        ids = [await api.socket_send("events_api", payload) for payload in bad]
        await api.wait_for(lambda: set(ids) <= set(api.socket_acks), timeout=10)
        # Still serving: a real DM after the garbage is answered.
        envelope = event_callback(message_event("U1", api.dm_channel("U1"), "hello"))
        good = await api.socket_send("events_api", envelope)
        await api.wait_for(lambda: good in api.socket_acks, timeout=10)
        await api.wait_for(lambda: bool(api.posted(api.dm_channel("U1"))), timeout=15)
        await stacks[0].bot.wait_idle(10)
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 20) == 0
        await api.close()
    assert all(r.exc_info is None for r in caplog.records), "a traceback was logged"
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.adapters.slack.guard"]
    assert sum(m.startswith("Slack Socket Mode frame ignored") for m in lines) == 2
    assert sum(m.startswith("Slack Socket Mode envelope") for m in lines) == 3
    _assert_no_participant_text(_info_and_above(caplog))
