"""A small reference renderer of the Markdown Discord applies to message content.

Tests use it to check that escaped text shows as typed: ``render(discord_text(s)) == s``.
Every construct Discord would format is rendered as a visible tag such as
``⟦bold:…⟧`` or ``⟦mention:123⟧``, so anything that is *not* plain text makes the
output differ from the input. The rules follow Discord's parser (simple-markdown
with Discord's additions), in its order of precedence:

* at a line start: headings (``#`` to ``###`` and a space), subtext (``-#``),
  block quotes (``>`` and ``>>>``), lists (``-``, ``*`` or ``1.`` and a space);
* inline: backslash escapes of any ASCII punctuation, code blocks, inline code,
  ``<…>`` entities (user, role and channel mentions, custom emoji, timestamps,
  slash-command mentions, guild navigation), ``<url>`` and bare links,
  ``@everyone``/``@here``, masked links, bold, underline, italic, strike and
  spoilers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_LINE_START: list[tuple[str, re.Pattern[str]]] = [
    ("heading", re.compile(r"#{1,3} +(?=\S)")),
    ("subtext", re.compile(r"-# +(?=\S)")),
    ("quote", re.compile(r">>> |> ")),
    ("list", re.compile(r" *(?:[*-]|\d+\.) +(?=\S)")),
]

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_ENTITY = re.compile(
    r"<(?:@!?\d+|@&\d+|#\d+|a?:\w+:\d+|t:-?\d+(?::[tTdDfFR])?|/[\w -]+:\d+|id:\w+)>"
)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:[^ >]+)>")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<]+[^<.,:;\"')\]\s]")
_EVERYONE = re.compile(r"@(?:everyone|here)")
_MASKED_LINK = re.compile(r"\[([^\[\]]*)\]\(\s*<?([^\s()<>]+)>?\s*\)")
_CODE_BLOCK = re.compile(r"```(?:[\w+\-.#]*\n)?([\s\S]+?)```")
_INLINE_CODE = re.compile(r"(`+)([\s\S]*?[^`])\1(?!`)")
_WRAPPED: list[tuple[str, re.Pattern[str]]] = [
    ("bold", re.compile(r"\*\*([\s\S]+?)\*\*(?!\*)")),
    ("underline", re.compile(r"__([\s\S]+?)__(?!_)")),
    ("italic", re.compile(r"\*(?=\S)([\s\S]*?\S)\*(?!\*)")),
    ("italic", re.compile(r"_([\s\S]+?)_(?![A-Za-z0-9_])")),
    ("strike", re.compile(r"~~([\s\S]+?)~~")),
    ("spoiler", re.compile(r"\|\|([\s\S]+?)\|\|")),
]


def render(content: str) -> str:
    """``content`` as Discord would show it, constructs replaced by visible ``⟦kind:…⟧`` tags."""
    return _inline(content, line_start=True)


def _inline(text: str, *, line_start: bool) -> str:
    out: list[str] = []
    i = 0
    at_line_start = line_start
    while i < len(text):
        if at_line_start:
            block = _line_start(text, i)
            if block is not None:
                kind, end = block
                out.append(f"⟦{kind}⟧")
                i = end
                at_line_start = False
                continue
        step = _one(text, i)
        out.append(step[0])
        at_line_start = text[i : step[1]].endswith("\n")
        i = step[1]
    return "".join(out)


def _line_start(text: str, i: int) -> tuple[str, int] | None:
    for kind, pattern in _LINE_START:
        match = pattern.match(text, i)
        if match:
            return kind, match.end()
    return None


def _tag(kind: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"⟦{kind}:{_inline(match.group(1), line_start=False)}⟧"


def _one(text: str, i: int) -> tuple[str, int]:
    """The rendering of the construct starting at ``i`` and where it ends."""
    match = _ESCAPE.match(text, i)
    if match:
        return match.group(1), match.end()
    literal: list[tuple[str, re.Pattern[str]]] = [
        ("code", _CODE_BLOCK),
        ("code", _INLINE_CODE),
    ]
    for kind, pattern in literal:
        match = pattern.match(text, i)
        if match:
            return f"⟦{kind}:{match.group(match.lastindex or 0)}⟧", match.end()
    for kind, pattern in [("pill", _ENTITY), ("link", _AUTOLINK), ("link", _URL)]:
        match = pattern.match(text, i)
        if match:
            return f"⟦{kind}:{match.group(0)}⟧", match.end()
    match = _EVERYONE.match(text, i)
    if match:
        return f"⟦pill:{match.group(0)}⟧", match.end()
    match = _MASKED_LINK.match(text, i)
    if match:
        return f"⟦link:{_inline(match.group(1), line_start=False)}→{match.group(2)}⟧", match.end()
    for kind, pattern in _WRAPPED:
        match = pattern.match(text, i)
        if match:
            return _tag(kind)(match), match.end()
    return text[i], i + 1
