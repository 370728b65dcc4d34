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
from flows.text import Literal, Msg

#: The report's own layout, after the page's base style; ``@media print`` is for paper.
REPORT_CSS = """
nav.toc ol{columns:2;padding-left:1.5rem}nav.toc a{color:inherit}
section.exec{border:2px solid #333;padding:.25rem 1.25rem 1rem;margin:1.5rem 0;background:#f6f6f6}
.block{margin:.75rem 0 1rem}.block p{margin:.15rem 0}p.title{font-weight:600;margin-top:.5rem}
.block blockquote{font-style:italic}p.note{font-style:italic;color:#333}
th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}
footer{margin-top:2rem;border-top:1px solid #999;font-size:.9em;color:#333}
@page{size:A4;margin:18mm 16mm 20mm}
@media print{nav.toc ol{columns:1}section{break-inside:auto}section.exec{background:none}
h2,h3,p.title{break-after:avoid}.block,figure,tr,blockquote,section.exec{break-inside:avoid}
table.small{break-inside:avoid}thead{display:table-header-group}
section.picture,section.exec{break-before:page}}
"""
#: Tables up to this many rows are kept on one page when printed.
_SMALL_TABLE = 15
#: Where a heading's explanation or numbers start ("Top domains (importance × …)", "…: Must 14").
_CUT = re.compile(r" \(|（|: |：")
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
        html.append(f'<p class="words">{t(lines[0])}</p>')
        html.append('<ul class="words">')
        html.extend(f"<li>{t(line).lstrip('• ')}</li>" for line in lines[1:])
        html.append("</ul>")
        parts.append(_Part(name, t(Msg(f"report.{name}")), html))
    for key, columns, rows in (
        ("report.actors", ACTOR_COLUMNS, actor_rows(m, catalogs, locale, sep="\n")),
        ("report.stories", STORY_COLUMNS, story_rows(m, catalogs, locale)),
        ("report.stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows(m, catalogs, locale)),
        ("report.all_themes", THEME_COLUMNS, theme_rows(m, catalogs, locale)),
    ):
        if rows:
            html = _table(headers(columns, catalogs, locale), rows)
            parts.append(_Part(key.removeprefix("report."), t(Msg(key)), html))
    out = ['<section class="toc">', f"<h2>{t(Msg('report.toc'))}</h2>", '<nav class="toc"><ol>']
    out += [f'<li><a href="#{p.anchor}">{_short(p.title)}</a></li>' for p in parts if p.title]
    out += ["</ol></nav>", "</section>"]
    for part in parts:
        css = ' class="picture"' if part.anchor in ("map", "grid") else ""
        css = ' class="exec"' if part.anchor == "s0" else css
        out.append(f'<section id="{part.anchor}"{css}>')
        if part.title:
            out.append(f"<h2>{part.title}</h2>")
        out += [*part.html, "</section>"]
    out += ["<footer>", f"<h2>{t(Msg('report.method_heading'))}</h2>"]
    out += [f"<p>{t(line)}</p>" for line in method_lines(m, generated)]
    out.append("</footer>")
    return out


def _short(title: str) -> str:
    """A heading for the contents: without its explanation in brackets or its numbers."""
    return _CUT.split(title, maxsplit=1)[0].strip()


def _section(
    anchor: str, section: ReportSection, m: DigestMetrics, catalogs: Catalogs, locale: str
) -> _Part:
    html: list[str] = []
    if section.key == "digest.domains":
        html += _table(headers(DOMAIN_COLUMNS, catalogs, locale), domain_rows(m, catalogs, locale))
    html += _lines(section.lines)
    return _Part(anchor, html_text(section.title), html)


def _lines(lines: tuple[ReportLine, ...]) -> list[str]:
    """Items as a list; a title opens a block (a theme, a need) that holds its quotes."""
    out: list[str] = []
    open_tag = ""

    def switch(tag: str) -> None:
        nonlocal open_tag
        if open_tag != tag:
            if open_tag:
                out.append(f"</{open_tag}>")
            if tag:
                out.append('<div class="block">' if tag == "div" else f"<{tag}>")
            open_tag = tag

    previous = LineKind.ITEM
    for line in lines:
        text = html_text(line.text.strip().lstrip("• "))
        if line.kind is LineKind.TITLE:
            switch("")
            switch("div")
            out.append(f'<p class="title">{text}</p>')
        elif line.kind is LineKind.QUOTE:
            if open_tag != "div":
                switch("div")
            out.append(f"<blockquote>{text}</blockquote>")
        elif line.kind is LineKind.NOTE:
            switch("")
            out.append(f'<p class="note">{text}</p>')
        elif open_tag == "div" and previous is LineKind.TITLE:
            out.append(f"<p>{text}</p>")
        else:
            switch("ul")
            out.append(f"<li>{text}</li>")
        previous = line.kind
    switch("")
    return out


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
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
    return out


def _cell(text: str) -> str:
    """A table cell; a line break separates items (an actor's scenarios)."""
    return "<br>".join(html_text(part) for part in text.split("\n"))


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html_text(alt)}">'
