"""The workshop report as Markdown: digest, both pictures with their text equivalents, tables."""

from __future__ import annotations

from collections.abc import Mapping

from bot.digest.actor_table import ACTOR_COLUMNS, actor_rows
from bot.digest.grid import grid_text
from bot.digest.metrics import DigestMetrics
from bot.digest.picture import map_text
from bot.digest.report_sections import report_sections
from bot.digest.tables import (
    DOMAIN_COLUMNS,
    STAKEHOLDER_COLUMNS,
    STORY_COLUMNS,
    domain_rows,
    headers,
    stakeholder_rows,
    story_rows,
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
) -> str:
    """The report as Markdown; every participant's text is escaped, quotes are block quotes.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs.
        locale: Language of the report.
        images: ``{"map": path, "grid": path}`` of the PNGs to reference (relative
            paths next to the report, or ``data:`` URIs); pictures are left out if absent.
        vectors: ``{"map": path, "grid": path}`` of the SVG copies, linked under each picture.
    """
    images = images or {}
    vectors = vectors or {}

    def t(msg: Msg) -> str:
        return catalogs.render(msg, locale)

    heading = t(Msg("report.heading", {"title": Literal(m.workshop.title)}))
    parts = [f"# {markdown_text(heading)}", ""]
    sections = report_sections(m, catalogs, locale)
    for section in sections:
        if section.title:
            parts += [f"## {markdown_text(section.title)}", ""]
        for line in section.lines:
            prefix = "> " if section.key == "digest.quotes" else ""
            # Two trailing spaces: a hard line break, so each digest line stays a line.
            parts.append(f"{prefix}{markdown_text(line)}  ")
        parts.append("")
    for name, describe in (("map", map_text), ("grid", grid_text)):
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
        ("report.domains", DOMAIN_COLUMNS, domain_rows(m, catalogs, locale)),
        ("report.stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows(m, catalogs, locale)),
    ):
        parts += [
            f"## {markdown_text(t(Msg(heading)))}",
            "",
            _row(headers(columns, catalogs, locale)),
        ]
        parts.append("|" + "---|" * len(columns))
        parts.extend(_row(row) for row in rows)
        parts.append("")
    return "\n".join(parts)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(markdown_cell(c) for c in cells) + " |"
