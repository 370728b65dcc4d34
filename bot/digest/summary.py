"""What a council reads first, computed from the metrics: the executive summary and the themes.

Everything here is a number or a choice taken from :class:`DigestMetrics` (and its
findings); the report modules only word it (``report_summary``, ``report_sections``).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.digest.findings import NEED_KEY, REQUIREMENT_KEY
from bot.digest.metrics import DigestMetrics, DomainGap
from bot.synthesis.types import Quote, Theme
from flows.kinds import HelixGroup, Origin
from flows.records import Moscow

#: Needs (domains by gap) the summary names, each with one quote.
SUMMARY_NEEDS = 3
#: Stakeholders of the "manage closely" quadrant the summary names.
SUMMARY_PLAYERS = 5
#: Need themes the report lists with their quotes (the rest are in the table of all themes).
REPORT_THEMES = 8
#: Quotes under each listed theme.
THEME_QUOTES = 2
KEY_PLAYERS = "manage_closely"


@dataclass(frozen=True)
class TopNeed:
    """A domain among the largest gaps, with one participant's words for it."""

    gap: DomainGap
    quote: str | None


@dataclass(frozen=True)
class CouncilSummary:
    """The executive summary of a workshop.

    Attributes:
        participants: Citizens who answered.
        by_helix: Participants per helix group (groups with nobody left out).
        by_origin: Participants per way in (chat, typed in by a volunteer, paper or survey).
        top_needs: The domains with the largest mean gap, largest first.
        key_players: Names of the most-named stakeholders with high power and interest.
        must: Requirements marked Must.
        requirements: All requirements.
        missing_groups: Helix groups nobody answered for.
        uncovered: Top-gap domains with no scenario or no requirement yet.
    """

    participants: int
    by_helix: tuple[tuple[HelixGroup, int], ...]
    by_origin: tuple[tuple[Origin, int], ...]
    top_needs: tuple[TopNeed, ...]
    key_players: tuple[str, ...]
    must: int
    requirements: int
    missing_groups: tuple[HelixGroup, ...]
    uncovered: tuple[str, ...]


def _quote_in(m: DigestMetrics, domain: str, locale: str) -> str | None:
    """A need of ``domain`` in the reader's language, from its largest theme that has one."""
    if m.findings is None:
        return None
    for theme in ranked_themes(tuple(t for t in m.findings.themes if t.domain == domain)):
        for quote in theme.quotes:
            if quote.key.startswith(f"{NEED_KEY}:") and quote.locale == locale:
                return quote.text
    return None


def council_summary(m: DigestMetrics, locale: str = "en") -> CouncilSummary:
    """The executive summary of ``m`` (see :class:`CouncilSummary`).

    Each top need's quote is in ``locale`` when a participant wrote one in it.
    """
    quotes = dict(m.quotes)
    players = [s.name for s in m.stakeholders if s.quadrant == KEY_PLAYERS]
    uncovered = tuple(row.domain for row in m.findings.uncovered) if m.findings else ()
    return CouncilSummary(
        participants=m.participants,
        by_helix=tuple((g, n) for g, n in m.by_helix.items() if n),
        by_origin=tuple((o, m.by_origin[o]) for o in Origin if m.by_origin.get(o)),
        top_needs=tuple(
            TopNeed(g, _quote_in(m, g.code, locale) or quotes.get(g.code))
            for g in m.domain_gaps[:SUMMARY_NEEDS]
        ),
        key_players=tuple(players[:SUMMARY_PLAYERS]),
        must=m.moscow_total.get(Moscow.MUST, 0),
        requirements=m.requirements,
        missing_groups=tuple(m.missing_helix),
        uncovered=uncovered,
    )


@dataclass(frozen=True)
class ShownTheme:
    """A need theme as the report lists it: its size by kind and its own quotes."""

    theme: Theme
    needs: int
    requirements: int
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class ReportThemes:
    """The themes the report lists, and what it leaves to the table of all themes.

    Attributes:
        shown: The largest need themes, each quote at most once across all of them.
        more: Further need themes, only in the table.
        requirements_only: Themes made of requirements only (in the user stories' theme column).
    """

    shown: tuple[ShownTheme, ...]
    more: int
    requirements_only: int


def _count(theme: Theme, kind: str) -> int:
    return sum(1 for key in theme.member_keys if key.startswith(f"{kind}:"))


def ranked_themes(themes: tuple[Theme, ...]) -> list[Theme]:
    """Need themes first, most needs first, then by size and gap; then requirement themes."""
    return sorted(
        themes,
        key=lambda t: (-_count(t, NEED_KEY), -t.size, -(t.mean_gap or 0.0), t.id),
    )


def report_themes(m: DigestMetrics, top: int = REPORT_THEMES) -> ReportThemes:
    """The need themes to list (largest first), with quotes that are needs and not repeated."""
    if m.findings is None:
        return ReportThemes((), 0, 0)
    ranked = ranked_themes(m.findings.themes)
    with_needs = [t for t in ranked if _count(t, NEED_KEY)]
    seen: set[str] = set()
    shown: list[ShownTheme] = []
    for theme in with_needs[:top]:
        quotes: list[Quote] = []
        for quote in theme.quotes:
            said = quote.text.strip().casefold()
            if quote.key.startswith(f"{NEED_KEY}:") and said not in seen:
                seen.add(said)
                quotes.append(quote)
        shown.append(
            ShownTheme(
                theme,
                _count(theme, NEED_KEY),
                _count(theme, REQUIREMENT_KEY),
                tuple(quotes[:THEME_QUOTES]),
            )
        )
    return ReportThemes(tuple(shown), max(0, len(with_needs) - top), len(ranked) - len(with_needs))


def answered_scenarios(m: DigestMetrics) -> frozenset[str]:
    """Scenarios someone answered: a stakeholder named in it, or a requirement written for it."""
    named = {part.scenario for sh in m.stakeholders for part in sh.parts}
    return frozenset(named | {s.scenario for s in m.stories if s.scenario})
