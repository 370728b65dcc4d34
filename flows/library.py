"""The shipped domain list and scenario library, as engine options."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from flows.loader import data_file
from flows.messages import Option
from flows.text import Localized, Msg


@dataclass(frozen=True)
class Domain:
    """A macro domain (ISO 37120 theme) and the SDG targets it serves."""

    code: str
    iso_theme: str
    sdgs: tuple[str, ...]
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioTemplate:
    """A scenario from the shipped library."""

    code: str
    domains: tuple[str, ...]
    title: dict[str, str]
    description: dict[str, str]


@cache
def default_domains() -> tuple[Domain, ...]:
    """The 16 default macro domains from ``flows/data/domains.yaml``."""
    return tuple(
        Domain(
            code=str(row["code"]),
            iso_theme=str(row["iso_theme"]),
            sdgs=tuple(str(s) for s in row["sdgs"]),
            synonyms=tuple(str(s) for s in row.get("synonyms", [])),
        )
        for row in data_file("domains.yaml")
    )


@cache
def scenario_library() -> tuple[ScenarioTemplate, ...]:
    """The shipped scenarios from ``flows/data/scenarios.yaml``."""
    return tuple(
        ScenarioTemplate(
            code=str(row["code"]),
            domains=tuple(str(d) for d in row["domains"]),
            title={str(k): str(v) for k, v in row["title"].items()},
            description={str(k): str(v) for k, v in row["description"].items()},
        )
        for row in data_file("scenarios.yaml")
    )


def with_library_texts(
    code: str, stored: Mapping[str, str], field: str = "title"
) -> dict[str, str]:
    """A workshop's stored scenario text, completed with the library's newer translations.

    A workshop keeps the titles and descriptions its scenarios had when they were
    added; languages shipped later (Arabic, say) are missing from them. Where the
    workshop still has the library's English wording, the library's other languages
    fill the gaps; a workshop's own wording is never replaced or translated.

    Args:
        code: The scenario's code.
        stored: Its text per locale, as the workshop keeps it.
        field: ``title`` or ``description``.
    """
    template = next((t for t in scenario_library() if t.code == code), None)
    if template is None:
        return dict(stored)
    shipped = template.title if field == "title" else template.description
    if stored.get("en") != shipped.get("en"):
        return dict(stored)
    return {**shipped, **stored}


def domain_options(codes: list[str] | None = None) -> list[Option]:
    """Domains as options, in library order, optionally limited to ``codes``."""
    return [
        Option(d.code, Msg(f"domain.{d.code}"))
        for d in default_domains()
        if codes is None or d.code in codes
    ]


def scenario_option(code: str, title: dict[str, str]) -> Option:
    """A scenario as an option with its title per locale."""
    return Option(code, Localized(dict(title)))


def domain_synonyms() -> dict[str, tuple[str, ...]]:
    """Extra words that pick each domain."""
    return {d.code: d.synonyms for d in default_domains()}
