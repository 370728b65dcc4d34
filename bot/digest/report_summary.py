"""The report's own lines: the council summary, the need themes, the map in words, the method.

The numbers and choices come from :mod:`bot.digest.summary`; this module only words
them as catalog messages, so every report language reads the same.
"""

from __future__ import annotations

from datetime import datetime

from bot.digest.metrics import DigestMetrics
from bot.digest.picture import map_text, scenario_ref
from bot.digest.summary import answered_scenarios, council_summary, report_themes
from bot.synthesis.types import Theme
from flows.kinds import Origin
from flows.text import Listing, Literal, Localized, Moment, Msg, Number, Param

_ORIGIN_KEYS = {
    Origin.CHAT: "report.origin.chat",
    Origin.ASSISTED: "report.origin.assisted",
    Origin.IMPORT: "report.origin.import",
}


def _groups(pairs: tuple[tuple[str, int], ...]) -> Param:
    if not pairs:
        return Msg("digest.theme_groups_unknown")
    return Listing(
        tuple(
            Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": Number(n)})
            for g, n in pairs
        )
    )


def summary_lines(m: DigestMetrics, locale: str = "en") -> list[Msg]:
    """The summary a council member reads in half a minute, all from the data."""
    s = council_summary(m, locale)
    lines = [
        Msg(
            "report.exec_people",
            {
                "people": Msg("count.people", {"count": s.participants}),
                "groups": _groups(tuple((g.value, n) for g, n in s.by_helix)),
            },
        )
    ]
    if s.by_origin:
        origins = tuple(Msg(_ORIGIN_KEYS[o], {"count": Number(n)}) for o, n in s.by_origin)
        lines.append(Msg("report.exec_origins", {"origins": Listing(origins)}))
    if s.missing_groups:
        groups = Listing(tuple(Msg(f"helix.{g.value}") for g in s.missing_groups))
        lines.append(Msg("digest.missing", {"groups": groups}))
    else:
        lines.append(Msg("digest.missing_none"))
    if s.top_needs:
        lines.append(Msg("report.exec_needs"))
    for rank, need in enumerate(s.top_needs, start=1):
        lines.append(
            Msg(
                "report.exec_need",
                {
                    "rank": rank,
                    "domain": Msg(f"domain.{need.gap.code}"),
                    "gap": Number(need.gap.gap, 1),
                    "needs": Msg("count.needs", {"count": need.gap.needs}),
                },
            )
        )
        if need.quote:
            lines.append(Msg("report.exec_quote", {"text": Literal(need.quote)}))
    if s.key_players:
        names = Listing(tuple(Literal(n) for n in s.key_players))
        lines.append(Msg("report.exec_players", {"names": names}))
    else:
        lines.append(Msg("report.exec_players_none"))
    lines.append(
        Msg(
            "report.exec_must",
            {
                "must": Number(s.must),
                "requirements": Msg("count.requirements", {"count": s.requirements}),
            },
        )
    )
    if s.uncovered:
        domains = Listing(tuple(Msg(f"domain.{d}") for d in s.uncovered))
        lines.append(Msg("report.exec_uncovered", {"domains": domains}))
    return lines


def theme_label(theme: Theme) -> Param:
    """A theme's key words in every locale it has (its domain's name when it has none)."""
    return Localized(dict(theme.labels)) if theme.labels else Msg(f"domain.{theme.domain}")


def theme_lines(m: DigestMetrics) -> list[Msg]:
    """The largest need themes with their gap and quotes, then what the table holds."""
    chosen = report_themes(m)
    lines: list[Msg] = []
    for shown in chosen.shown:
        theme = shown.theme
        lines.append(
            Msg(
                "report.theme_title",
                {"domain": Msg(f"domain.{theme.domain}"), "label": theme_label(theme)},
            )
        )
        facts = "report.theme_facts_req" if shown.requirements else "report.theme_facts"
        gap: Param = "–" if theme.mean_gap is None else Number(theme.mean_gap, 1)
        lines.append(
            Msg(
                facts,
                {
                    "needs": Msg("count.needs", {"count": shown.needs}),
                    "requirements": Msg("count.requirements", {"count": shown.requirements}),
                    "gap": gap,
                    "groups": _groups(theme.groups),
                },
            )
        )
        lines.extend(Msg("digest.theme_quote", {"text": Literal(q.text)}) for q in shown.quotes)
    if chosen.more:
        lines.append(Msg("report.themes_more", {"count": chosen.more}))
    if chosen.requirements_only:
        lines.append(Msg("report.themes_requirements", {"count": chosen.requirements_only}))
    return lines


def map_words(m: DigestMetrics) -> list[Msg]:
    """The map in words, without the scenarios nobody chose (one line counts them)."""
    answered = answered_scenarios(m)
    unchosen = [scenario_ref(m, c) for c in m.scenario_titles if c not in answered]
    lines = [
        line
        for line in map_text(m)
        if not (line.id == "picture.map_scenario" and line.params.get("scenario") in unchosen)
    ]
    if unchosen:
        count = Msg("count.scenarios", {"count": len(unchosen)})
        lines.append(Msg("report.scenarios_unchosen", {"scenarios": count}))
    return lines


def method_lines(m: DigestMetrics, generated: datetime | None) -> list[Msg]:
    """How the report was made, and when (in the workshop's timezone)."""
    lines = [Msg("report.method")]
    if generated is not None:
        lines.append(
            Msg(
                "report.generated_at",
                {
                    "moment": Moment(generated, m.workshop.timezone),
                    "timezone": Literal(m.workshop.timezone),
                },
            )
        )
    return lines
