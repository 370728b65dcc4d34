"""The report's list of actors: each stakeholder once, with the scenarios it was named in.

The metrics already hold one summary per actor (see :mod:`bot.digest.actors`): "City
council" named in eight scenarios, in three spellings, is one row listing the eight.
The per-scenario detail (role, quadrant, how often named) stays in the cell.
"""

from __future__ import annotations

from bot.digest.metrics import DigestMetrics, mendelow
from flows.catalog import Catalogs
from flows.text import Listing, Localized, Msg

#: Column ids (headers are ``report.col.<id>`` in the catalogs).
ACTOR_COLUMNS = ("stakeholder", "scenarios", "named")


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
    ordered = sorted(m.stakeholders, key=lambda a: (-a.mentions, a.name.casefold(), a.key))
    for actor in ordered:
        places = []
        for part in sorted(actor.parts, key=lambda p: (-p.mentions, p.scenario)):
            title = m.scenario_titles.get(part.scenario)
            roles = tuple(Msg(f"role.{r}") for r in part.roles if catalogs.has(f"role.{r}"))
            places.append(
                catalogs.render(
                    Msg(
                        "report.actor_scenario",
                        {
                            "scenario": Localized(title) if title else part.scenario,
                            "roles": Listing(roles) if roles else Msg("picture.none"),
                            "quadrant": Msg(f"quadrant.{mendelow(part.power, part.interest)}"),
                            "named": part.mentions,
                        },
                    ),
                    locale,
                )
            )
        rows.append([actor.name, between.join(places), str(actor.mentions)])
    return rows
