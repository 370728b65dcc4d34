"""Render ``my data``: everything stored about a participant, in their language."""

from __future__ import annotations

from flows.catalog import Catalogs
from flows.text import Literal, Localized, Msg, Param
from storage.participants import ParticipantData


def _opt(prefix: str, value: object) -> Param:
    return Msg(f"{prefix}.{value}") if value else Msg("value.skipped")


def _num(value: object) -> Param:
    return Msg("value.skipped") if value is None else str(value)


def _lit(value: object) -> Param:
    return Msg("value.skipped") if value in (None, "") else Literal(str(value))


def render_my_data(data: ParticipantData, catalogs: Catalogs, locale: str) -> str:
    """One message listing the profile and every contribution, quotes marked as quotes."""
    lines: list[Msg] = [
        Msg("mydata.header", {"pseudonym": data.pseudonym[:8]}),
        Msg(
            "mydata.profile",
            {
                "helix": _opt("helix", data.helix),
                "locale": Msg(f"language.{data.locale}")
                if catalogs.has(f"language.{data.locale}")
                else data.locale,
                "consent": Msg("word.yes" if data.consent else "word.no"),
            },
        ),
    ]
    if data.assisted is not None:
        lines.append(
            Msg(
                "mydata.assisted",
                {
                    "label": Literal(data.assisted.label),
                    "consent": Msg(f"assist.consent.{data.assisted.consent_mode}"),
                },
            )
        )
    for need in data.needs:
        lines.append(
            Msg(
                "mydata.need",
                {
                    "domain": _opt("domain", need["domain"]),
                    "text": Literal(need["text"]),
                    "importance": _num(need["importance"]),
                    "satisfaction": _num(need["satisfaction"]),
                },
            )
        )
    for sh in data.stakeholders:
        lines.append(
            Msg(
                "mydata.stakeholder",
                {
                    "scenario": Localized(sh["scenario"]),
                    "name": Literal(sh["name"]),
                    "helix": _opt("helix", sh["helix"]),
                    "role": _opt("role", sh["role"]),
                    "power": _num(sh["power"]),
                    "interest": _num(sh["interest"]),
                },
            )
        )
    for link in data.links:
        lines.append(
            Msg(
                "mydata.link",
                {
                    "source": Literal(link["source"]),
                    "relation": _opt("relation", link["relation"]),
                    "target": Literal(link["target"]),
                },
            )
        )
    for req in data.requirements:
        lines.append(
            Msg(
                "mydata.requirement",
                {
                    "module": Literal(req["module"]),
                    "as_a": _lit(req["as_a"]),
                    "i_want": _lit(req["i_want"]),
                    "so_that": _lit(req["so_that"]),
                    "moscow": _opt("moscow", req["moscow"]),
                },
            )
        )
    lines.append(Msg("mydata.nothing"))
    return "\n".join(catalogs.render(line, locale) for line in lines)
