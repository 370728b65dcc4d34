"""The report's list of actors: each stakeholder once, with the scenarios it was named in.

A stakeholder is told apart by its folded name (the key the metrics merge by), so
"City council" named in eight scenarios is one row listing the eight. The per-scenario
detail (role, quadrant, how often named) stays in the cell, scenario by scenario.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.digest.metrics import DigestMetrics, StakeholderSummary
from flows.catalog import Catalogs
from flows.text import Listing, Localized, Msg

#: Column ids (headers are ``report.col.<id>`` in the catalogs).
ACTOR_COLUMNS = ("stakeholder", "scenarios", "named")


@dataclass(frozen=True)
class Actor:
    """One stakeholder of the workshop and its summaries, one per scenario."""

    key: str
    name: str
    named: int
    summaries: tuple[StakeholderSummary, ...]


def actors(m: DigestMetrics) -> list[Actor]:
    """Stakeholders merged by key, most named first (then by name)."""
    grouped: dict[str, list[StakeholderSummary]] = defaultdict(list)
    for sh in m.stakeholders:
        grouped[sh.key].append(sh)
    found = []
    for key, rows in grouped.items():
        top = max(rows, key=lambda s: (s.mentions, s.name))
        found.append(Actor(key, top.name, sum(s.mentions for s in rows), tuple(rows)))
    return sorted(found, key=lambda a: (-a.named, a.name.casefold(), a.key))


def actor_rows(
    m: DigestMetrics, catalogs: Catalogs, locale: str, *, sep: str | None = None
) -> list[list[str]]:
    """One row per actor: name, its scenarios (role, quadrant, times named), times named.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs.
        locale: Language of the rows.
        sep: Between two scenarios of one actor (the locale's "; " when not given; the
            HTML report passes a line break).
    """
    between = catalogs.render(Msg("report.actor_sep"), locale) if sep is None else sep
    rows = []
    for actor in actors(m):
        places = []
        for sh in sorted(actor.summaries, key=lambda s: (-s.mentions, s.scenario)):
            title = m.scenario_titles.get(sh.scenario)
            roles = tuple(Msg(f"role.{r}") for r in sh.roles if catalogs.has(f"role.{r}"))
            places.append(
                catalogs.render(
                    Msg(
                        "report.actor_scenario",
                        {
                            "scenario": Localized(title) if title else sh.scenario,
                            "roles": Listing(roles) if roles else Msg("picture.none"),
                            "quadrant": Msg(f"quadrant.{sh.quadrant}"),
                            "named": sh.mentions,
                        },
                    ),
                    locale,
                )
            )
        rows.append(
            [
                actor.name,
                between.join(places),
                str(actor.named),
            ]
        )
    return rows
