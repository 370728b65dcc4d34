"""The workshop report as one self-contained HTML file: pictures inline, no scripts.

A report in a right-to-left locale (Arabic) is marked ``dir="rtl"``: the browser lays
the page out from the right, and the style sheet names sides logically (``start``,
``inline-start``), so tables, lists and quotes mirror with it while numbers keep
reading left to right.
"""

from __future__ import annotations

import base64
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
from bot.digest.web_fonts import font_face_css
from bot.escape import html_text
from flows.catalog import Catalogs
from flows.direction import RLM, is_rtl
from flows.text import Literal, Msg

#: Nothing may load or run: images only from inline data, no scripts at all.
_CSP = "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'"
_STYLE = """
body{font-family:"CityNeeds CJK","CityNeeds Arabic",system-ui,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;line-height:1.5;color:#111}
img{max-width:100%;height:auto;border:1px solid #ccc}
table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;padding:.25rem .5rem;
text-align:start;vertical-align:top}
blockquote{border-inline-start:4px solid #555;margin:0 0 .5rem;padding-inline-start:1rem}
td,blockquote,li{overflow-wrap:anywhere}
li.quote{list-style:none;border-inline-start:4px solid #555;padding-inline-start:.75rem;
font-style:italic}
figure{width:min(1400px,96vw);margin:1rem calc(50% - min(700px,48vw))}
figure img{display:block;margin:0 auto}
@media print{body{max-width:none;margin:0;font-size:11pt;color:#000}
figure{width:auto;margin:1rem 0;break-inside:avoid}
section{break-inside:avoid-page}h2{break-after:avoid}img{border:none;max-height:24cm}
table{font-size:9pt}a{color:#000;text-decoration:none}p.svg a::after{content:" (" attr(href) ")"}}
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html_text(alt)}">'


def render_html(
    m: DigestMetrics,
    catalogs: Catalogs,
    *,
    locale: str = "en",
    map_png: bytes | None = None,
    grid_png: bytes | None = None,
    svg_links: Mapping[str, str] | None = None,
) -> str:
    """The report as HTML with the PNGs embedded as data URIs; all text is escaped.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs.
        locale: Language of the report.
        map_png: The map, shown inline.
        grid_png: The grid, shown inline.
        svg_links: ``{"map": file, "grid": file}``: SVG copies written beside the
            report, linked under each picture (relative names).
    """
    links = svg_links or {}

    def t(msg: Msg) -> str:
        return html_text(catalogs.render(msg, locale))

    heading = t(Msg("report.heading", {"title": Literal(m.workshop.title)}))
    direction = ' dir="rtl"' if is_rtl(locale) else ""
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{html_text(locale)}"{direction}>',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{heading}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
        f"<p>{t(Msg('report.generated'))}</p>",
    ]
    for section in report_sections(m, catalogs, locale):
        out.append("<section>")
        if section.title:
            out.append(f"<h2>{html_text(section.title)}</h2>")
        if section.key == "digest.quotes":
            out.extend(f"<blockquote>{html_text(line)}</blockquote>" for line in section.lines)
        else:
            out.append("<ul>")
            out.extend(_item(line) for line in section.lines)
            out.append("</ul>")
        out.append("</section>")
    for name, png, alt, describe in (
        ("map", map_png, "report.map_alt", map_text),
        ("grid", grid_png, "report.grid_alt", grid_text),
    ):
        out += ['<section class="picture">', f"<h2>{t(Msg(f'report.{name}'))}</h2>"]
        if png:
            out.append(f"<figure>{_img(png, catalogs.render(Msg(alt), locale))}</figure>")
        if name in links:
            target = html_text(links[name])
            text = t(Msg("report.svg_link", {"file": Literal(links[name])}))
            out.append(f'<p class="svg"><a href="{target}">{text}</a></p>')
        lines = describe(m)
        out.append(f'<p class="words">{t(lines[0])}</p>')
        out.append('<ul class="words">')
        out.extend(f"<li>{_unbulleted(t(line))}</li>" for line in lines[1:])
        out += ["</ul>", "</section>"]
    for heading, columns, rows in (
        ("report.actors", ACTOR_COLUMNS, actor_rows(m, catalogs, locale, sep="\n")),
        ("report.stories", STORY_COLUMNS, story_rows(m, catalogs, locale)),
        ("report.domains", DOMAIN_COLUMNS, domain_rows(m, catalogs, locale)),
        ("report.stakeholders", STAKEHOLDER_COLUMNS, stakeholder_rows(m, catalogs, locale)),
    ):
        out += ["<section>", f"<h2>{t(Msg(heading))}</h2>", "<table>"]
        out.append(
            "<tr>"
            + "".join(
                f'<th scope="col">{html_text(h)}</th>' for h in headers(columns, catalogs, locale)
            )
            + "</tr>"
        )
        out.extend("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
        out += ["</table>", "</section>"]
    out += ["</body>", "</html>", ""]
    html = "\n".join(out)
    # Fonts last: the subset holds exactly the characters the finished page shows.
    return html.replace(
        f"<style>{_STYLE}</style>", f"<style>{font_face_css(html)}{_STYLE}</style>", 1
    )


def _cell(text: str) -> str:
    """A table cell; a line break separates items (an actor's scenarios)."""
    return "<br>".join(html_text(part) for part in text.split("\n"))


def _item(line: str) -> str:
    """A digest line as a list item; indented verbatim quotes are marked as quotes."""
    bare = line.lstrip(RLM)  # a right-to-left line starts with its direction mark
    if bare.startswith("    “"):
        return f'<li class="quote">{html_text(bare.strip())}</li>'
    return f"<li>{html_text(_unbulleted(bare))}</li>"


def _unbulleted(line: str) -> str:
    """A text line without its bullet (``<li>`` draws one); its direction mark may lead."""
    return line.lstrip(RLM).lstrip("• ")
