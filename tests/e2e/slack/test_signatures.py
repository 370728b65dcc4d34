"""Must-show 2: unsigned, stale, forged or tampered requests get 401 and change nothing."""

from __future__ import annotations

import json
from typing import Any

import aiohttp
import pytest
from sqlmodel import func, select

from bot.testing.slack_events import (
    block_actions,
    event_callback,
    message_event,
    signature,
    slash_command,
)
from storage.models import AuditLog, ChannelBinding, Participant, ProcessedDelivery, Workshop
from tests.e2e.slack.helpers import SlackWorld


def _counts(world: SlackWorld) -> dict[str, int]:
    with world.store.session() as s:
        return {
            model.__name__: int(s.exec(select(func.count()).select_from(model)).one())
            for model in (Participant, ProcessedDelivery, ChannelBinding, AuditLog, Workshop)
        }


def _requests(world: SlackWorld) -> list[tuple[str, Any]]:
    """One of each kind of request, each of which would change something if accepted."""
    dm = world.api.dm_channel("U2")
    setup = slash_command(
        "UADMIN", "C0NEW", "setup brand-new", response_url=world.api.response_url("x")
    )
    press = block_actions(
        "U2",
        channel=dm,
        message={"ts": "1.000001", "text": "t", "blocks": []},
        action={
            "action_id": "cn_pick_1",
            "block_id": "b",
            "value": "consent|yes",
            "type": "button",
            "text": {"type": "plain_text", "text": "Yes"},
            "action_ts": "1.2",
        },
        response_url=world.api.response_url("y"),
    )
    return [
        ("event", event_callback(message_event("U2", dm, "hello"))),
        ("command", setup),
        ("interaction", press),
    ]


async def _send(world: SlackWorld, kind: str, payload: Any, **options: Any) -> int:
    send = getattr(world.events, kind)
    delivered = await send(payload, **options)
    return int(delivered.status)


@pytest.mark.parametrize("signing", ["none", "stale", "wrong"])
async def test_bad_signatures_get_401_and_change_nothing(slack: SlackWorld, signing: str) -> None:
    world = slack
    before = _counts(world)
    for kind, payload in _requests(world):
        assert await _send(world, kind, payload, signing=signing) == 401, kind
    await world.bot.wait_idle(5)
    assert _counts(world) == before
    assert world.api.calls == []  # not even auth.test or users.info
    assert sum(world.bot.stats.values()) == 0


async def test_a_signature_from_the_future_or_for_another_body_is_refused(
    slack: SlackWorld,
) -> None:
    world = slack
    before = _counts(world)
    body = json.dumps(event_callback(message_event("U2", world.api.dm_channel("U2"), "hello")))
    ahead = int(world.events.clock()) + 6 * 60
    headers = {
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": str(ahead),
        "X-Slack-Signature": signature(world.events.signing_secret, ahead, body),
    }
    tampered = dict(world.events.headers(body, "application/json"))
    async with aiohttp.ClientSession() as http:
        async with http.post(world.server.url(), data=body, headers=headers) as resp:
            assert resp.status == 401
        forged = body.replace("hello", "forget me")
        async with http.post(world.server.url(), data=forged, headers=tampered) as resp:
            assert resp.status == 401
    await world.bot.wait_idle(5)
    assert _counts(world) == before
    assert world.api.calls == []


async def test_the_same_requests_signed_properly_are_accepted(slack: SlackWorld) -> None:
    # The control: the requests above are not refused for some other reason.
    world = slack
    before = _counts(world)
    statuses = [await _send(world, kind, payload) for kind, payload in _requests(world)]
    assert statuses == [200, 200, 200]
    await world.api.wait_for(lambda: bool(world.api.posted(world.api.dm_channel("U2"))))
    await world.api.wait_for(lambda: bool(world.api.responses.get("x")))
    await world.bot.wait_idle(10)
    after = _counts(world)
    assert after["Participant"] > before["Participant"]
    assert after["ChannelBinding"] == before["ChannelBinding"] + 1
    assert after["Workshop"] == before["Workshop"] + 1


async def test_slacks_url_verification_is_answered_only_when_signed(slack: SlackWorld) -> None:
    world = slack
    body = {
        "token": "legacy",
        "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
        "type": "url_verification",
    }
    delivered = await world.events.event(body)
    assert delivered.status == 200
    assert json.loads(delivered.body) == {"challenge": body["challenge"]}
    assert (await world.events.event(body, signing="none")).status == 401
