"""An Arabic speaker types as she would anywhere: Arabic-Indic digits, "،" and "؟".

Every answer kind takes them: a scale ("٤"), a multiple choice ("١، ٣"), yes or no
("١"), an option by its name with or without the article ("صحة", "الصحه"), and the
commands, with or without vowel marks ("مُساعدة؟").
"""

from __future__ import annotations

import re

import pytest

from flows.answers import Accepted, OptionMatcher, parse_multi, parse_scale, parse_yes_no
from flows.catalog import load_catalogs
from flows.commands import Command, ParsedCommand, parse_command, resolve_locale
from flows.library import domain_options, domain_synonyms
from flows.normalize import fold
from flows.text import Msg

CATALOGS = load_catalogs()
NUMBER_WORDS = {word: number for number, word in enumerate(CATALOGS.words["ar"]["number.words"])}
NONE_WORDS = CATALOGS.all_words("word.none")


def domains() -> OptionMatcher:
    return OptionMatcher(domain_options(), CATALOGS, domain_synonyms())


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("١٢٣٤٥٦٧٨٩٠", "1234567890"),  # Arabic-Indic digits
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),  # Persian digits
        ("مُسَاعَدَة؟", "مساعدة"),  # vowel marks and the Arabic question mark
        ("مرحبـــا،", "مرحبا"),  # tatweel and a trailing Arabic comma
    ],
)
def test_folding_reads_arabic_digits_marks_and_punctuation(typed: str, folded: str) -> None:
    assert fold(typed) == folded


@pytest.mark.parametrize(
    ("typed", "number"),
    [("٤", 4), ("۵", 5), ("١", 1), ("٤ من ٥", 4), ("٣/٥", 3), ("٢ نقاط", 2), ("أربعة", 4)],
)
def test_a_scale_takes_arabic_digits_and_number_words(typed: str, number: int) -> None:
    assert parse_scale(typed, 1, 5, NUMBER_WORDS) == Accepted(number)


def test_an_arabic_digit_outside_the_scale_is_refused_as_out_of_range() -> None:
    verdict = parse_scale("٦", 1, 5, NUMBER_WORDS)
    assert not isinstance(verdict, Accepted)
    assert verdict.reason.id == "error.scale_range"


@pytest.mark.parametrize(
    ("typed", "picked"),
    [
        ("١، ٣", ["governance", "education"]),
        ("١،٣", ["governance", "education"]),
        ("٦؛ ١٣", ["health", "mobility"]),
        ("٦ و١٣", ["health", "mobility"]),
        ("٦ و ١٣", ["health", "mobility"]),
        ("٦ ١٣", ["health", "mobility"]),
        ("الصحة والسكن", ["health", "housing"]),
        ("الصحة، المواصلات", ["health", "mobility"]),
        ("6، 13", ["health", "mobility"]),
    ],
)
def test_a_multiple_choice_takes_arabic_commas_digits_and_and(
    typed: str, picked: list[str]
) -> None:
    assert parse_multi(typed, domains(), 1, 3, NONE_WORDS) == Accepted(picked)


def test_an_optional_multiple_choice_takes_none_in_arabic() -> None:
    assert parse_multi("لا شيء", domains(), 0, 3, NONE_WORDS) == Accepted([])


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("الصحة", "health"),
        ("صحة", "health"),  # without the article
        ("الصحه", "health"),  # teh marbuta typed as heh
        ("والسكن", "housing"),  # with "and" joined to the front
        ("السكن", "housing"),
        ("الإنترنت", "digital"),
        ("الانترنت", "digital"),  # alef without hamza
        ("المواصلات", "mobility"),
        ("٦", "health"),
    ],
)
def test_an_option_is_picked_by_its_arabic_name_in_the_usual_spellings(
    typed: str, code: str
) -> None:
    assert domains().match(typed) == code


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("نعم", True), ("موافق", True), ("١", True), ("لا", False), ("٢", False), ("نعم؟", True)],
)
def test_yes_or_no_in_arabic_words_or_digits(typed: str, answer: bool) -> None:
    yes, no = CATALOGS.all_words("word.yes"), CATALOGS.all_words("word.no")
    assert parse_yes_no(typed, yes, no) == Accepted(answer)


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("مساعدة", Command.HELP),
        ("المساعدة", Command.HELP),
        ("مُساعدة؟", Command.HELP),
        ("؟", Command.HELP),
        ("?", Command.HELP),
        ("رجوع", Command.BACK),
        ("تخطي", Command.SKIP),
        ("تكرار", Command.REPEAT),
        ("توقف", Command.STOP),
        ("المصطلحات", Command.GLOSSARY),
        ("بياناتي", Command.MY_DATA),
        ("انسني", Command.FORGET_ME),
        ("أين أنا", Command.STATUS),
        ("إيقاف التذكيرات", Command.REMINDERS_OFF),
    ],
)
def test_the_commands_in_arabic(typed: str, command: Command) -> None:
    assert parse_command(typed, CATALOGS) == ParsedCommand(command)


def test_a_question_is_an_answer_not_a_command() -> None:
    assert parse_command("كيف نساعد كبار السن؟", CATALOGS) is None


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("لغة ar", "ar"),
        ("لغة العربية", "ar"),
        ("lang ar-EG", "ar"),
        ("lang arabic", "ar"),
        ("语言 阿拉伯语", "ar"),
        ("لغة الإنجليزية", "en"),
        ("لغة الفرنسية", "fr"),
        ("لغة الإسبانية", "es"),
        ("لغة الصينية", "zh"),
    ],
)
def test_switching_language_by_code_or_name(typed: str, locale: str) -> None:
    parsed = parse_command(typed, CATALOGS)
    assert parsed is not None and parsed.command is Command.LANG
    assert resolve_locale(parsed.argument, CATALOGS) == locale


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "لا حاجات"),
        (1, "حاجة واحدة"),
        (2, "حاجتان"),
        (3, "3 حاجات"),
        (10, "10 حاجات"),
        (11, "11 حاجة"),
        (99, "99 حاجة"),
        (100, "100 حاجة"),
        (103, "103 حاجات"),
    ],
)
def test_counts_take_the_arabic_plural_forms(count: int, shown: str) -> None:
    rendered = CATALOGS.render(Msg("count.needs", {"count": count}), "ar")
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")  # either digits may be shown
    assert re.sub("[\u061c\u200e\u200f\u2066-\u2069]", "", rendered).translate(digits) == shown
