"""The digest laid out as Slack Block Kit messages, split within Slack's limits.

Limits (Slack documentation): 50 blocks per message, 3,000 characters of text
per section block, 150 per header block. We also keep each message's text
under :data:`MESSAGE_CHARS` so no message nears the 40,000-character cut-off,
and the notification ``text`` under :data:`FALLBACK_CHARS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.digest.sections import Section
from bot.digest.split import split_lines, truncate
from bot.escape import slack_text

MAX_BLOCKS = 50
SECTION_CHARS = 3000
HEADER_CHARS = 150
MESSAGE_CHARS = 12_000
FALLBACK_CHARS = 3000


def _header(text: str) -> dict[str, Any]:
    short = truncate(text, HEADER_CHARS)
    return {"type": "header", "text": {"type": "plain_text", "text": short, "emoji": False}}


def _section(text: str) -> dict[str, Any]:
    # plain_text: participants' "*bold*" and "<!here>" are shown, never interpreted.
    return {"type": "section", "text": {"type": "plain_text", "text": text, "emoji": False}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "plain_text", "text": text, "emoji": False}]}


@dataclass(frozen=True)
class SlackMessage:
    """One ``chat.postMessage``: notification text and blocks."""

    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)


def _block_chars(block: dict[str, Any]) -> int:
    if "text" in block:
        return len(block["text"]["text"])
    return sum(len(e["text"]) for e in block.get("elements", []))


def slack_digest(
    title: str, sections: list[Section], *, part_label: str = "{index}/{total}"
) -> list[SlackMessage]:
    """Lay out a digest as one or more Slack messages.

    Every line is escaped for Slack; headers are cut at 150 characters, section
    text is packed at line boundaries up to 3,000 characters, and messages are
    split before 50 blocks. When there is more than one message each ends with a
    context block such as "Part 2 of 3" (``part_label`` with ``{index}`` and
    ``{total}``).

    Args:
        title: A title shown first (escaped here); empty for none.
        sections: The digest sections (lines escaped here).
        part_label: Template for the part marker, already localised.
    """
    blocks: list[dict[str, Any]] = [_header(slack_text(title))] if title.strip() else []
    for section in sections:
        if section.title:
            blocks.append(_header(slack_text(section.title)))
        escaped = [slack_text(line) for line in section.lines]
        blocks.extend(_section(chunk) for chunk in split_lines(escaped, SECTION_CHARS))
    # One block of every message is kept free for the part marker.
    pages: list[list[dict[str, Any]]] = [[]]
    chars = 0
    for block in blocks:
        size = _block_chars(block)
        page = pages[-1]
        if page and (len(page) >= MAX_BLOCKS - 1 or chars + size > MESSAGE_CHARS):
            pages.append([])
            chars = 0
        pages[-1].append(block)
        chars += size
    total = len(pages)
    messages = []
    for index, page in enumerate(pages, start=1):
        if total > 1:
            page.append(_context(part_label.format(index=index, total=total)))
        fallback = "\n".join(b["text"]["text"] for b in page if b["type"] in ("header", "section"))
        fallback = truncate(fallback, FALLBACK_CHARS)
        messages.append(SlackMessage(text=fallback, blocks=page))
    return messages
