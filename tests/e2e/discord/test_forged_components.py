"""Issue 14, item 10: components the bot never issued get a private stale notice, not silence.

A custom id the bot never sent, 200 characters of junk, or select values that
are not among the options that were sent: the person sees, privately and within
3 seconds, "That button belongs to an earlier question. Here is the current
one." with the current question, and no answer is stored.
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.testing import discord_payloads as p
from bot.testing.discord_api import InteractionRecord
from bot.testing.discord_harness import DiscordHarness
from storage.models import Conversation, Participant
from storage.store import Store
from tests.e2e.discord.helpers import rejected

STALE = "That button belongs to an earlier question. Here is the current one."


def _step(store: Store, pseudonym: str) -> tuple[str, str]:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).one()
        return conv.step, str(conv.state.get("answers", {}))


async def _at(h: DiscordHarness, lines: list[tuple[str, str]]) -> str:
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line, step in lines:
        assert (await h.say("alice", thread, line)).step == step
    return thread


def _assert_private_stale(record: InteractionRecord, step: str) -> None:
    assert record.latency is not None and record.latency < 3.0
    assert record.response_type == 5  # "thinking…", only for the person who clicked
    assert record.followups, "no answer at all: Discord would show 'This interaction failed'"
    first = record.followups[0]
    assert all(m.ephemeral for m in record.followups)
    assert first.content.startswith(STALE)
    # ... and the current question, with its own buttons or select.
    ids = [cid for m in record.followups for cid in m.custom_ids()]
    assert any(cid.startswith(f"cn:b:{step}:") or cid == f"cn:s:{step}" for cid in ids), ids


@pytest.mark.parametrize(
    "custom_id",
    ["cn:b:importance:#9", "cn:b:satisfaction:#1", "x" * 200, "cn:m:as_a", ""],
    ids=["choice-not-offered", "other-step", "junk-200", "modal-id-on-a-button", "empty"],
)
async def test_a_button_the_bot_never_sent_gets_the_stale_notice_privately(
    discord: DiscordHarness, store: Store, custom_id: str
) -> None:
    h, fake = discord, discord.fake
    thread = await _at(h, [("yes", "helix"), ("4", "domains"), ("mobility", "importance")])
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    before = _step(store, pseudonym)
    prompt = h.last_with_components(thread)
    in_thread = [m.id for m in fake.sent_to(thread) if not m.ephemeral]

    record = await fake.forged_component(h.user("alice"), prompt, custom_id)
    handled = await h.adapter.wait_handled(record.id)

    assert handled.error is None and handled.kind == "not_issued"
    _assert_private_stale(record, "importance")
    assert _step(store, pseudonym) == before == ("importance", before[1])
    # Nothing for anyone else to see, not even in her own thread.
    assert [m.id for m in fake.sent_to(thread) if not m.ephemeral] == in_thread
    # The real button still works afterwards.
    _, clicked = await h.click("alice", prompt, "cn:b:importance:#5")
    assert clicked.step == "satisfaction"
    assert not rejected(fake)


async def test_select_values_that_were_not_offered_are_not_taken_for_domains(
    discord: DiscordHarness, store: Store
) -> None:
    h, fake = discord, discord.fake
    thread = await _at(h, [("yes", "helix"), ("4", "domains")])
    pseudonym = h.adapter.pseudonym(int(h.user("alice")))
    prompt = h.last_with_components(thread)
    select_menu = next(
        c for c in p.walk_components(prompt.components) if c.get("custom_id") == "cn:s:domains"
    )
    offered = [o["value"] for o in select_menu["options"]]
    assert "1, 2, 3" not in offered

    for values in (["1, 2, 3"], [offered[0], offered[0]], [*offered[:1], "nowhere"]):
        record = await fake.forged_component(
            h.user("alice"), prompt, "cn:s:domains", component_type=p.STRING_SELECT, values=values
        )
        handled = await h.adapter.wait_handled(record.id)
        assert handled.kind == "not_issued", values
        _assert_private_stale(record, "domains")
        assert _step(store, pseudonym)[0] == "domains"

    _, chosen = await h.choose("alice", prompt, "cn:s:domains", offered[:2])
    assert chosen.step == "importance"
    assert not rejected(fake)
