"""Must-show 6: the digest as Block Kit messages within Slack's limits, then the PNG upload.

The double refuses any message that breaks Slack's limits (``invalid_blocks``
for more than 50 blocks or a section over 3,000 characters), so a digest that
arrives at all arrived within them. The picture follows the three-step external
upload: ``files.getUploadURLExternal`` → the bytes to the upload URL →
``files.completeUploadExternal`` sharing it in the channel.
"""

from __future__ import annotations

import asyncio
import json

from sqlmodel import select

from bot.escape import slack_text
from bot.scheduler.keys import digest_key
from bot.testing.slack_api import ApiCall
from storage.models import Digest
from tests.e2e.slack.helpers import SlackWorld, all_text

CHANNEL = "C0WORKSHOP"
MODS = "G0MODERATORS"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def _long_body() -> dict:  # type: ignore[type-arg]
    quotes = [
        f"“Quote {n}: the bus stop is too far from the clinic for people who walk with a stick, "
        f"and the pavement is broken on the way there (<!channel> & friends {n})” " + "x" * 120
        for n in range(260)
    ]
    return {
        "period": "2026-05-01",
        "locale": "en",
        "sections": [
            {"title": "CityNeeds digest: Test city", "lines": ["Participants: 260"]},
            {"title": "Quotes (verbatim, not edited):", "lines": quotes},
            {"title": "SDG targets touched: 11.2, 3.8", "lines": []},
        ],
        "text": "\n".join(quotes),
    }


def _many_sections() -> dict:  # type: ignore[type-arg]
    sections = [
        {"title": f"Module {n}: telehealth booking", "lines": [f"Must {n} · Should 1 · Could 0"]}
        for n in range(90)
    ]
    return {"period": "2026-05-02", "locale": "en", "sections": sections, "text": "…"}


def _methods(calls: list[ApiCall]) -> list[str]:
    return [c.method for c in calls if c.ok or c.method == "upload"]


async def test_a_long_digest_is_split_within_limits_and_its_png_follows(
    slack: SlackWorld,
) -> None:
    world = slack
    api = world.api
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    start = len(api.calls)
    ws = world.store.find_workshop("city")
    assert ws is not None
    body = _long_body()
    ts = await world.stack.poster.post_digest(ws, body, PNG, digest_key(ws.id, str(body["period"])))

    digest_msgs = api.posted(CHANNEL)[1:]  # after the welcome notice
    assert ts == digest_msgs[0].ts
    assert len(digest_msgs) >= 2
    total = len(digest_msgs)
    for index, message in enumerate(digest_msgs, start=1):
        assert len(message.blocks) <= 50
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
                assert block["text"]["type"] == "plain_text"
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
        assert all_text(message).endswith(f"Part {index} of {total}")
    shown = "\n".join(all_text(m) for m in digest_msgs)
    for line in body["sections"][1]["lines"]:
        assert slack_text(line) in shown  # every quote arrived, escaped, in order
    assert "<!channel>" not in json.dumps([m.blocks for m in digest_msgs]) + shown
    order = [shown.index(slack_text(line)) for line in body["sections"][1]["lines"]]
    assert order == sorted(order)

    # The picture: three steps, after the last message, bytes intact.
    calls = api.calls[start:]
    methods = _methods(calls)
    assert methods[-3:] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    assert methods[:-3] == ["chat.postMessage"] * total
    get_url, upload, complete = [c for c in calls if c.method in methods[-3:]][-3:]
    file_id = get_url.response["file_id"]
    assert get_url.params["filename"] == "map.png"
    assert int(get_url.params["length"]) == len(PNG)
    assert get_url.params["alt_txt"] == (
        "Stakeholder requirement map of Test city. The digest text says the same in words."
    )
    assert upload.params["file_id"] == file_id and api.uploads[file_id] == PNG
    assert complete.params["channel_id"] == CHANNEL
    assert json.loads(complete.params["files"]) == [
        {"id": file_id, "title": "Stakeholder map, 2026-05-01"}
    ]
    assert api.files[file_id]["completed"] is True
    assert api.limit_violations == 0


