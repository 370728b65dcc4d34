"""Cutting escaped text within a size limit never breaks an entity, an escape or a grapheme."""

from __future__ import annotations

import re

import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.digest.split import split_lines, split_text, truncate
from bot.escape import discord_text, slack_text

#: Pieces that are easy to break: combining marks, ZWJ families, flags, variation
#: selectors, skin tones, characters Slack escapes and Discord markup.
TRICKY = [
    "a",
    " ",
    "\n",
    "<",
    ">",
    "&",
    "*",
    "\\",
    "#",
    "e\u0301",
    "\u0915\u094d\u0937",
    "👨\u200d👩\u200d👧",
    "🇫🇷",
    "❤\ufe0f",
    "👍🏽",
    "\u200b",
    "字",
]
texts = st.lists(st.sampled_from(TRICKY), max_size=300).map("".join)
limits = st.integers(min_value=12, max_value=80)


def graphemes(text: str) -> list[str]:
    return [g for g in regex.findall(r"\X", text) if not g.isspace()]


def test_a_need_of_a_lt_repeated_is_cut_between_entities_on_slack() -> None:
    need = "a<" * 1000
    escaped = slack_text(need)
    assert len(escaped) == 5000
    chunks = split_text("x" + escaped, 3000)  # a naive cut at 3,000 lands inside "&lt;"
    assert [len(c) for c in chunks] == [2997, 2004]
    assert "".join(chunks) == "x" + escaped
    assert all(re.fullmatch(r"x?(?:a|&lt;)*", c) for c in chunks)
    shortened = truncate(escaped, 3000)
    assert len(shortened) == 2997 and shortened.endswith("&lt;a…")


def test_a_family_emoji_and_an_accent_are_never_cut() -> None:
    family = "👨\u200d👩\u200d👧"
    accent = "e\u0301"
    assert split_text("x" * 9 + family + accent * 3, 10) == ["x" * 9, family + accent * 2, accent]
    assert truncate("abc" + family, 7) == "abc…"
    assert truncate("abc" + family, 8) == "abc" + family


def test_a_surrogate_pair_is_kept_together() -> None:
    pair = "\ud83d\ude00"
    assert split_text("abc" + pair + "def", 4) == ["abc", pair + "de", "f"]


def test_one_grapheme_longer_than_the_limit_is_cut_by_code_points() -> None:
    zalgo = "z" + "\u0301" * 25
    chunks = split_text(zalgo, 10)
    assert [len(c) for c in chunks] == [10, 10, 6] and "".join(chunks) == zalgo


def test_a_line_is_cut_at_a_space_in_its_last_fifth() -> None:
    line = "word " * 10
    words = "word word word word"
    assert split_text(line.strip(), 22) == [words, words, "word word"]


@settings(max_examples=300)
@given(texts, limits)
@example("a<" * 1000, 3000)
def test_slack_chunks_fit_hold_whole_entities_and_lose_nothing(text: str, limit: int) -> None:
    escaped = slack_text(text)
    chunks = split_text(escaped, limit)
    assert all(len(c) <= limit for c in chunks)
    for chunk in chunks:
        assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*", chunk), chunk
    assert graphemes("".join(chunks)) == graphemes(escaped)


@settings(max_examples=300)
@given(texts, limits)
def test_discord_chunks_fit_keep_escapes_and_graphemes_whole(text: str, limit: int) -> None:
    escaped = discord_text(text)
    chunks = split_lines(escaped.split("\n"), limit)
    assert all(len(c) <= limit for c in chunks)
    for chunk in chunks:
        trailing = len(chunk) - len(chunk.rstrip("\\"))
        assert trailing % 2 == 0, "a chunk ends between a backslash and what it escapes"
    assert graphemes("".join(chunks)) == graphemes(escaped)


@given(texts, limits)
def test_truncation_keeps_a_whole_prefix(text: str, limit: int) -> None:
    escaped = slack_text(text)
    short = truncate(escaped, limit)
    assert len(short) <= limit
    if short != escaped:
        kept = short.removesuffix("…")
        assert escaped.startswith(kept)
        assert re.fullmatch(r"(?:[^&]|&amp;|&lt;|&gt;)*", kept)
        assert graphemes(kept) == graphemes(escaped)[: len(graphemes(kept))]
