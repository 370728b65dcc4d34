"""Whatever a participant types, Discord shows it as typed: no markup, pill or link survives."""

from __future__ import annotations

import discord.utils
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.adapters.discord.render import split_message
from bot.escape import discord_text
from bot.testing.discord_markdown import render

#: Things people type (or paste) that Discord would format, link or turn into pills.
CORPUS = [
    "[click](https://evil.example) **bold** ~~s~~ ||spoiler|| (end)",
    "a need (named 1×; importance 5, satisfaction 2) **really** (importance 5, x)",
    "<@123> <@!123> <@&456> <#789> <:party:123456> <a:dance:42> <t:1700000000:R> </join:99>",
    "@everyone @here please",
    "# Heading\n## Two\n### Three\n-# small print",
    "> quoted\n>>> all of it",
    "- item\n* item\n1. first\n2) second",
    "`code` and ```\nblock\n``` and __underline__ and _italic_ and *italic*",
    "https://example.com/a_b_c and <https://example.com>",
    "a \\*not bold\\* backslash \\\\ at the end \\",
    "e\u0301 👨\u200d👩\u200d👧 🇫🇷 ❤\ufe0f @\u200beveryone",
]


def test_the_renderer_sees_the_markup_in_the_corpus() -> None:
    # Without escaping, every line of the corpus but the last renders differently.
    assert all(render(text) != text for text in CORPUS[:-1])


def test_discord_utils_escape_markdown_leaves_markup_live_after_a_masked_link() -> None:
    shown = render(discord.utils.escape_markdown(CORPUS[0]))
    assert "⟦bold:bold⟧" in shown and "⟦spoiler:spoiler⟧" in shown


@pytest.mark.parametrize("text", CORPUS)
def test_every_corpus_line_is_shown_as_typed(text: str) -> None:
    assert render(discord_text(text)) == text


#: Characters that make Discord markup, with letters, digits, spaces and line breaks around them.
MARKUP = st.sampled_from([*"\\*_~|`[]()<>#@-+.:/!&;ahst019 \n", "\u200b", "e\u0301", "🇫🇷"])


@settings(max_examples=500)
@given(st.lists(MARKUP, max_size=60).map("".join))
def test_escaping_then_rendering_gives_the_text_back(text: str) -> None:
    assert render(discord_text(text)) == text


@settings(max_examples=200)
@given(st.lists(MARKUP, max_size=400).map("".join), st.integers(min_value=20, max_value=120))
def test_every_message_of_a_split_is_plain_text(text: str, limit: int) -> None:
    chunks = split_message(text, limit)
    shown = [render(chunk) for chunk in chunks]
    assert all("⟦" not in s for s in shown)
    assert "".join(shown).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_only_the_bots_own_channel_links_stay_clickable() -> None:
    typed = "see <#42> and <@7>"
    assert render(discord_text(typed, links=["<#42>"])) == "see ⟦pill:<#42>⟧ and <@7>"
    assert render(discord_text(typed, links=["<@7>", "x"])) == typed  # not channel links
