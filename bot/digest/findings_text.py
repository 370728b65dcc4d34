"""The synthesis as digest lines: themes with verbatim quotes, group comparison, coverage."""

from __future__ import annotations

from bot.digest.findings import Findings
from bot.synthesis.compare import Comparison, Scope
from bot.synthesis.types import Theme
from flows.text import Listing, Literal, Localized, Msg, Number, Param

#: Themes a digest lists, and quotes under each.
TOP_THEMES = 8
QUOTES_PER_THEME = 2
#: Comparisons listed under "common ground" and "where groups differ".
TOP_COMPARISONS = 3
#: Coverage findings of each kind listed before "and N more".
TOP_COVERAGE = 5


def _label(theme: Theme) -> Param:
    return Localized(dict(theme.labels)) if theme.labels else Literal(theme.id)


def _groups(theme: Theme) -> Param:
    if not theme.groups:
        return Msg("digest.theme_groups_unknown")
    return Listing(
        tuple(
            Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": n})
            for g, n in theme.groups
        )
    )


def theme_lines(f: Findings) -> list[Msg]:
    """The largest themes across domains, each with two verbatim quotes.

    No theme ids (citizens read the digest; moderators get them from
    :func:`theme_id_lines`), and no gap for a theme of requirements only.
    """
    if not f.themes:
        return []
    ranked = sorted(f.themes, key=lambda t: (-t.size, -(t.mean_gap or 0.0), t.id))
    lines: list[Msg] = [Msg("digest.themes")]
    for theme in ranked[:TOP_THEMES]:
        key = "digest.theme_line" if theme.mean_gap is not None else "digest.theme_line_req"
        lines.append(
            Msg(
                key,
                {
                    "domain": Msg(f"domain.{theme.domain}"),
                    "label": _label(theme),
                    "size": Msg("count.contributions", {"count": theme.size}),
                    "groups": _groups(theme),
                    "gap": "–" if theme.mean_gap is None else Number(theme.mean_gap, 1),
                    "id": theme.id,
                },
            )
        )
        if theme.new_keys and f.compared_with_previous:
            lines.append(Msg("digest.theme_new", {"count": len(theme.new_keys)}))
        for quote in theme.quotes[:QUOTES_PER_THEME]:
            lines.append(Msg("digest.theme_quote", {"text": Literal(quote.text)}))
    hidden = len(ranked) - TOP_THEMES
    if hidden > 0:
        lines.append(Msg("digest.themes_more", {"count": hidden}))
    return lines


def _what(c: Comparison, themes: dict[str, Theme]) -> Param:
    if c.scope == Scope.THEME and c.key in themes:
        return Msg(
            "digest.theme_in_domain",
            {"label": _label(themes[c.key]), "domain": Msg(f"domain.{c.domain}")},
        )
    return Msg(f"domain.{c.domain}")


def _gaps(c: Comparison) -> Param:
    return Listing(
        tuple(
            Msg(
                "digest.group_gap",
                {"group": Msg(f"helix.{g.helix}"), "gap": Number(g.mean_gap, 1), "count": g.count},
            )
            for g in c.groups
            if g.helix in c.compared
        )
    )


def group_lines(f: Findings) -> list[Msg]:
    """Common ground and the largest differences between the helix groups, with counts."""
    cmp = f.comparison
    lines: list[Msg] = [Msg("digest.groups_heading", {"min": cmp.min_answers})]
    themes = f.run.by_id()
    if not cmp.common_ground and not cmp.differ:
        lines.append(Msg("digest.groups_none"))
        return lines
    for c in cmp.common_ground[:TOP_COMPARISONS]:
        lines.append(Msg("digest.common_line", {"what": _what(c, themes), "groups": _gaps(c)}))
    for c in cmp.differ[:TOP_COMPARISONS]:
        spread: Param = "–" if c.spread is None else Number(c.spread, 1)
        lines.append(
            Msg(
                "digest.differ_line",
                {"what": _what(c, themes), "groups": _gaps(c), "spread": spread},
            )
        )
    return lines


def coverage_lines(f: Findings, scenario_titles: dict[str, dict[str, str]]) -> list[Msg]:
    """Saturation per tier, and what the later tiers have not covered yet."""

    def scenario(code: str) -> Param:
        title = scenario_titles.get(code)
        return Localized(title) if title else Literal(code)

    lines: list[Msg] = [Msg("digest.coverage")]
    for tier in f.saturation:
        if tier.saturated:
            lines.append(
                Msg(
                    "digest.saturated",
                    {
                        "tier": Msg(f"tier.{tier.tier}"),
                        "window": Msg("count.texts", {"count": tier.long_window}),
                    },
                )
            )
        else:
            lines.append(
                Msg(
                    "digest.saturation_line",
                    {
                        "tier": Msg(f"tier.{tier.tier}"),
                        "window": Msg("count.texts", {"count": min(tier.long_window, tier.texts)}),
                        "new": Msg("count.new_themes", {"count": tier.new_in_long}),
                        "texts": Msg("count.texts", {"count": tier.texts}),
                        "themes": Msg("count.themes", {"count": tier.themes}),
                    },
                )
            )
    for row in f.uncovered[:TOP_COVERAGE]:
        key = (
            "digest.uncovered_scenario" if not row.has_scenario else "digest.uncovered_requirement"
        )
        lines.append(Msg(key, {"domain": Msg(f"domain.{row.domain}"), "rank": row.rank}))
    for missing in f.missing_roles[:TOP_COVERAGE]:
        roles = Listing(tuple(Msg(f"role.{r}") for r in missing.missing))
        lines.append(
            Msg("digest.missing_roles", {"scenario": scenario(missing.scenario), "roles": roles})
        )
    if len(f.missing_roles) > TOP_COVERAGE:
        lines.append(Msg("digest.coverage_more", {"count": len(f.missing_roles) - TOP_COVERAGE}))
    quiet = [v for v in f.not_heard if v.not_heard]
    # The scenarios missing the most groups first: where the picture is most one-sided.
    quiet.sort(key=lambda v: (-len(v.not_heard), v.scenario))
    for voices in quiet[:TOP_COVERAGE]:
        groups = Listing(tuple(Msg(f"helix.{g}") for g in voices.not_heard))
        lines.append(
            Msg("digest.not_heard", {"scenario": scenario(voices.scenario), "groups": groups})
        )
    if len(quiet) > TOP_COVERAGE:
        lines.append(Msg("digest.coverage_more", {"count": len(quiet) - TOP_COVERAGE}))
    return lines


def theme_id_lines(f: Findings) -> list[Msg]:
    """For the moderators' draft only: the listed themes' ids, for ``!theme rename``/``move``."""
    ranked = sorted(f.themes, key=lambda t: (-t.size, -(t.mean_gap or 0.0), t.id))
    if not ranked:
        return []
    return [Msg("digest.theme_ids")] + [
        Msg(
            "digest.theme_id_line",
            {"id": t.id, "domain": Msg(f"domain.{t.domain}"), "label": _label(t)},
        )
        for t in ranked[:TOP_THEMES]
    ]


def findings_lines(f: Findings, scenario_titles: dict[str, dict[str, str]]) -> list[Msg]:
    """Every synthesis line a digest shows, in reading order."""
    return [*theme_lines(f), *group_lines(f), *coverage_lines(f, scenario_titles)]
