"""The digest laid out as Discord messages with embeds, split within Discord's limits.

Limits (Discord documentation): 2,000 characters of message content, 10 embeds
per message, 6,000 characters across all embeds of a message, 256 per embed
title, 4,096 per embed description, 2,048 per footer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.digest.sections import Section
from bot.digest.split import split_lines, truncate
from bot.escape import discord_text

CONTENT_CHARS = 2000
MAX_EMBEDS = 10
EMBED_TOTAL_CHARS = 6000
TITLE_CHARS = 256
DESCRIPTION_CHARS = 4096
FOOTER_CHARS = 2048
#: Room kept in every message for the part marker footer.
_FOOTER_ROOM = 40


@dataclass(frozen=True)
class DiscordMessage:
    """One message: content and embeds as raw API payload dicts."""

    content: str
    embeds: list[dict[str, Any]] = field(default_factory=list)


def embed_chars(embed: dict[str, Any]) -> int:
    """Characters Discord counts towards the 6,000 limit for one embed."""
    total = len(embed.get("title", "")) + len(embed.get("description", ""))
    total += len(embed.get("footer", {}).get("text", ""))
    total += len(embed.get("author", {}).get("name", ""))
    for f in embed.get("fields", []):
        total += len(f.get("name", "")) + len(f.get("value", ""))
    return total


def _cut(text: str, limit: int) -> str:
    return truncate(text, limit)


def discord_digest(
    title: str,
    sections: list[Section],
    *,
    part_label: str = "{index}/{total}",
    colour: int = 0x2E7D32,
) -> list[DiscordMessage]:
    """Lay out a digest as Discord messages: the title as content, one embed per section.

    Every line is escaped (markdown and mentions). A section longer than an embed
    description continues in the next embed; embeds are packed into messages of
    at most 10 embeds and 6,000 characters, and each message of a multi-part
    digest carries a "Part 2 of 3" footer.

    Args:
        title: Text for the first message's content (escaped here); may be empty.
        sections: Digest sections (escaped here).
        part_label: Localised template with ``{index}`` and ``{total}``.
        colour: Embed side colour (decoration only; nothing depends on it).
    """
    embeds: list[dict[str, Any]] = []
    budget = min(DESCRIPTION_CHARS, EMBED_TOTAL_CHARS - TITLE_CHARS - _FOOTER_ROOM)
    for section in sections:
        name = _cut(discord_text(section.title), TITLE_CHARS) if section.title else ""
        escaped = [discord_text(line) for line in section.lines] or [""]
        chunks = split_lines(escaped, budget) or [""]
        for number, chunk in enumerate(chunks):
            embed: dict[str, Any] = {"type": "rich", "color": colour}
            if name:
                embed["title"] = name if number == 0 else _cut(f"{name} (…)", TITLE_CHARS)
            if chunk:
                embed["description"] = chunk
            if "title" in embed or "description" in embed:
                embeds.append(embed)
    pages: list[list[dict[str, Any]]] = [[]]
    used = 0
    for embed in embeds:
        size = embed_chars(embed)
        if pages[-1] and (
            len(pages[-1]) >= MAX_EMBEDS or used + size > EMBED_TOTAL_CHARS - _FOOTER_ROOM
        ):
            pages.append([])
            used = 0
        pages[-1].append(embed)
        used += size
    total = len(pages)
    content = _cut(discord_text(title), CONTENT_CHARS)
    messages = []
    for index, page in enumerate(pages, start=1):
        if total > 1 and page:
            label = _cut(part_label.format(index=index, total=total), _FOOTER_ROOM)
            page[-1]["footer"] = {"text": label}
        messages.append(DiscordMessage(content=content if index == 1 else "", embeds=page))
    return messages


def discord_text_messages(text: str) -> list[str]:
    """Plain text (already escaped by the caller) split into messages of at most 2,000 chars."""
    return split_lines(text.split("\n"), CONTENT_CHARS)
