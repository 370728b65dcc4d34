"""The report's tables as rows of plain strings (each report escapes them for its format)."""

from __future__ import annotations

from bot.digest.findings import NEED_KEY
from bot.digest.metrics import DigestMetrics
from bot.digest.summary import ranked_themes
from flows.catalog import Catalogs
from flows.locale_format import format_number
from flows.text import Literal, Msg

#: Column ids of the stakeholder table (headers are ``report.col.<id>`` in the catalogs).
STAKEHOLDER_COLUMNS = (
    "stakeholder",
    "scenario",
    "quadrant",
    "power",
    "interest",
    "salience",
    "named",
    "relations",
)
DOMAIN_COLUMNS = ("rank", "domain", "gap", "needs", "importance", "satisfaction")
THEME_COLUMNS = ("domain", "theme", "needs", "requirements", "gap")
STORY_COLUMNS = ("scenario", "domain", "theme", "story", "moscow", "acceptance")


def headers(columns: tuple[str, ...], catalogs: Catalogs, locale: str) -> list[str]:
    """Localised column headers."""
    return [catalogs.render(Msg(f"report.col.{c}"), locale) for c in columns]


def scenario_title(m: DigestMetrics, code: str, locale: str) -> str:
    """A scenario's title in ``locale`` (English, then its code, only when it has no title)."""
    title = m.scenario_titles.get(code, {})
    return title.get(locale) or title.get("en") or next(iter(title.values()), code)


def _mean(value: float | None, locale: str) -> str:
    return "" if value is None else format_number(value, locale, 1)


def stakeholder_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every merged stakeholder: name, scenario, quadrant, power, interest, salience, counts."""
    return [
        [
            sh.name,
            scenario_title(m, sh.scenario, locale),
            catalogs.render(Msg(f"quadrant.{sh.quadrant}"), locale),
            _mean(sh.power, locale),
            _mean(sh.interest, locale),
            catalogs.render(Msg(f"salience.{sh.salience}"), locale),
            format_number(sh.mentions, locale),
            format_number(sh.degree, locale),
        ]
        for sh in m.stakeholders
    ]


def domain_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every rated domain, ranked: mean gap score, needs, mean importance and satisfaction."""
    return [
        [
            format_number(rank, locale),
            catalogs.render(Msg(f"domain.{g.code}"), locale),
            format_number(g.gap, locale, 1),
            format_number(g.needs, locale),
            _mean(g.importance, locale),
            _mean(g.satisfaction, locale),
        ]
        for rank, g in enumerate(m.domain_gaps, start=1)
    ]


def theme_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every theme, need themes first: domain, key words, needs, requirements, mean gap."""
    if m.findings is None:
        return []
    rows = []
    for theme in ranked_themes(m.findings.themes):
        needs = sum(1 for k in theme.member_keys if k.startswith(f"{NEED_KEY}:"))
        rows.append(
            [
                catalogs.render(Msg(f"domain.{theme.domain}"), locale),
                theme.label(locale) if theme.labels else "",
                format_number(needs, locale),
                format_number(theme.size - needs, locale),
                _mean(theme.mean_gap, locale),
            ]
        )
    return rows


def story_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every user story under its scenario, with its domain, theme and acceptance criterion."""
    findings = m.findings
    themes = findings.run.by_id() if findings is not None else {}
    rows = []
    for story in m.stories:
        scenario = scenario_title(m, story.scenario, locale)
        theme_id = findings.theme_of_requirement(story.id) if findings is not None else None
        theme = themes[theme_id].label(locale) if theme_id in themes else ""
        domain = catalogs.render(Msg(f"domain.{story.domain}"), locale) if story.domain else ""
        text = catalogs.render(
            Msg(
                "report.story",
                {
                    "module": Literal(story.module),
                    "as_a": Literal(story.as_a),
                    "i_want": Literal(story.i_want),
                    "so_that": Literal(story.so_that or "–"),
                },
            ),
            locale,
        )
        moscow = (
            catalogs.render(Msg(f"moscow.{story.moscow.value}"), locale) if story.moscow else ""
        )
        rows.append([scenario, domain, theme, text, moscow, story.acceptance or ""])
    return rows
