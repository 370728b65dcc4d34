"""The digest as platform-neutral sections that adapters lay out (blocks, embeds, text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.digest.metrics import DigestMetrics
from bot.digest.text import digest_lines
from flows.catalog import Catalogs
from flows.text import Msg

#: Message ids that start a new section.
_HEADINGS = frozenset(
    {
        "digest.domains",
        "digest.stakeholders",
        "digest.conflicts",
        "digest.connected",
        "digest.new_heading",
        "digest.moscow",
        "digest.sdgs",
        "digest.quotes",
        "digest.themes",
        "digest.groups_heading",
        "digest.coverage",
    }
)


@dataclass(frozen=True)
class Section:
    """A heading and its lines, already rendered in one locale.

    Lines may contain participants' verbatim text: adapters must escape every
    line for their platform (mentions, markup) before sending it. ``key`` is
    the heading's message id (``digest.quotes`` marks verbatim quotes).
    """

    title: str
    lines: tuple[str, ...]
    key: str = ""


def digest_sections(m: DigestMetrics, catalogs: Catalogs, locale: str = "en") -> list[Section]:
    """Group the digest's lines into sections, headings first."""
    sections: list[Section] = []
    title, key = "", ""
    lines: list[str] = []
    for msg in digest_lines(m):
        text = catalogs.render(msg, locale)
        if isinstance(msg, Msg) and msg.id in _HEADINGS:
            if title or lines:
                sections.append(Section(title, tuple(lines), key))
            title, key, lines = text, msg.id, []
        elif not sections and not title and msg.id == "digest.title":
            title, key = text, msg.id
        else:
            lines.append(text)
    if title or lines:
        sections.append(Section(title, tuple(lines), key))
    return sections


def sections_from_body(body: dict[str, Any]) -> list[Section]:
    """The sections stored in a digest body (see ``DigestService.build_body``)."""
    return [
        Section(
            str(s.get("title", "")),
            tuple(str(line) for line in s.get("lines", [])),
            str(s.get("key", "")),
        )
        for s in body.get("sections", [])
    ]
