"""Escaping participants' text for every output format, so it shows verbatim and pings nobody.

Generated text goes through the same functions: it never relies on markup, so
escaping a whole message is always safe.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

#: What Discord could read as markup, a mention, an emoji, a timestamp or a link, wherever it
#: stands: inline markers, brackets of masked links and ``<...>`` entities, ``@everyone``,
#: line starts (``#`` headings, ``>`` quotes, ``-``/``*``/``+``/``1.`` lists, ``-#`` subtext)
#: and the ``://`` of a bare link. Escaping them everywhere, not only at a line start, means
#: a message split anywhere between two atoms (bot.digest.split) still starts with plain text.
_DISCORD_SPECIAL = re.compile(r"[\\*_~|`\[\]<>#@-]|\+(?=\s)|(?<=\d)[.)]|(?<=[A-Za-z]):(?=//)")
#: A channel link, the only markup the bot writes on purpose (see ``links`` below).
_CHANNEL_LINK = re.compile(r"<#[0-9]+>")
#: Characters that start or end Markdown inline constructs anywhere in a line.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: Line starts that make headings, lists, rules or block quotes.
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))", re.MULTILINE)


def slack_text(text: str) -> str:
    """Escape ``&``, ``<`` and ``>`` as Slack requires, so ``<!channel>`` shows as typed.

    Slack has no escape for ``*bold*`` and friends; callers put participants'
    text in ``plain_text`` objects (or send with ``mrkdwn`` off), where markup
    is not interpreted.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def discord_text(text: str, *, links: Iterable[str] = ()) -> str:
    """Escape ``text`` so Discord shows it exactly as typed (callers still send no mentions).

    Every character that could start markup gets a backslash, which Discord drops
    when it renders (its escape rule covers any ASCII punctuation). So
    ``**bold**``, ``||spoiler||``, ``[click](https://…)``, ``<@123>``, ``<#789>``,
    ``<t:0>`` and ``@everyone`` show as typed, never as formatting, pills or
    links; a bare link shows as text and is not clickable (nor previewed).
    Nothing else changes: invisible characters a person typed stay as they are.
    Generated text goes through the same function, so a whole message can be
    escaped at once. See ``bot.testing.discord_markdown`` for the rules checked.

    Args:
        text: The whole message.
        links: Channel links the bot itself put in the message (``<#id>``), kept
            clickable; anything else is escaped.
    """
    escaped = _DISCORD_SPECIAL.sub(r"\\\g<0>", text)
    for link in links:
        if _CHANNEL_LINK.fullmatch(link):
            escaped = escaped.replace(_DISCORD_SPECIAL.sub(r"\\\g<0>", link), link)
    return escaped


def markdown_text(text: str) -> str:
    """Escape text for a Markdown document (CommonMark) so it shows as typed.

    Inline markup characters get a backslash, ``&``, ``<`` and ``>`` become
    entities (renderers pass raw HTML through), and line starts that would make
    a heading, list or rule are escaped. Ordinary punctuation stays readable.
    """
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", escaped)

    def line_start(match: re.Match[str]) -> str:
        lead, token = match.group(1), match.group(2)
        if token.isdigit():
            return f"{lead}{token}\\"
        return f"{lead}\\{token}"

    return _MARKDOWN_LINE_START.sub(line_start, escaped)


def markdown_cell(text: str) -> str:
    """Escape text for a Markdown table cell: Markdown escapes, pipes, no line breaks."""
    return markdown_text(" ".join(text.split()))


def html_text(text: str) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(text, quote=True)
