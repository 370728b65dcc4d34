"""The report's tables as rows of plain strings (each report escapes them for its format)."""

from __future__ import annotations

from bot.digest.metrics import DigestMetrics
from flows.catalog import Catalogs
from flows.text import Literal, Localized, Msg

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
DOMAIN_COLUMNS = ("domain", "gap", "needs")
STORY_COLUMNS = ("scenario", "domain", "theme", "story", "moscow", "acceptance")


def headers(columns: tuple[str, ...], catalogs: Catalogs, locale: str) -> list[str]:
    """Localised column headers."""
    return [catalogs.render(Msg(f"report.col.{c}"), locale) for c in columns]


def stakeholder_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every merged stakeholder: name, scenario, quadrant, power, interest, salience, counts."""
    return [
        [
            sh.name,
            catalogs.render(Localized(m.scenario_titles[sh.scenario]), locale)
            if m.scenario_titles.get(sh.scenario)
            else sh.scenario,
            catalogs.render(Msg(f"quadrant.{sh.quadrant}"), locale),
            "" if sh.power is None else f"{sh.power:.1f}",
            "" if sh.interest is None else f"{sh.interest:.1f}",
            catalogs.render(Msg(f"salience.{sh.salience}"), locale),
            str(sh.mentions),
            str(sh.degree),
        ]
        for sh in m.stakeholders
    ]


def domain_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every rated domain with its mean gap score and number of needs."""
    return [
        [catalogs.render(Msg(f"domain.{g.code}"), locale), f"{g.gap:.1f}", str(g.needs)]
        for g in m.domain_gaps
    ]


def story_rows(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[list[str]]:
    """Every user story under its scenario, with its domain, theme and acceptance criterion."""
    findings = m.findings
    themes = findings.run.by_id() if findings is not None else {}
    rows = []
    for story in m.stories:
        title = m.scenario_titles.get(story.scenario, {})
        scenario = title.get(locale) or title.get("en") or story.scenario
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
