"""Escaping participants' text for every output format, so it shows verbatim and pings nobody.

Generated text goes through the same functions: it never relies on markup, so
escaping a whole message is always safe.
"""

from __future__ import annotations

import html
import re

import discord.utils

#: Discord mentions that notify people: @everyone, @here, <@id>, <@!id>, <@&role>.
_DISCORD_PING = re.compile(r"@(everyone|here|[!&]?[0-9]{15,21})")
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


def discord_text(text: str) -> str:
    """Escape Discord markdown and break mentions (callers still send ``AllowedMentions.none()``).

    Backslashes are escaped too, so a typed backslash cannot undo an escape; links
    stay clickable.
    """
    escaped = discord.utils.escape_markdown(text)
    return _DISCORD_PING.sub("@\u200b\\1", escaped)


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
