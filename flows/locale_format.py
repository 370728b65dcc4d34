"""Numbers, dates, times and plural categories in a participant's locale, through Babel (CLDR).

Pure functions: the caller passes every moment in (flows keeps no clock) and the
workshop's timezone by name; Babel does the rest from its CLDR data, so a new
locale (``es``, ``ar``) needs no code here.

Digits are always Latin (0-9), the ``latn`` numbering system. For ``ar`` that is
what CLDR gives (``1,234.5``; dates ``15/03/2026`` with RLM after each number); CLDR
gives ``ar-SA`` and ``ar-EG`` Arabic-Indic digits (``١٬٢٣٤٫٥``), but Babel writes
dates in Latin digits only and would put Arabic separators between Latin digits,
and option numbers, item numbers (``!approve need 12``) and codes are typed back in
Latin digits. Typed answers may use either kind of digit (see
:func:`flows.normalize.fold`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

#: The plural categories CLDR knows, in its order.
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
#: Locale used when a code is unknown to Babel.
FALLBACK_LOCALE = "en"
#: Digits 0-9 in every locale (see the module docstring).
NUMBERING = "latn"
#: The integer digits of a CLDR number pattern (``#,##0`` in ``#,##0 %``).
_INTEGER_DIGITS = re.compile(r"[#,]*0")


@cache
def babel_locale(code: str) -> Locale:
    """The Babel locale for a catalog code (``zh``, ``zh-CN``, ``es``), English when unknown."""
    try:
        return Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK_LOCALE)


def plural_categories(code: str) -> frozenset[str]:
    """The plural categories a message needs in ``code`` (always including ``other``)."""
    return frozenset(babel_locale(code).plural_form.tags) | {"other"}


def plural_category(count: float, code: str) -> str:
    """The CLDR plural category of ``count`` in ``code`` (``one``, ``few``, ``other``…)."""
    return str(babel_locale(code).plural_form(count))


def format_number(value: float, code: str, decimals: int | None = None) -> str:
    """``value`` with the locale's digits, group and decimal separators.

    Args:
        value: The number.
        code: Locale code.
        decimals: Exact digits after the decimal point; ``None`` keeps what
            ``value`` has (an ``int`` gets none).
    """
    locale = babel_locale(code)
    if decimals is None:
        return str(format_decimal(value, locale=locale, numbering_system=NUMBERING))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    rounded = round(value, decimals)
    return str(format_decimal(rounded, format=pattern, locale=locale, numbering_system=NUMBERING))


def format_percent(share: float, code: str, decimals: int = 0) -> str:
    """``share`` (0.25 for a quarter) as a percentage the locale's way (``25%``, ``25 %``).

    Args:
        share: The fraction; 1.0 is 100 %.
        code: Locale code.
        decimals: Exact digits after the decimal point.
    """
    locale = babel_locale(code)
    pattern = str(locale.percent_formats[None].pattern)
    if decimals > 0:
        pattern = _INTEGER_DIGITS.sub(r"\g<0>." + "0" * decimals, pattern, count=1)
    return str(_babel_percent(share, format=pattern, locale=locale, numbering_system=NUMBERING))


def _zone(timezone: str) -> ZoneInfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def local_moment(moment: datetime, timezone: str) -> datetime:
    """``moment`` (naive means UTC) as wall-clock time in ``timezone``."""
    return _aware(moment).astimezone(_zone(timezone))


def format_datetime(moment: datetime, code: str, timezone: str = "UTC") -> str:
    """Date and time of ``moment`` in ``timezone``, written the locale's way (short time)."""
    local = local_moment(moment, timezone)
    locale = babel_locale(code)
    date = _babel_date(local, format="medium", locale=locale)
    time = _babel_time(local, format="short", locale=locale)
    pattern = str(locale.datetime_formats["medium"])
    return pattern.replace("{1}", str(date)).replace("{0}", str(time))


def format_date(moment: datetime, code: str, timezone: str = "UTC") -> str:
    """The calendar date of ``moment`` in ``timezone``, written the locale's way."""
    return str(
        _babel_date(local_moment(moment, timezone), format="medium", locale=babel_locale(code))
    )


def format_time(moment: datetime, code: str, timezone: str = "UTC") -> str:
    """The wall-clock time of ``moment`` in ``timezone``, written the locale's way."""
    local = local_moment(moment, timezone)
    return str(_babel_time(local, format="short", locale=babel_locale(code)))


def format_timestamp(moment: datetime, code: str, timezone: str = "UTC") -> str:
    """Full date and time with the zone, for export headers (``…, 14:30 (Asia/Shanghai)``)."""
    return f"{format_datetime(moment, code, timezone)} ({_zone(timezone).key})"


__all__ = [
    "PLURAL_CATEGORIES",
    "babel_locale",
    "format_date",
    "format_datetime",
    "format_number",
    "format_percent",
    "format_time",
    "format_timestamp",
    "local_moment",
    "plural_categories",
    "plural_category",
]
