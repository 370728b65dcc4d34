"""Localisable text references that the engine returns instead of strings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


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


@dataclass(frozen=True)
class Number:
    """A number written the locale's way (digits, group and decimal separators).

    Plain ``int`` parameters are shown as typed (item numbers a person types back,
    such as ``!approve need 1234``); counts and measures use :class:`Number`.

    Attributes:
        value: The number.
        decimals: Exact digits after the decimal point (``None``: as the value has).
    """

    value: int | float
    decimals: int | None = None


@dataclass(frozen=True)
class Moment:
    """A point in time written the locale's way, as wall-clock time in ``timezone``.

    Attributes:
        value: The moment (naive means UTC).
        timezone: IANA name of the workshop's timezone.
        style: ``datetime``, ``date`` or ``time``.
    """

    value: datetime
    timezone: str = "UTC"
    style: str = "datetime"


Text = Msg | Localized | Literal | Listing
Param = Msg | Localized | Literal | Listing | Number | Moment | str | int | float
