"""The digest's sections as a report shows them: every theme, no internal codes.

A digest is short by design ("…and 13 smaller themes (see the report)", theme ids for
moderators' commands). The report is where a council reads everything, so here the
theme list is complete, each theme with up to :data:`QUOTES_PER_THEME` verbatim quotes
and without its id, "see the report" pointers are gone, and headings carry no
trailing colon.
"""

from __future__ import annotations

from bot.digest.findings import Findings
from bot.digest.metrics import DigestMetrics
from bot.digest.sections import Section, digest_sections
from bot.digest.text import digest_lines
from flows.catalog import Catalogs
from flows.text import Listing, Literal, Localized, Msg, Param

QUOTES_PER_THEME = 3
#: Digest lines that point at the report, or only make sense in chat.
_DROPPED = frozenset({"digest.themes_more", "digest.theme_new"})


def report_sections(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[Section]:
    """The digest's sections with the report's changes (see the module docstring)."""
    heading_ids = {s.key for s in digest_sections(m, catalogs, locale)} - {"digest.title"}
    sections: list[Section] = []
    title, key = catalogs.render(Msg("report.summary"), locale), "report.summary"
    lines: list[str] = []
    for msg in _report_lines(m):
        if msg.id == "digest.title":
            continue
        text = catalogs.render(msg, locale)
        if msg.id in heading_ids:
            if lines or key != "report.summary":  # some headings carry their numbers
                sections.append(Section(title, tuple(lines), key))
            title, key, lines = text.rstrip(":：").strip(), msg.id, []
            continue
        lines.append(text)
    if lines or key != "report.summary":
        sections.append(Section(title, tuple(lines), key))
    return sections


def _report_lines(m: DigestMetrics) -> list[Msg]:
    out: list[Msg] = []
    in_themes = False
    for msg in digest_lines(m):
        if not isinstance(msg, Msg):
            continue
        if msg.id == "digest.themes" and m.findings is not None:
            out.append(msg)
            out.extend(_all_themes(m.findings))
            in_themes = True
            continue
        if in_themes and msg.id in ("digest.theme_line", "digest.theme_quote", *_DROPPED):
            continue
        in_themes = False
        if msg.id in _DROPPED:
            continue
        if msg.id == "digest.coverage_more":
            out.append(Msg("report.coverage_more", dict(msg.params)))
            continue
        out.append(msg)
    return out


def _label(labels: tuple[tuple[str, str], ...], fallback: str) -> Param:
    return Localized(dict(labels)) if labels else Literal(fallback)


def _all_themes(f: Findings) -> list[Msg]:
    """Every theme, largest first, with its groups, mean gap and quotes."""
    lines: list[Msg] = []
    ranked = sorted(f.themes, key=lambda t: (-t.size, -(t.mean_gap or 0.0), t.id))
    for theme in ranked:
        groups: Param = (
            Listing(
                tuple(
                    Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": n})
                    for g, n in theme.groups
                )
            )
            if theme.groups
            else Msg("digest.theme_groups_unknown")
        )
        lines.append(
            Msg(
                "report.theme_line",
                {
                    "domain": Msg(f"domain.{theme.domain}"),
                    "label": _label(theme.labels, theme.domain),
                    "size": theme.size,
                    "groups": groups,
                    "gap": "–" if theme.mean_gap is None else f"{theme.mean_gap:.1f}",
                },
            )
        )
        for quote in theme.quotes[:QUOTES_PER_THEME]:
            lines.append(Msg("digest.theme_quote", {"text": Literal(quote.text)}))
    return lines
