"""Issue 14, items 6 to 8: what a citizen types is stored as typed and shown as typed everywhere.

The checks read what the fake Discord received and render it with Discord's
markdown rules (bot.testing.discord_markdown): any formatting, pill or link
shows up as a ``⟦…⟧`` tag.
"""

from __future__ import annotations

from sqlmodel import select

from bot.testing.discord_api import SentMessage
from bot.testing.discord_harness import DiscordHarness
from bot.testing.discord_markdown import render
from storage.models import Need, Requirement
from storage.store import Store
from tests.citizen import CITIZEN_LINES
from tests.e2e.discord.helpers import assert_no_mentions

#: A need that discord.utils.escape_markdown leaves live, with pills and a hidden @everyone.
NEED = (
    "[click](https://evil.example) **bold** ~~s~~ ||spoiler|| (end) "
    "<@123> <@!123> <@&456> <#789> @\u200beveryone"
)
HMW = "How might we *really* fix `it` for __everyone__ (importance 5, x)?"
WORKS_WHEN = "Given <@&456>, when ||I|| ask, then [it](https://x.example) **works** (named 1×; ok)"
FORM_STEPS = ("as_a", "i_want", "so_that", "moscow", "acceptance")


def _shown(messages: list[SentMessage]) -> list[str]:
    """Every text Discord would display for these messages: content, embed titles, descriptions."""
    texts = []
    for m in messages:
        texts.append(render(m.content))
        for embed in m.embeds:
            texts.extend(render(embed.get(k, "")) for k in ("title", "description"))
    return texts


def _assert_literal(messages: list[SentMessage], *typed: str) -> None:
    shown = _shown(messages)
    assert all("⟦" not in text for text in shown), next(t for t in shown if "⟦" in t)[:200]
    joined = "\n".join(shown)
    for text in typed:
        assert text in joined, text


async def test_hostile_text_is_stored_verbatim_and_shown_literally_in_every_template(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    for line in ["yes", "4", "mobility", "5", "2"]:
        assert (await h.say("alice", thread, line)).error is None
    assert (await h.say("alice", thread, NEED)).step == "hmw"
    echo = await h.say("alice", thread, HMW)
    assert echo.step == "need_confirm"
    _assert_literal(h.messages_of(echo), NEED, HMW)  # the thread echo
    assert (await h.say("alice", thread, "yes")).error is None

    # Through to the requirement form (typed answers), then the form with a hostile line.
    lines = [line for line, _ in CITIZEN_LINES]
    start = lines.index("1", lines.index("yes", 8))  # the scenario pick after the need
    for line in lines[start : lines.index("a resident over 70")]:
        assert (await h.say("alice", thread, line)).error is None, line
    prompt = h.fake.sent_to(thread)[-1]
    opened, _ = await h.click("alice", prompt, "cn:f:as_a")
    answers = ["a resident", "to **book**", "I can ~~go~~", "must", WORKS_WHEN]
    values = dict(zip(FORM_STEPS, answers, strict=True))
    _, summary = await h.submit("alice", opened, {f"cn:form:{k}": v for k, v in values.items()})
    assert summary.step == "req_confirm"
    _assert_literal(h.messages_of(summary), WORKS_WHEN, "to **book**")  # "works when" line
    assert (await h.say("alice", thread, "yes")).error is None

    mine = await h.say("alice", thread, "my data")
    _assert_literal(h.messages_of(mine), NEED, "to **book**")

    # Stored exactly as typed, the zero-width space included.
    with store.session() as s:
        [need] = s.exec(select(Need)).all()
        [requirement] = s.exec(select(Requirement)).all()
    assert (need.text, need.hmw) == (NEED, HMW)
    assert requirement.acceptance == WORKS_WHEN

    # The moderators' draft and the public digest.
    await h.slash("fac", h.world.moderators_channel, "cityneeds-mod", "digest", {"action": "draft"})
    drafts = [m for m in h.fake.sent_to(h.world.moderators_channel) if not m.ephemeral]
    _assert_literal(drafts, NEED)
    await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-mod", "digest", {"action": "approve"}
    )
    posted = [m for m in h.fake.sent_to(h.world.workshop_channel) if not m.ephemeral]
    assert posted
    _assert_literal(posted, NEED)
    assert_no_mentions(h.fake)


async def test_splitting_a_long_need_starts_no_heading_quote_or_list(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    await h.slash("bob", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("bob")
    for line in ["yes", "4", "mobility", "5", "2"]:
        assert (await h.say("bob", thread, line)).error is None
    tail = " # Heading > quote - item 1. first"
    need = ("word " * 400)[: 2000 - len(tail)] + tail
    assert len(need) == 2000
    assert (await h.say("bob", thread, need)).step == "hmw"
    echo = await h.say("bob", thread, "skip")
    assert echo.step == "need_confirm"
    messages = h.messages_of(echo)
    assert len(messages) >= 2  # the echo did not fit in one message
    for m in messages:
        assert len(m.content) <= 2000
        assert "⟦" not in render(m.content), m.content[:80]
    shown = "".join(render(m.content) for m in messages)
    assert "".join(need.split()) in "".join(shown.split())
    assert (await h.say("bob", thread, "yes")).error is None
    with store.session() as s:
        assert [n.text for n in s.exec(select(Need)).all()] == [need]
