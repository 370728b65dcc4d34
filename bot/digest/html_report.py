"""The workshop report as one self-contained HTML file: pictures inline, no scripts.

A report in a right-to-left locale (Arabic) is marked ``dir="rtl"``: the browser lays
the page out from the right, and the style sheet names sides logically (``start``,
``inline-start``), so tables, lists and quotes mirror with it while numbers keep
reading left to right.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from bot.digest.html_sections import REPORT_CSS, report_body
from bot.digest.metrics import DigestMetrics
from bot.digest.web_fonts import font_face_css
from bot.escape import html_text
from flows.catalog import Catalogs
from flows.direction import is_rtl
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


def render_html(
    m: DigestMetrics,
    catalogs: Catalogs,
    *,
    locale: str = "en",
    map_png: bytes | None = None,
    grid_png: bytes | None = None,
    svg_links: Mapping[str, str] | None = None,
    generated: datetime | None = None,
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
        generated: When the report was made (the method note shows it in the workshop's timezone).
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
        f"<style>{REPORT_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{heading}</h1>",
        f"<p>{t(Msg('report.generated'))}</p>",
    ]
    out += report_body(
        m,
        catalogs,
        locale,
        pictures={"map": map_png, "grid": grid_png},
        svg_links=links,
        generated=generated,
    )
    out += ["</body>", "</html>", ""]
    html = "\n".join(out)
    # Fonts last: the subset holds exactly the characters the finished page shows.
    return html.replace(
        f"<style>{_STYLE}</style>", f"<style>{font_face_css(html)}{_STYLE}</style>", 1
    )
