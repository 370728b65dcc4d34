"""The HTML report's body: contents, summary, sections, pictures, tables and the method note.

Laid out for print as much as for the screen: A4 pages, no page break inside a table
row, a theme or a picture, and no heading left alone at the foot of a page.
:mod:`bot.digest.html_report` wraps it in the page (language, fonts, head).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot.digest.actor_table import ACTOR_COLUMNS, actor_rows
from bot.digest.grid import grid_text
from bot.digest.metrics import DigestMetrics
from bot.digest.report_sections import LineKind, ReportLine, ReportSection, report_sections
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
from bot.escape import html_text
from flows.catalog import Catalogs
from flows.direction import RLM
from flows.text import Literal, Msg

#: The report's own layout, after the page's base style; ``@media print`` is for paper.
REPORT_CSS = """
nav.toc ol{columns:2;padding-left:1.5rem}nav.toc a{color:inherit}
section.exec{border:2px solid #333;padding:.25rem 1.25rem 1rem;margin:1.5rem 0;background:#f6f6f6}
.block{margin:.75rem 0 1rem}.block p{margin:.15rem 0}p.title{font-weight:600;margin-top:.5rem}
.block blockquote{font-style:italic}p.note{font-style:italic;color:#333}
ul.numbered{list-style:none;padding-left:1rem}th{background:#eee}td{overflow-wrap:break-word}td.num{text-align:right;font-variant-numeric:tabular-nums}
footer{margin-top:2rem;border-top:1px solid #999;font-size:.9em;color:#333}
@page{size:A4;margin:18mm 16mm 20mm;
@bottom-center{content:counter(page) " / " counter(pages);font-size:9pt;color:#555}}
@media print{nav.toc ol{columns:1}section{break-inside:auto}section.exec{background:none}
h2,h3,p.title{break-after:avoid}.block,figure,tr,blockquote,section.exec{break-inside:avoid}
table.small{break-inside:avoid}thead{display:table-header-group}
section.picture{break-before:page}.keep,h2,h3,section.toc{break-inside:avoid}
td{overflow-wrap:break-word}}
"""
#: Tables up to this many rows are kept on one page when printed.
_SMALL_TABLE = 15
_NUMBER = re.compile(r"^[\d\s.,٫٬،'’−-]+$")


@dataclass(frozen=True)
class _Part:
    """A section of the page: its anchor, its heading and its HTML."""

    anchor: str
    title: str
    html: list[str]


def report_body(
    m: DigestMetrics,
    catalogs: Catalogs,
    locale: str,
    *,
    pictures: Mapping[str, bytes | None],
    svg_links: Mapping[str, str],
    generated: datetime | None,
) -> list[str]:
    """Everything after the page's ``<h1>``, escaped, as HTML lines."""

    def t(msg: Msg) -> str:
        return html_text(catalogs.render(msg, locale))

    parts: list[_Part] = []
    for i, section in enumerate(report_sections(m, catalogs, locale)):
        parts.append(_section(f"s{i}", section, m, catalogs, locale))
    for name, alt, describe in (
        ("map", "report.map_alt", map_words),
        ("grid", "report.grid_alt", grid_text),
    ):
        html: list[str] = []
        png = pictures.get(name)
        if png:
            html.append(f"<figure>{_img(png, catalogs.render(Msg(alt), locale))}</figure>")
        if name in svg_links:
            target = html_text(svg_links[name])
            text = t(Msg("report.svg_link", {"file": Literal(svg_links[name])}))
            html.append(f'<p class="svg"><a href="{target}">{text}</a></p>')
        lines = describe(m)
        items = "".join(f"<li>{unbulleted(t(line))}</li>" for line in lines[1:])
        # The grid's lines carry the numbers drawn in the picture: no bullet besides them.
        css = "words numbered" if name == "grid" else "words"
        html.append(f'<p class="words">{t(lines[0])}</p>\n<ul class="{css}">{items}</ul>')
        parts.append(_Part(name, t(Msg(f"report.{name}")), html))
    for key, columns, rows in (
        ("report.actors", ACTOR_COLUMNS, actor_rows(m, catalogs, locale, sep="\n")),
        ("report.stories", STORY_COLUMNS, story_rows(m, catalogs, locale)),
        ("report.stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows(m, catalogs, locale)),
        ("report.all_themes", THEME_COLUMNS, theme_rows(m, catalogs, locale)),
    ):
        if rows:
            table = _table(headers(columns, catalogs, locale), rows)
            parts.append(_Part(key.removeprefix("report."), t(Msg(key)), [table]))
    toc = ['<section class="toc">', f"<h2>{t(Msg('report.toc'))}</h2>", '<nav class="toc"><ol>']
    toc += [f'<li><a href="#{p.anchor}">{p.title}</a></li>' for p in parts if p.title]
    toc += ["</ol></nav>", "</section>"]
    out: list[str] = []
    for part in parts:
        css = ' class="picture"' if part.anchor in ("map", "grid") else ""
        css = ' class="exec"' if part.anchor == "s0" else css
        out.append(f'<section id="{part.anchor}"{css}>')
        first, rest = part.html[:1], part.html[1:]
        if part.title:  # the heading stays on the page of what follows it
            out.append(f'<div class="keep"><h2>{part.title}</h2>{"".join(first)}</div>')
        else:
            out += first
        out += [*rest, "</section>"]
        if part.anchor == "s0":
            out += toc  # contents after the summary: page one is what the council reads
    out += ["<footer>", f"<h2>{t(Msg('report.method_heading'))}</h2>"]
    out += [f"<p>{t(line)}</p>" for line in method_lines(m, generated)]
    out.append("</footer>")
    return out


def _section(
    anchor: str, section: ReportSection, m: DigestMetrics, catalogs: Catalogs, locale: str
) -> _Part:
    html: list[str] = []
    if section.detail:
        html.append(f'<p class="note">{html_text(section.detail)}</p>')
    if section.key == "digest.domains":
        html.append(
            _table(headers(DOMAIN_COLUMNS, catalogs, locale), domain_rows(m, catalogs, locale))
        )
    html += _blocks(section.lines)
    if section.detail and len(html) > 1:  # the note and the first block stay together
        html[:2] = ["\n".join(html[:2])]
    return _Part(anchor, html_text(section.title), html)


def _blocks(lines: tuple[ReportLine, ...]) -> list[str]:
    """Items as lists; a title opens a block (a theme, a need) that holds its quotes."""
    blocks: list[str] = []
    current: list[str] = []
    kind = ""

    def flush(new: str) -> None:
        nonlocal kind, current
        if current:
            inner = "".join(current)
            blocks.append(
                f'<div class="block">{inner}</div>' if kind == "div" else f"<ul>{inner}</ul>"
            )
        kind, current = new, []

    previous = LineKind.ITEM
    for line in lines:
        text = html_text(unbulleted(line.text.strip()))
        if line.kind is LineKind.TITLE:
            flush("div")
            current.append(f'<p class="title">{text}</p>')
        elif line.kind is LineKind.QUOTE:
            if kind != "div":
                flush("div")
            current.append(f"<blockquote>{text}</blockquote>")
        elif line.kind is LineKind.NOTE:
            flush("")
            blocks.append(f'<p class="note">{text}</p>')
        elif kind == "div" and previous is LineKind.TITLE:
            current.append(f"<p>{text}</p>")
        else:
            if kind != "ul":
                flush("ul")
            current.append(f"<li>{text}</li>")
        previous = line.kind
    flush("")
    return blocks


def _table(head: list[str], rows: list[list[str]]) -> str:
    css = ' class="small"' if len(rows) <= _SMALL_TABLE else ""
    out = [f"<table{css}>", "<thead><tr>"]
    out.append("".join(f'<th scope="col">{html_text(h)}</th>' for h in head))
    out += ["</tr></thead>", "<tbody>"]
    for row in rows:
        cells = "".join(
            f'<td class="num">{html_text(c)}</td>'
            if c and _NUMBER.match(c)
            else f"<td>{_cell(c)}</td>"
            for c in row
        )
        out.append(f"<tr>{cells}</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _cell(text: str) -> str:
    """A table cell; a line break separates items (an actor's scenarios)."""
    return "<br>".join(html_text(part) for part in text.split("\n"))


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html_text(alt)}">'


def unbulleted(line: str) -> str:
    """A text line without its bullet (``<li>`` draws one); its direction mark may lead."""
    return line.lstrip(RLM).lstrip("• ")
