"""The workshop report as Markdown: digest, both pictures with their text equivalents, tables."""

from __future__ import annotations

from collections.abc import Mapping

from bot.digest.grid import grid_text
from bot.digest.metrics import DigestMetrics
from bot.digest.picture import map_text
from bot.digest.sections import digest_sections
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
from flows.text import Msg


def render_markdown(
    m: DigestMetrics,
    catalogs: Catalogs,
    *,
    locale: str = "en",
    images: Mapping[str, str] | None = None,
) -> str:
    """The report as Markdown; every participant's text is escaped, quotes are block quotes.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs.
        locale: Language of the report.
        images: ``{"map": path, "grid": path}`` of the PNGs to reference (relative
            paths next to the report, or ``data:`` URIs); pictures are left out if absent.
    """
    images = images or {}

    def t(msg: Msg) -> str:
        return catalogs.render(msg, locale)

    title = markdown_text(m.workshop.title)
    parts = [f"# {markdown_text(t(Msg('report.title')))}: {title}", ""]
    sections = digest_sections(m, catalogs, locale)
    for section in sections:
        if section.title:
            parts += [f"## {markdown_text(section.title)}", ""]
        for line in section.lines:
            prefix = "> " if section.key == "digest.quotes" else ""
            # Two trailing spaces: a hard line break, so each digest line stays a line.
            parts.append(f"{prefix}{markdown_text(line)}  ")
        parts.append("")
    alt_map = markdown_text(t(Msg("report.map_alt")))
    parts += [f"## {markdown_text(t(Msg('report.map')))}", ""]
    if "map" in images:
        parts += [f"![{alt_map}]({images['map']})", ""]
    parts += [f"{markdown_text(t(line))}  " for line in map_text(m)] + [""]
    parts += [f"## {markdown_text(t(Msg('report.grid')))}", ""]
    if "grid" in images:
        parts += [f"![{markdown_text(t(Msg('report.grid_alt')))}]({images['grid']})", ""]
    parts += [f"{markdown_text(t(line))}  " for line in grid_text(m)] + [""]
    for heading, columns, rows in (
        (
            "report.stakeholders",
            STAKEHOLDER_COLUMNS,
            stakeholder_rows(m, catalogs, locale),
        ),
        ("report.domains", DOMAIN_COLUMNS, domain_rows(m, catalogs, locale)),
        ("report.stories", STORY_COLUMNS, story_rows(m, catalogs, locale)),
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