async def test_draft_goes_to_moderators_and_the_approved_digest_to_the_channel(
    slack: SlackWorld,
) -> None:
    world = slack
    api = world.api
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    texts = await world.command_and_wait("UADMIN", MODS, "moderators city")
    assert texts == ["Draft digests and review requests of city now come to this channel."]
    # A citizen contributes something, so the digest has content.
    await world.say_and_wait("U1", "hello")
    for line in ["yes", "4", "mobility", "5", "2", "The bus stop <!here> is too far", "skip"]:
        await world.say_and_wait("U1", line)

    mods_before = len(api.posted(MODS))
    delivered, key = await world.command("UADMIN", MODS, "digest draft")
    assert delivered.status == 200
    await api.wait_for(lambda: len(api.posted(MODS)) > mods_before, timeout=15)
    await world.bot.wait_idle(15)
    assert key not in api.responses  # the answer is the draft in this channel
    draft = all_text(api.posted(MODS)[-1])
    assert draft.startswith("Draft digest for")
    channel_before = len(api.posted(CHANNEL))
    texts = await world.command_and_wait("UADMIN", MODS, "digest approve")
    assert any("is posted" in t for t in texts), texts
    await world.bot.wait_idle(20)
    posted = api.posted(CHANNEL)[channel_before:]
    assert posted and all_text(posted[0]).startswith("CityNeeds digest")
    assert api.calls_to("files.completeUploadExternal", ok=True)
    with world.store.session() as s:
        row = s.exec(select(Digest)).one()
    assert row.status == "posted" and row.platform_message_id == posted[0].ts


async def test_without_a_moderators_channel_drafts_reach_staff_by_dm(slack: SlackWorld) -> None:
    world = slack
    api = world.api
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    staff_dm = api.dm_channel("UADMIN")
    await world.command("UADMIN", CHANNEL, "digest draft")
    await api.wait_for(lambda: bool(api.posted(staff_dm)), timeout=15)
    await world.bot.wait_idle(20)
    drafts = [m for m in api.posted(staff_dm) if all_text(m).startswith("Draft digest for")]
    assert len(drafts) == 1


async def test_a_digest_for_an_unbound_workshop_is_not_marked_posted(slack: SlackWorld) -> None:
    world = slack
    ws = world.store.find_workshop("city")
    assert ws is not None
    from bot.adapters.slack.poster import NotBound

    try:
        await world.stack.poster.post_digest(ws, _long_body(), PNG, digest_key(ws.id, "long"))
    except NotBound as exc:
        assert "/cityneeds setup" in str(exc)
    else:
        raise AssertionError("posting without a channel must fail")
    await asyncio.sleep(0)
    assert world.api.calls_to("chat.postMessage") == []


async def test_a_digest_with_more_than_fifty_blocks_is_split_before_fifty(
    slack: SlackWorld,
) -> None:
    world = slack
    api = world.api
    await world.command_and_wait("UADMIN", CHANNEL, "setup city")
    ws = world.store.find_workshop("city")
    assert ws is not None
    body = _many_sections()  # 90 headers + 90 sections = 180 blocks
    ts = await world.stack.poster.post_digest(ws, body, PNG, digest_key(ws.id, str(body["period"])))
    parts = api.posted(CHANNEL)[1:]
    assert ts == parts[0].ts
    assert len(parts) == 4  # 49 content blocks + the part marker per message
    assert all(len(m.blocks) <= 50 for m in parts)
    headers = [b["text"]["text"] for m in parts for b in m.blocks if b["type"] == "header"]
    assert headers == [s["title"] for s in body["sections"]]
    assert api.calls_to("files.completeUploadExternal", ok=True)
