"""The digest's sections as a report shows them, with a summary for the council on top.

A digest is short by design ("…and 13 smaller themes (see the report)", theme ids for
moderators' commands). The report reorders it for a council: a summary first
(:mod:`bot.digest.report_summary`), the need themes with their gap and quotes that
appear once, the domains as a table (the renderers draw it where
``key == "digest.domains"``), no theme ids, no "see the report" pointers, no
trailing colons in headings. Every theme stays in the table of all themes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.digest.metrics import DigestMetrics
from bot.digest.report_summary import summary_lines, theme_lines
from bot.digest.sections import digest_sections
from bot.digest.text import digest_lines
from flows.catalog import Catalogs
from flows.text import Msg

#: Digest lines that point at the report, only make sense in chat, or are now tables.
_DROPPED = frozenset({"digest.themes_more", "digest.theme_new", "digest.domain_line"})
#: "At a glance" lines the summary already says.
_IN_SUMMARY = frozenset({"digest.helix", "digest.missing", "digest.missing_none", "digest.origins"})
#: Sections the summary replaces (its quotes are the summary's).
_MOVED = frozenset({"digest.quotes"})
SUMMARY_KEY = "report.exec"
_THEME_LINES = ("digest.theme_line", "digest.theme_line_req")


class LineKind(Enum):
    """How a report line is laid out."""

    ITEM = "item"
    TITLE = "title"
    QUOTE = "quote"
    NOTE = "note"


@dataclass(frozen=True)
class ReportLine:
    """One rendered line of a report section and how it is laid out."""

    text: str
    kind: LineKind = LineKind.ITEM


@dataclass(frozen=True)
class ReportSection:
    """A heading, its lines, and the digest message id it came from (``key``)."""

    title: str
    lines: tuple[ReportLine, ...]
    key: str
    detail: str = ""


#: A heading's numbers after a colon, or its explanation in final brackets.
_COLON = re.compile(r"^(.+?)\s?[:：]\s*(.+)$")
_BRACKETS = re.compile(r"^(.+?)\s*[(（](.+)[)）]$")


def split_heading(text: str) -> tuple[str, str]:
    """``"Top domains (importance × …)"`` → the short heading and what it explains or counts."""
    text = text.rstrip(":：").strip()
    order = (_BRACKETS, _COLON) if text.endswith((")", "）")) else (_COLON,)
    for pattern in order:
        found = pattern.match(text)
        if found:
            return found.group(1).strip(), found.group(2).strip()
    return text, ""


_KINDS = {
    "digest.theme_quote": LineKind.QUOTE,
    "report.exec_quote": LineKind.QUOTE,
    "report.theme_title": LineKind.TITLE,
    "report.exec_need": LineKind.TITLE,
    "report.exec_needs": LineKind.NOTE,
    "report.themes_more": LineKind.NOTE,
    "report.themes_requirements": LineKind.NOTE,
    "report.coverage_more": LineKind.NOTE,
}


def report_sections(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[ReportSection]:
    """The report's sections in reading order (see the module docstring)."""
    heading_ids = {s.key for s in digest_sections(m, catalogs, locale)} - {"digest.title"}

    def lines(msgs: list[Msg]) -> tuple[ReportLine, ...]:
        return tuple(
            ReportLine(catalogs.render(msg, locale), _KINDS.get(msg.id, LineKind.ITEM))
            for msg in msgs
        )

    sections = [
        ReportSection(
            catalogs.render(Msg("report.exec"), locale),
            lines(summary_lines(m, locale)),
            SUMMARY_KEY,
        )
    ]
    title, key = catalogs.render(Msg("report.summary"), locale), "report.summary"
    detail = ""
    body: list[Msg] = []
    for msg in _report_lines(m):
        if msg.id == "digest.title":
            continue
        if msg.id in heading_ids:
            if body or key != "report.summary":  # some headings carry their numbers
                sections.append(ReportSection(title, lines(body), key, detail))
            title, detail = split_heading(catalogs.render(msg, locale))
            key, body = msg.id, []
            continue
        body.append(msg)
    if body or key != "report.summary":
        sections.append(ReportSection(title, lines(body), key, detail))
    return [s for s in sections if s.key not in _MOVED]


def _report_lines(m: DigestMetrics) -> list[Msg]:
    out: list[Msg] = []
    in_themes = False
    for msg in digest_lines(m):
        if not isinstance(msg, Msg):
            continue
        if msg.id == "digest.themes" and m.findings is not None:
            out.append(msg)
            out.extend(theme_lines(m))
            in_themes = True
            continue
        if in_themes and msg.id in (*_THEME_LINES, "digest.theme_quote", *_DROPPED):
            continue
        in_themes = False
        if msg.id in _DROPPED or msg.id in _IN_SUMMARY:
            continue
        if msg.id == "digest.coverage_more":
            out.append(Msg("report.coverage_more", dict(msg.params)))
            continue
        out.append(msg)
    return out
