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
#: Characters that start Markdown constructs anywhere in a line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~])")


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
    """Escape text for a Markdown document (CommonMark): every punctuation that can start markup.

    Raw HTML is neutralised as well (``<`` becomes ``&lt;``), since Markdown
    renderers pass HTML through.
    """
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return (
        escaped.replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\&lt;", "&lt;")
        .replace("\\&gt;", "&gt;")
    )


def markdown_cell(text: str) -> str:
    """Escape text for a Markdown table cell: Markdown escapes, pipes, no line breaks."""
    return markdown_text(" ".join(text.split()))


def html_text(text: str) -> str:
    """Escape text for HTML element content and attribute values."""
    return html.escape(text, quote=True)
