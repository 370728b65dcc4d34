"""The workshop report as Markdown: digest, both pictures with their text equivalents, tables."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.digest.actor_table import ACTOR_COLUMNS, actor_rows
from bot.digest.grid import grid_text
from bot.digest.metrics import DigestMetrics
from bot.digest.report_sections import LineKind, ReportLine, report_sections
from bot.digest.report_summary import map_words, method_lines
from bot.digest.tables import (
    DOMAIN_COLUMNS,
    STAKEHOLDER_COLUMNS,
    STORY_COLUMNS,
    THEME_COLUMNS,
    domain_rows,
    headers,
    stakeholder_rows,
    story_rows,
    theme_rows,
)
from bot.escape import markdown_cell, markdown_text
from flows.catalog import Catalogs
from flows.text import Literal, Msg


def render_markdown(
    m: DigestMetrics,
    catalogs: Catalogs,
    *,
    locale: str = "en",
    images: Mapping[str, str] | None = None,
    vectors: Mapping[str, str] | None = None,
    generated: datetime | None = None,
) -> str:
    """The report as Markdown; every participant's text is escaped, quotes are block quotes.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs.
        locale: Language of the report.
        images: ``{"map": path, "grid": path}`` of the PNGs to reference (relative
            paths next to the report, or ``data:`` URIs); pictures are left out if absent.
        vectors: ``{"map": path, "grid": path}`` of the SVG copies, linked under each picture.
        generated: When the report was made (shown in the workshop's timezone).
    """
    images = images or {}
    vectors = vectors or {}

    def t(msg: Msg) -> str:
        return catalogs.render(msg, locale)

    heading = t(Msg("report.heading", {"title": Literal(m.workshop.title)}))
    parts = [f"# {markdown_text(heading)}", ""]
    for section in report_sections(m, catalogs, locale):
        if section.title:
            parts += [f"## {markdown_text(section.title)}", ""]
        if section.detail:
            parts += [f"*{markdown_text(section.detail)}*", ""]
        if section.key == "digest.domains":
            parts += _table(DOMAIN_COLUMNS, domain_rows(m, catalogs, locale), catalogs, locale)
        parts += [_line(line) for line in section.lines]
        parts.append("")
    for name, describe in (("map", map_words), ("grid", grid_text)):
        parts += [f"## {markdown_text(t(Msg(f'report.{name}')))}", ""]
        if name in images:
            alt = markdown_text(t(Msg(f"report.{name}_alt")))
            parts += [f"![{alt}]({images[name]})", ""]
        if name in vectors:
            link = f"[{markdown_text(vectors[name])}]({vectors[name]})"
            words = t(Msg("report.svg_link", {"file": Literal("\x00")}))
            parts += [markdown_text(words).replace("\x00", link), ""]
        parts += [f"{markdown_text(t(line))}  " for line in describe(m)] + [""]
    for heading, columns, rows in (
        ("report.actors", ACTOR_COLUMNS, actor_rows(m, catalogs, locale)),
        ("report.stories", STORY_COLUMNS, story_rows(m, catalogs, locale)),
        ("report.stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows(m, catalogs, locale)),
        ("report.all_themes", THEME_COLUMNS, theme_rows(m, catalogs, locale)),
    ):
        if rows:
            parts += [f"## {markdown_text(t(Msg(heading)))}", ""]
            parts += _table(columns, rows, catalogs, locale)
    parts += [f"## {markdown_text(t(Msg('report.method_heading')))}", ""]
    parts += [f"{markdown_text(t(line))}  " for line in method_lines(m, generated)]
    parts.append("")
    return "\n".join(parts)


def _table(
    columns: tuple[str, ...], rows: list[list[str]], catalogs: Catalogs, locale: str
) -> list[str]:
    head = _row(headers(columns, catalogs, locale))
    return [head, "|" + "---|" * len(columns), *(_row(row) for row in rows), ""]


def _line(line: ReportLine) -> str:
    """A section line; quotes are block quotes, titles bold (two trailing spaces: a line break)."""
    text = markdown_text(line.text.strip() if line.kind is LineKind.QUOTE else line.text)
    if line.kind is LineKind.QUOTE:
        return f"> {text}\n"
    if line.kind is LineKind.TITLE:
        return f"**{text}**  "
    return f"{text}  "


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"
