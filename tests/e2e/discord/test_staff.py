"""Must-show 3: staff commands check our roles; a refusal is ephemeral and changes nothing."""

from __future__ import annotations

from sqlmodel import func, select

from bot.testing import discord_payloads as p
from bot.testing.discord_harness import DiscordHarness
from bot.testing.discord_markdown import render
from storage.models import ChannelBinding, Participant, Schedule
from storage.store import Store
from tests.e2e.discord.helpers import assert_no_mentions, rejected


def _count(store: Store, model: type) -> int:
    with store.session() as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


async def test_a_citizen_gets_an_ephemeral_refusal_and_nothing_changes(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    tiers = store.find_workshop("city").open_tiers  # type: ignore[union-attr]
    bindings, schedules = _count(store, ChannelBinding), _count(store, Schedule)
    public_before = [m for m in h.fake.sent if not m.ephemeral]

    attempts = [
        (h.world.workshop_channel, "cityneeds-admin", "close", {"tier": "meso"}, "facilitator"),
        (
            h.world.workshop_channel,
            "cityneeds-admin",
            "schedule",
            {"kind": "digest", "time": "18:00"},
            "facilitator",
        ),
        (
            h.world.moderators_channel,
            "cityneeds-mod",
            "hide",
            {"kind": "need", "item": 1, "reason": "spam"},
            "moderator / facilitator",
        ),
    ]
    for channel, group, sub, options, roles in attempts:
        record, handled = await h.slash("bob", channel, group, sub, options)
        assert handled.error is None
        assert record.latency is not None and record.latency < 3.0
        # Deferred ephemerally first, then the refusal as an ephemeral follow-up (flags 64).
        assert record.response_type == 5
        assert record.response is not None and record.response["data"]["flags"] & p.EPHEMERAL
        [answer] = record.followups
        assert answer.ephemeral and answer.flags & p.EPHEMERAL
        assert f"Only a {roles} can use" in answer.content
        assert "Nothing was changed." in answer.content

    # Binding a channel is refused too, and creates no workshop.
    record, handled = await h.slash(
        "bob", h.world.lobby_channel, "cityneeds-admin", "setup", {"workshop": "riverside"}
    )
    assert handled.step == "discord.setup_refused"
    assert record.followups[-1].ephemeral
    assert store.find_workshop("riverside") is None

    assert store.find_workshop("city").open_tiers == tiers  # type: ignore[union-attr]
    assert (_count(store, ChannelBinding), _count(store, Schedule)) == (bindings, schedules)
    assert [m for m in h.fake.sent if not m.ephemeral] == public_before
    with store.session() as s:
        bob = h.adapter.pseudonym(int(h.user("bob")))
        roles_of_bob = s.exec(select(Participant.role).where(Participant.pseudonym == bob)).all()
    assert set(roles_of_bob) <= {"citizen"}

    # The same commands from a server admin (who becomes a facilitator) do change things.
    record, _ = await h.slash(
        "fac", h.world.workshop_channel, "cityneeds-admin", "close", {"tier": "meso"}
    )
    text = "\n".join(m.content for m in record.followups)
    assert "You are now a facilitator of city" in text and "Open tiers in city" in text
    assert all(m.ephemeral for m in record.followups)
    assert store.find_workshop("city").open_tiers == {"macro", "micro"}  # type: ignore[union-attr]

    record, handled = await h.slash(
        "fac", h.world.lobby_channel, "cityneeds-admin", "setup", {"workshop": "riverside"}
    )
    assert handled.step == "discord.setup_done"
    riverside = store.find_workshop("riverside")
    assert riverside is not None
    binding = store.workshop_of_channel("discord", h.world.lobby_channel)
    assert binding is not None and binding.workshop_slug == "riverside"

    # A facilitator makes bob a moderator; then bob's moderator command is allowed.
    record, _ = await h.slash(
        "fac",
        h.world.workshop_channel,
        "cityneeds-admin",
        "role",
        {"role": "moderator"},
        users={"user": h.user("bob")},
    )
    assert "is now moderator" in record.followups[-1].content
    record, _ = await h.slash("bob", h.world.moderators_channel, "cityneeds-mod", "queue")
    assert record.followups[-1].content == "Nothing is waiting for review."
    assert not rejected(h.fake)
    assert_no_mentions(h.fake)


async def test_staff_commands_typed_in_the_moderators_channel_go_to_the_staff_desk(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    refused = await h.say("bob", h.world.moderators_channel, "!open meso")
    [answer] = h.messages_of(refused)
    assert "Only a facilitator can use" in answer.content
    chatter = await h.say("bob", h.world.moderators_channel, "anyone around?")
    assert chatter.kind == "ignored" and not chatter.sent
    progress = await h.say("fac", h.world.moderators_channel, "!progress")
    assert any("participants" in m.content for m in h.messages_of(progress))


async def test_a_facilitator_exports_privately_and_sets_the_timezone(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line in ["yes", "4", "mobility", "5", "2", "**Night buses** @everyone", "skip", "yes"]:
        assert (await h.say("alice", thread, line)).error is None

    record, handled = await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-admin", "export", {"format": "md"}
    )
    assert handled.error is None
    with_file = [m for m in record.followups if m.request.files]
    assert len(with_file) == 1 and with_file[0].ephemeral  # only the facilitator sees it
    [upload] = with_file[0].request.files
    assert upload.filename == "city-md.zip"
    assert any("Here is the export: city-md.zip" in render(m.content) for m in record.followups)
    assert not rejected(h.fake)

    record, handled = await h.slash(
        "fac",
        h.world.moderators_channel,
        "cityneeds-admin",
        "settings",
        {"timezone": "Asia/Shanghai", "languages": "zh en"},
    )
    assert "timezone Asia/Shanghai; languages zh, en" in render(record.followups[-1].content)
    ws = store.find_workshop("city")
    assert ws is not None and ws.timezone == "Asia/Shanghai"

    record, _ = await h.slash(
        "bob", h.world.workshop_channel, "cityneeds-admin", "export", {"format": "csv"}
    )
    assert all(not m.request.files for m in record.followups)
    assert "Only a facilitator can use" in record.followups[-1].content
