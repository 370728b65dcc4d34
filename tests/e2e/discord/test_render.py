"""Splitting escaped text at Discord's 2,000 characters, and the components a reply gets."""

from __future__ import annotations

import re

from bot.adapters.discord.render import ReplyRenderer, decode_choice, split_message
from bot.app.forms import requirement_form
from bot.core import load_core
from bot.escape import discord_text
from bot.testing.discord_markdown import render
from flows.messages import ReplyKind
from flows.render import Button, RenderedReply


def test_long_text_is_split_at_2000_without_breaking_an_escape() -> None:
    text = "intro line\n" + "*_" * 2600 + "\n" + "@everyone " * 300
    chunks = split_message(text)
    assert len(chunks) >= 4 and all(len(c) <= 2000 for c in chunks)
    for chunk in chunks:
        trailing = len(chunk) - len(chunk.rstrip("\\"))
        assert trailing % 2 == 0, "a chunk ends inside an escape"
        assert re.search(r"(?<!\\)[*_]", chunk) is None, "an unescaped markdown character"
        assert "⟦" not in render(chunk), "markup, a mention or a link survived"
    assert "".join(chunks).replace("\n", "").replace(" ", "") == discord_text(text).replace(
        "\n", ""
    ).replace(" ", "")


async def test_replies_get_buttons_selects_scales_and_the_form_button() -> None:
    # Views are built inside the bot's running loop; this test runs in one too.
    core = load_core()
    renderer = ReplyRenderer(core.catalogs, requirement_form(core.engine.scripts))

    def reply(
        step: str,
        kind: str,
        options: int,
        *,
        multi: bool = False,
        bounds: tuple[int, int] | None = None,
    ) -> RenderedReply:
        buttons = tuple(Button(f"v{n}", f"Option {n}", n) for n in range(1, options + 1))
        return RenderedReply(
            text="?",
            kind=ReplyKind.PROMPT,
            buttons=buttons,
            multi=multi,
            step=step,
            step_kind=kind,
            bounds=bounds,
        )

    def ids(r: RenderedReply) -> list[str]:
        view = renderer.view(r, "en")
        assert view is not None and view.is_finished()  # never kept in discord.py's view store
        return [item.custom_id for item in view.children]  # type: ignore[attr-defined]

    assert ids(reply("helix", "choice", 4)) == [f"cn:b:helix:v{n}" for n in range(1, 5)]
    assert ids(reply("scenario", "choice", 8)) == ["cn:s:scenario"]
    assert ids(reply("domains", "multi_choice", 16, multi=True)) == ["cn:s:domains"]
    # The controls come from the reply alone: a scale's buttons from its bounds.
    scale = reply("importance", "scale", 0, bounds=(1, 5))
    assert ids(scale) == [f"cn:b:importance:#{n}" for n in range(1, 6)]
    assert renderer.view(reply("importance", "scale", 0), "en") is None  # no bounds, typed only
    assert ids(reply("as_a", "text", 0)) == ["cn:f:as_a"]
    assert renderer.view(reply("need_text", "text", 0), "en") is None
    assert renderer.view(reply("x", "choice", 30), "en") is None  # typed only
    select = renderer.view(reply("domains", "multi_choice", 16, multi=True, bounds=(1, 3)), "en")
    assert select is not None
    [menu] = select.children
    assert (menu.item.min_values, menu.item.max_values) == (1, 3)  # type: ignore[attr-defined]
    optional = renderer.view(
        reply("sh_vulnerable", "multi_choice", 6, multi=True, bounds=(0, 6)), "en"
    )
    assert optional is not None
    [menu] = optional.children
    assert (menu.item.min_values, menu.item.max_values) == (0, 6)  # type: ignore[attr-defined]
    assert decode_choice("#3") == "3" and decode_choice("civil_society") == "civil_society"
    first, second = renderer.messages([reply("helix", "choice", 2), reply("x", "text", 0)], "en")
    assert (first.content, second.content, second.view) == ("?", "?", None)
    assert first.view is not None  # the buttons end the first reply's message
    [joined] = renderer.messages([reply("a", "text", 0), reply("b", "text", 0)], "en")
    assert joined.content == "?\n\n?" and joined.view is None
