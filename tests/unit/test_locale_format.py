"""Numbers, dates, times and plural forms through Babel (CLDR), checked by value.

zh and en have catalogs; es and ar do not yet, but the helpers already format
them, so their catalogs plug in without code (issue 15, must show 4).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.catalog import CatalogError, load_catalogs
from flows.locale_format import (
    format_date,
    format_datetime,
    format_number,
    format_time,
    format_timestamp,
    plural_categories,
    plural_category,
)
from flows.text import Moment, Msg, Number

MOMENT = datetime(2026, 3, 14, 9, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("locale", "big", "decimal"),
    [
        ("en", "1,234,567", "2.5"),
        ("zh", "1,234,567", "2.5"),
        ("es", "1.234.567", "2,5"),
        ("ar", "1,234,567", "2.5"),
    ],
)
def test_numbers_use_the_locale_separators(locale: str, big: str, decimal: str) -> None:
    assert format_number(1234567, locale) == big
    assert format_number(2.5, locale, 1) == decimal
    assert format_number(3, locale, 1) == decimal.replace("2", "3").replace("5", "0")


@pytest.mark.parametrize(
    ("locale", "zone", "date", "time", "both"),
    [
        ("en", "Europe/Berlin", "Mar 14, 2026", "10:05\u202fAM", "Mar 14, 2026, 10:05\u202fAM"),
        ("zh", "Asia/Shanghai", "2026年3月14日", "17:05", "2026年3月14日 17:05"),
        ("es", "America/Mexico_City", "14 mar 2026", "3:05", "14 mar 2026, 3:05"),
        (
            "ar",
            "Africa/Cairo",
            "14\u200f/03\u200f/2026",
            "11:05 ص",
            "14\u200f/03\u200f/2026، 11:05 ص",
        ),
    ],
)
def test_dates_and_times_are_local_and_written_the_locale_way(
    locale: str, zone: str, date: str, time: str, both: str
) -> None:
    assert format_date(MOMENT, locale, zone) == date
    assert format_time(MOMENT, locale, zone) == time
    assert format_datetime(MOMENT, locale, zone) == both


def test_a_naive_moment_is_utc_and_an_unknown_zone_falls_back_to_utc() -> None:
    naive = MOMENT.replace(tzinfo=None)
    assert format_time(naive, "zh", "Asia/Shanghai") == "17:05"
    assert format_time(MOMENT, "zh", "Mars/Olympus") == "09:05"
    assert format_timestamp(MOMENT, "en", "Asia/Tokyo") == "Mar 14, 2026, 6:05\u202fPM (Asia/Tokyo)"


@pytest.mark.parametrize(
    ("locale", "categories", "picks"),
    [
        ("en", {"one", "other"}, {0: "other", 1: "one", 2: "other", 11: "other"}),
        ("zh", {"other"}, {0: "other", 1: "other", 2: "other"}),
        ("es", {"one", "many", "other"}, {1: "one", 2: "other", 1_000_000: "many"}),
        (
            "ar",
            {"zero", "one", "two", "few", "many", "other"},
            {0: "zero", 1: "one", 2: "two", 3: "few", 11: "many", 100: "other"},
        ),
    ],
)
def test_plural_categories_follow_cldr(
    locale: str, categories: set[str], picks: dict[int, str]
) -> None:
    assert plural_categories(locale) == categories
    assert {n: plural_category(n, locale) for n in picks} == picks


def test_the_shipped_catalogs_pick_the_plural_form_by_count() -> None:
    catalogs = load_catalogs()
    assert catalogs.is_plural("digest.stakeholders_more")

    def more(count: int, locale: str) -> str:
        return catalogs.render(Msg("digest.stakeholders_more", {"count": count}), locale)

    assert more(1, "en") == "…and 1 more stakeholder."
    assert more(2, "en") == "…and 2 more stakeholders."
    assert more(1200, "en") == "…and 1,200 more stakeholders."
    assert more(1, "zh") == "……还有 1 个相关方。"
    coverage = catalogs.render(Msg("digest.coverage_more", {"count": 1}), "en")
    assert coverage == "  …and 1 more scenario like this (see the report)."
    assert catalogs.render(Msg("count.needs", {"count": 1}), "en") == "1 need"
    assert catalogs.render(Msg("count.needs", {"count": 0}), "en") == "0 needs"
    assert catalogs.render(Msg("count.needs", {"count": 3}), "zh") == "3 条需求"


def test_numbers_and_moments_render_in_the_message_locale() -> None:
    catalogs = load_catalogs()
    assert catalogs.render(Number(1234.5, 1), "en") == "1,234.5"
    assert catalogs.render(Moment(MOMENT, "Asia/Shanghai"), "zh") == "2026年3月14日 17:05"
    assert catalogs.render(Moment(MOMENT, "Europe/Berlin", "date"), "en") == "Mar 14, 2026"
    # Item numbers stay as typed: a moderator types them back (!approve need 1234).
    assert catalogs.render(Msg("staff.approved", {"kind": "need", "id": 1234}), "en") == (
        "Approved need 1234."
    )


def _catalog(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.yaml").write_text(body, encoding="utf-8")


EN = "messages:\n  more:\n    one: 'one more'\n    other: '{count} more'\n"


def test_a_new_locale_must_give_every_category_of_its_plural_rule(tmp_path: Path) -> None:
    _catalog(tmp_path, "en", EN)
    _catalog(tmp_path, "ar", "messages:\n  more:\n    one: 'واحد'\n    other: '{count}'\n")
    with pytest.raises(CatalogError, match=r"'more' gives plural forms \['one', 'other'\]"):
        load_catalogs(tmp_path)
    forms = "".join(
        f"    {c}: '{{count}} {c}'\n" for c in ("zero", "one", "two", "few", "many", "other")
    )
    _catalog(tmp_path, "ar", "messages:\n  more:\n" + forms)
    catalogs = load_catalogs(tmp_path)
    # Arabic is written right to left: RLM starts the line, FSI…PDI isolates the count,
    # LRI…PDI the Latin run ("3 few") of these test templates.
    few, many = "\u200f\u2066\u20683\u2069 few\u2069", "\u200f\u2066\u206811\u2069 many\u2069"
    assert catalogs.render(Msg("more", {"count": 3}), "ar") == few
    assert catalogs.render(Msg("more", {"count": 11}), "ar") == many


def test_a_locale_with_one_form_may_write_a_plain_string(tmp_path: Path) -> None:
    _catalog(tmp_path, "en", EN)
    _catalog(tmp_path, "zh", "messages:\n  more: '还有 {count} 个'\n")
    assert load_catalogs(tmp_path).render(Msg("more", {"count": 1}), "zh") == "还有 1 个"
    _catalog(tmp_path, "es", "messages:\n  more: '{count} más'\n")
    with pytest.raises(CatalogError, match=r"'more' needs the plural forms"):
        load_catalogs(tmp_path)


def test_plural_forms_must_be_known_categories_with_other(tmp_path: Path) -> None:
    _catalog(tmp_path, "en", "messages:\n  more:\n    one: 'x'\n    plenty: 'y'\n")
    with pytest.raises(CatalogError, match="plural categories"):
        load_catalogs(tmp_path)


def test_a_plural_form_may_not_use_a_placeholder_english_does_not_pass(tmp_path: Path) -> None:
    _catalog(tmp_path, "en", EN)
    _catalog(tmp_path, "zh", "messages:\n  more: '还有 {n} 个'\n")
    with pytest.raises(CatalogError, match=r"\['n'\]"):
        load_catalogs(tmp_path)
