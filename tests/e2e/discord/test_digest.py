"""Must-show 6: a 10,000-participant digest arrives split within Discord's limits, map attached.

The fake refuses (400, code 50035) any message over 2,000 characters of content,
10 embeds or 6,000 embed characters, so an oversized part would fail the post.
"""

from __future__ import annotations

import re

import discord.errors as discord_errors
from sqlmodel import select

from bot.adapters.discord.poster import DiscordPoster
from bot.core import load_core
from bot.digest.metrics import compute_metrics
from bot.digest.picture import render_png
from bot.digest.sections import digest_sections
from bot.escape import discord_text
from bot.runtime import Runtime
from bot.scheduler.keys import digest_key
from bot.testing.discord_harness import DiscordHarness
from bot.testing.discord_markdown import render
from bot.testing.snapshots import add_contribution, synthetic_snapshot
from storage.models import Digest
from storage.store import Store
from tests.e2e.discord.helpers import NO_MENTIONS, assert_within_limits, rejected

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


async def test_a_10000_participant_digest_is_split_within_limits_with_the_map_attached(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    catalogs = load_core().catalogs
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    snap = synthetic_snapshot(10_000, title=ws.title)
    for n in range(6):
        snap = add_contribution(
            snap, f"@everyone quote {n}: **please** fix _the_ buses " + "now " * 400
        )
    metrics = compute_metrics(snap, quotes=12)
    assert metrics.participants > 10_000
    sections = digest_sections(metrics, catalogs, "en")
    note = " ".join(f"Note {n}: @here the *moderators* read every answer." for n in range(120))
    body = {
        "period": "2026-10-23",
        "locale": "en",
        "note": note,
        "sections": [
            {"title": catalogs.template("staff.digest_note_label", "en"), "lines": [note]},
            *({"title": s.title, "lines": list(s.lines)} for s in sections),
        ],
        "text": "",
    }
    png = render_png(metrics)
    before = len(fake.sent_to(h.world.workshop_channel))

    first_id = await poster.post_digest(ws, body, png, digest_key(ws.id, "2026-10-23"))

    parts = fake.sent_to(h.world.workshop_channel)[before:]
    assert len(parts) >= 3, "the digest should not fit one message"
    assert first_id == parts[0].id
    assert_within_limits(parts)
    assert not rejected(fake)
    for part in parts:
        assert part.allowed_mentions == NO_MENTIONS
        for text in [part.content] + [
            e.get("title", "") + "\n" + e.get("description", "") for e in part.embeds
        ]:
            assert "⟦" not in render(text), text[:80]  # no pill, link or markup
    footers = [p.embeds[-1]["footer"]["text"] for p in parts]
    marker = digest_key(ws.id, "2026-10-23").marker  # how a restarted scheduler finds it
    assert footers == [
        f"{marker} · Part 1 of {len(parts)}" if i == 1 else f"Part {i} of {len(parts)}"
        for i in range(1, len(parts) + 1)
    ]
    # The map: a PNG attachment on the last part, with its alt text.
    *_, last = parts
    assert last.request.multipart and all(not p.request.multipart for p in parts[:-1])
    [upload] = last.request.files
    assert upload.filename == "map.png" and upload.data == png and upload.data[:8] == PNG_MAGIC
    [attachment] = last.attachments
    alt = catalogs.template("digest.map_alt", "en").format(title=ws.title)
    assert attachment["filename"] == "map.png" and attachment["description"] == alt
    # Nothing was lost: every line is there, escaped, in order of sections.
    descriptions = _flat(" ".join(e.get("description", "") for p in parts for e in p.embeds))
    for section in sections:
        for line in section.lines:
            assert _flat(discord_text(line)) in descriptions, line[:80]
    assert _flat(discord_text(note)) in descriptions


async def test_moderators_review_the_draft_and_approve_it_into_the_workshop_channel(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line in ["yes", "4", "mobility", "5", "2", "@everyone the tram is late", "skip", "yes"]:
        assert (await h.say("alice", thread, line)).error is None

    # The draft goes to #moderators only (review is on by default).
    record, drafted = await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-mod", "digest", {"action": "draft"}
    )
    assert drafted.error is None
    # The server admin is told, privately, that they are now a facilitator.
    assert [m.ephemeral for m in record.followups] == [True]
    assert "You are now a facilitator" in record.followups[0].content
    [draft] = [m for m in fake.sent_to(h.world.moderators_channel) if not m.ephemeral]
    assert draft.content.startswith("Draft digest for")
    assert "@everyone the tram is late" in render(draft.content)
    assert "⟦" not in render(draft.content)
    assert [m for m in fake.sent_to(h.world.workshop_channel) if not m.ephemeral] == []

    record, _ = await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-mod", "digest", {"action": "approve"}
    )
    assert "is posted" in record.followups[-1].content and record.followups[-1].ephemeral
    posted = [m for m in fake.sent_to(h.world.workshop_channel) if not m.ephemeral]
    assert posted and posted[-1].request.files[0].filename == "map.png"
    assert_within_limits(posted)
    with store.session() as s:
        row = s.exec(select(Digest)).one()
    assert row.status == "posted" and row.platform_message_id == posted[0].id


async def test_a_digest_is_retried_only_while_nothing_of_it_is_visible(
    discord: DiscordHarness, poster: DiscordPoster, runtime: Runtime
) -> None:
    h, fake = discord, discord.fake
    catalogs = load_core().catalogs
    ws = runtime.store.find_workshop("city")
    assert ws is not None
    snap = synthetic_snapshot(300, title=ws.title)
    for n in range(4):
        snap = add_contribution(snap, f"quote {n} " + "long words " * 300)
    sections = digest_sections(compute_metrics(snap, quotes=8), catalogs, "en")
    body = {
        "period": "2026-10-24",
        "locale": "en",
        "sections": [{"title": s.title, "lines": list(s.lines)} for s in sections],
        "text": "",
    }
    route = "POST /channels/{channel_id}/messages"
    channel = h.world.workshop_channel
    # The first part is refused: nothing is visible, so the scheduler may retry.
    fake.refuse_next(route, 1)
    before = len(fake.sent_to(channel))
    try:
        await poster.post_digest(ws, body, b"", digest_key(ws.id, "2026-10-24"))
    except discord_errors.Forbidden:
        pass
    else:
        raise AssertionError("a digest whose first part failed must raise")
    assert len(fake.sent_to(channel)) == before
    # A later part is refused: the rest still goes out and no retry is asked for.
    fake.refuse_next(route, 1, after=1)
    first = await poster.post_digest(ws, body, b"", digest_key(ws.id, "2026-10-24"))
    parts = fake.sent_to(channel)[before:]
    assert first == parts[0].id
    total = int(parts[0].embeds[-1]["footer"]["text"].rsplit(" ", 1)[1])
    assert total >= 2 and len(parts) == total - 1  # every part but the refused one
