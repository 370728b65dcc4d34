"""Arabic on Discord: message content, buttons and select options carry the right-to-left marks.

A citizen whose Discord client speaks Arabic joins with the slash command and
answers in her private thread (discord.py against the loopback Discord). Every
line starts with RLM (U+200F), values are isolated with FSI (U+2068) … PDI
(U+2069), the thread link stays a link, labels stay within Discord's limits.
"""

from __future__ import annotations

import json

from bot.adapters.discord.render import ReplyRenderer
from bot.core import load_core
from bot.testing import discord_payloads as p
from bot.testing.discord_api import SentMessage
from bot.testing.discord_harness import DiscordHarness
from flows.direction import BIDI_CONTROLS
from flows.messages import ReplyKind
from flows.render import Button, RenderedReply

RLM, FSI, PDI = "\u200f", "\u2068", "\u2069"


def _labels(message: SentMessage) -> list[str]:
    found: list[str] = []
    for component in p.walk_components(message.components):
        if "label" in component:
            found.append(str(component["label"]))
        found.extend(str(option["label"]) for option in component.get("options", []))
    return found


async def test_an_arabic_citizen_gets_marked_content_buttons_and_selects(
    discord: DiscordHarness,
) -> None:
    h = discord
    record, handled = await h.slash(
        "carol", h.world.workshop_channel, "cityneeds", "join", locale="ar"
    )
    assert handled.error is None and handled.step == "consent"
    thread = h.thread_of("carol")
    notice = record.followups[-1].content
    assert notice.startswith(f"{RLM}سلسلتك الخاصة جاهزة: {FSI}<#{thread}>{PDI}.")

    consent = h.fake.sent_to(thread)[-1]
    lines = [line for line in consent.content.split("\n") if line]
    assert all(line.startswith(RLM) for line in lines), lines
    # Discord text is escaped: "1)" is sent as "1\)" so it never starts a list.
    assert f"{RLM}  1\\) {FSI}{RLM}نعم{PDI}" in lines
    assert _labels(consent) == [f"{RLM}نعم", f"{RLM}لا"]

    _, handled = await h.click("carol", consent, "cn:b:consent:yes")
    helix = h.fake.sent_to(thread)[-1]
    assert _labels(helix)[3] == f"{RLM}المجتمع المدني والسكان"
    _, handled = await h.click("carol", helix, "cn:b:helix:civil_society")
    domains = h.fake.sent_to(thread)[-1]
    labels = _labels(domains)
    assert labels[12] == f"{RLM}التنقل والمواصلات"
    assert all(len(label) <= 100 for label in labels)


async def test_an_english_citizen_gets_no_direction_marks(discord: DiscordHarness) -> None:
    h = discord
    await h.slash("alice", h.world.workshop_channel, "cityneeds", "join")
    thread = h.thread_of("alice")
    consent = h.fake.sent_to(thread)[-1]
    await h.click("alice", consent, "cn:b:consent:yes")
    sent = [(m.content, m.components) for m in h.fake.sent_to(thread)]
    shown = json.dumps(sent, ensure_ascii=False)
    assert "Civil society and residents" in shown
    assert not BIDI_CONTROLS.search(shown)


async def test_long_arabic_labels_keep_their_mark_within_discords_limits() -> None:
    # Views are built inside the bot's running loop; this test runs in one too.
    renderer = ReplyRenderer(load_core().catalogs, None)
    label = RLM + "خيار طويل جدًا فيه " * 8 + "Bus 42"

    def reply(count: int) -> RenderedReply:
        buttons = tuple(Button(f"v{n}", label, n) for n in range(1, count + 1))
        return RenderedReply("?", ReplyKind.PROMPT, buttons, step="x", step_kind="choice")

    buttons = renderer.view(reply(3), "ar")
    select = renderer.view(reply(8), "ar")
    assert buttons is not None and select is not None
    shown = [item.item.label for item in buttons.children]  # type: ignore[attr-defined]
    [menu] = select.children
    options = [option.label for option in menu.item.options]  # type: ignore[attr-defined]
    assert len(label) > 100
    assert all(text.startswith(RLM) and len(text) <= 80 for text in shown), shown
    assert all(text.startswith(RLM) and len(text) <= 100 for text in options), options
