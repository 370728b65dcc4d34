"""Chinese, Spanish and Arabic: numbers, percentages, dates, "since" and plurals, by value.

Everything goes through the functions the digests and messages use
(:mod:`flows.locale_format`, ``Catalogs.render``, the digest's own lines). One
instant, 21:05 UTC on 14 March 2026, is shown in each workshop's timezone: the
next morning in Shanghai and just after midnight in Riyadh, the same evening in
Madrid. Arabic digits are Latin (0-9), as CLDR gives them for ``ar``; an Arabic
message isolates each value with FSI (U+2068) … PDI (U+2069) after an RLM (U+200F).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from babel import Locale

from bot.digest.metrics import compute_metrics
from bot.digest.report import render_markdown
from bot.digest.text import digest_lines
from bot.testing.snapshots import SnapshotBuilder
from flows.catalog import load_catalogs
from flows.locale_format import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_time,
    format_timestamp,
    plural_category,
)
from flows.text import Moment, Msg, Number

RLM, FSI, RLI, PDI = "\u200f", "\u2068", "\u2067", "\u2069"
#: 21:05 UTC: 05:05 next day in Shanghai, 00:05 next day in Riyadh, 22:05 in Madrid (CET).
SINCE = datetime(2026, 3, 14, 21, 5, tzinfo=UTC)
LATER = datetime(2026, 3, 16, 9, 0, tzinfo=UTC)
ZONES = {"zh": "Asia/Shanghai", "es": "Europe/Madrid", "ar": "Asia/Riyadh"}


@pytest.mark.parametrize(
    ("locale", "decimal", "whole", "one_place"),
    [
        ("zh", "1,234.5", "12,345", "1,234.5"),
        ("es", "1.234,5", "12.345", "1.234,5"),
        ("ar", "1,234.5", "12,345", "1,234.5"),
    ],
)
def test_numbers_have_the_locale_separators(
    locale: str, decimal: str, whole: str, one_place: str
) -> None:
    assert format_number(1234.5, locale) == decimal
    assert format_number(12345, locale) == whole
    assert load_catalogs().render(Number(1234.54, 1), locale) == one_place


def test_arabic_numbers_use_latin_digits_as_cldr_gives_them_for_ar() -> None:
    assert Locale.parse("ar").default_numbering_system == "latn"
    # CLDR prefers Arabic-Indic digits in Saudi Arabia; we keep 0-9 there too.
    assert Locale.parse("ar_SA").default_numbering_system == "arab"
    assert format_number(1234.5, "ar-SA") == "1,234.5"
    assert format_percent(0.25, "ar-SA") == "25%"


@pytest.mark.parametrize(
    ("locale", "quarter", "eighth"),
    [("zh", "25%", "12.5%"), ("es", "25\u00a0%", "12,5\u00a0%"), ("ar", "25%", "12.5%")],
)
def test_percentages_are_written_the_locale_way(locale: str, quarter: str, eighth: str) -> None:
    assert format_percent(0.25, locale) == quarter
    assert format_percent(0.125, locale, 1) == eighth


@pytest.mark.parametrize(
    ("locale", "date", "time", "both"),
    [
        ("zh", "2026年3月15日", "05:05", "2026年3月15日 05:05"),
        ("es", "14 mar 2026", "22:05", "14 mar 2026, 22:05"),
        ("ar", "15\u200f/03\u200f/2026", "12:05 ص", "15\u200f/03\u200f/2026، 12:05 ص"),
    ],
)
def test_dates_and_times_are_the_workshops_wall_clock(
    locale: str, date: str, time: str, both: str
) -> None:
    zone = ZONES[locale]
    assert format_date(SINCE, locale, zone) == date
    assert format_time(SINCE, locale, zone) == time
    assert format_datetime(SINCE, locale, zone) == both
    assert format_timestamp(SINCE, locale, zone) == f"{both} ({zone})"
    assert load_catalogs().render(Moment(SINCE, zone, "date"), locale) == date


def _riyadh_or_elsewhere(locale: str) -> SnapshotBuilder:
    """Two needs and a stakeholder that came in after the last digest, in ``locale``'s zone."""
    w = SnapshotBuilder("Riyadh 2026", at=LATER)
    w.header = replace(w.header, timezone=ZONES[locale], languages=(locale,))
    amira = w.participant(locale=locale)
    w.need(amira, "mobility", 5, 2)
    w.need(amira, "health", 4, 1)
    w.stakeholder(amira, "City Hall", power=4, interest=5)
    return w


@pytest.mark.parametrize(
    ("locale", "since", "heading"),
    [
        (
            "zh",
            "自上次摘要以来（2026年3月15日 05:05）新增："
            "2 条需求、1 个相关方、0 条关系、0 项功能需求。",
            "# 利益相关方需求图：Riyadh 2026",
        ),
        (
            "es",
            "Nuevo desde el último resumen (14 mar 2026, 22:05): "
            "2 necesidades, 1 actor, 0 relaciones, 0 requisitos.",
            "# Mapa de actores y requisitos: Riyadh 2026",
        ),
        (
            "ar",
            f"{RLM}الجديد منذ الملخص السابق ({FSI}15\u200f/03\u200f/2026، 12:05 ص{PDI}): "
            f"{RLI}حاجتان{PDI}، {RLI}طرف معني واحد{PDI}، "
            f"{RLI}لا علاقات{PDI}، {RLI}لا متطلبات{PDI}.",
            f"# {RLM}خريطة الأطراف المعنية والمتطلبات: {FSI}Riyadh 2026{PDI}",
        ),
    ],
)
def test_the_digest_since_line_and_the_report_heading_speak_the_locale(
    locale: str, since: str, heading: str
) -> None:
    catalogs = load_catalogs()
    metrics = compute_metrics(_riyadh_or_elsewhere(locale).build(), since=SINCE)
    [new] = [line for line in digest_lines(metrics) if line.id == "digest.new"]
    assert catalogs.render(new, locale) == since
    report = render_markdown(metrics, catalogs, locale=locale)
    assert report.split("\n")[0] == heading


def _needs(count: int, locale: str) -> str:
    return load_catalogs().render(Msg("count.needs", {"count": count}), locale)


def test_chinese_has_one_plural_form() -> None:
    assert {n: plural_category(n, "zh") for n in (0, 1, 2)} == dict.fromkeys((0, 1, 2), "other")
    assert [_needs(n, "zh") for n in (0, 1, 2)] == ["0 条需求", "1 条需求", "2 条需求"]


def test_spanish_has_one_and_other_and_many_for_millions() -> None:
    assert {n: plural_category(n, "es") for n in (1, 2, 1_000_000)} == {
        1: "one",
        2: "other",
        1_000_000: "many",
    }
    assert [_needs(n, "es") for n in (0, 1, 2, 1_000_000)] == [
        "0 necesidades",
        "1 necesidad",
        "2 necesidades",
        "1.000.000 de necesidades",
    ]


def test_arabic_has_six_plural_forms_each_read_from_the_catalog() -> None:
    counts = (0, 1, 2, 3, 11, 100)
    assert [plural_category(n, "ar") for n in counts] == [
        "zero",
        "one",
        "two",
        "few",
        "many",
        "other",
    ]
    assert [_needs(n, "ar") for n in counts] == [
        f"{RLM}لا حاجات",
        f"{RLM}حاجة واحدة",
        f"{RLM}حاجتان",
        f"{RLM}{FSI}3{PDI} حاجات",
        f"{RLM}{FSI}11{PDI} حاجة",
        f"{RLM}{FSI}100{PDI} حاجة",
    ]
