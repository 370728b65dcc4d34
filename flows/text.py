"""Localisable text references that the engine returns instead of strings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Msg:
    """A message id from the catalogs, with parameters to fill in.

    Attributes:
        id: Catalog key such as ``"macro.importance.prompt"``.
        params: Values substituted into the message. Values may themselves be
            :class:`Msg`, :class:`Localized` or :class:`Literal`.
    """

    id: str
    params: dict[str, Param] = field(default_factory=dict)


@dataclass(frozen=True)
class Localized:
    """Text given inline per locale (for example a scenario title from a library)."""

    by_locale: dict[str, str]


@dataclass(frozen=True)
class Literal:
    """Text typed by a participant; rendered verbatim, never translated."""

    text: str


@dataclass(frozen=True)
class Listing:
    """Several texts shown as one list ("Mobility, Health")."""

    items: tuple[Text, ...]


Text = Msg | Localized | Literal | Listing
Param = Msg | Localized | Literal | Listing | str | int | float
