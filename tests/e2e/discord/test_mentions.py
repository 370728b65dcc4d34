"""Must-show 2: what a citizen types is stored verbatim and echoed without pinging anyone."""

from __future__ import annotations

from sqlmodel import select

from bot.testing.discord_harness import DiscordHarness
from bot.testing.discord_markdown import render
from storage.models import Need
from storage.store import Store
from tests.e2e.discord.helpers import NO_MENTIONS, assert_no_mentions

EVERYONE = "@everyone please fix the buses"


async def test_everyone_is_stored_verbatim_and_echoed_without_a_mention(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    await h.slash("bob", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("bob")
    for line, step in [("yes", "helix"), ("4", "domains"), ("mobility", "importance")]:
        assert (await h.say("bob", thread, line)).step == step
    # A wrong answer is echoed back in the error: escaped, and nobody is pinged.
    error = await h.say("bob", thread, "@here 5?")
    assert error.step == "importance"
    echoed = h.messages_of(error)[-1]
    assert "@here 5?" in render(echoed.content) and "⟦" not in render(echoed.content)
    assert (await h.say("bob", thread, "5")).step == "satisfaction"
    assert (await h.say("bob", thread, "2")).step == "need_text"

    assert (await h.say("bob", thread, EVERYONE)).step == "hmw"
    markdown = "How might we *really* fix `it` for __everyone__?"
    summary = await h.say("bob", thread, markdown)
    assert summary.step == "need_confirm"
    [message] = h.messages_of(summary)
    body = h.payload_json(message)
    # Checked on the REST payload the fake received.
    assert body["allowed_mentions"] == NO_MENTIONS
    shown = render(body["content"])
    assert EVERYONE in shown and markdown in shown and "⟦" not in shown
    assert "\\@everyone please fix the buses" in body["content"]
    assert r"How might we \*really\* fix \`it\` for \_\_everyone\_\_?" in body["content"]
    assert (await h.say("bob", thread, "yes")).step == "scenario"

    with store.session() as s:
        needs = s.exec(select(Need).order_by(Need.id)).all()
    assert [(n.text, n.hmw) for n in needs] == [(EVERYONE, markdown)]
    assert_no_mentions(h.fake)
    # No mention pill anywhere (the bot's own link to the thread is a channel link).
    assert all("⟦pill:@" not in render(m.content) for m in h.fake.sent)
    assert all("⟦pill:<@" not in render(m.content) for m in h.fake.sent)
