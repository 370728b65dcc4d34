"""Interpret a participant's answer for each step kind; reject with a helpful message."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flows.matching import OptionMatch
from flows.matching import OptionMatcher as OptionMatcher  # re-exported: callers import it here
from flows.normalize import fold, has_words
from flows.text import Listing, Literal, Msg

#: Longest excerpt of a rejected input quoted back in an error.
ECHO_LIMIT = 40
#: Default and absolute limits for free text.
DEFAULT_TEXT_MAX = 1000

#: What separates the picks of a multiple choice: commas and semicolons of every script
#: (the Arabic "،" and "؛" too), "and", "和", and the Arabic "و" standing alone or joined
#: to a number or to the article ("١ و٣", "الصحة والسكن").
_LIST_SEPARATORS = re.compile(r"[,;，、；/،؛]+|\s+and\s+|\s+和\s*|\s+و\s+|\s+و(?=\d|ال)")


@dataclass(frozen=True)
class Accepted:
    """A valid answer and the value to keep."""

    value: Any


@dataclass(frozen=True)
class Rejected:
    """An invalid answer and what to tell the participant."""

    reason: Msg
    show_options: bool = False


Verdict = Accepted | Rejected


def echo(text: str) -> Literal:
    """A short, single-line excerpt of the participant's input for error messages."""
    one_line = " ".join(text.split())
    if len(one_line) > ECHO_LIMIT:
        one_line = one_line[: ECHO_LIMIT - 1] + "…"
    return Literal(one_line)


def _suggestions(match: OptionMatch, matcher: OptionMatcher) -> Listing:
    return Listing(
        tuple(
            Msg("choice.suggestion", {"number": i + 1, "label": matcher.options[i].label})
            for i in match.candidates
        )
    )


def _unmatched(text: str, match: OptionMatch, matcher: OptionMatcher) -> Rejected:
    """Why ``text`` picks nothing: the few options it might mean, or every option."""
    if not text.strip():  # an empty line: say so, rather than quote nothing back
        return Rejected(
            Msg("error.choice_empty", {"count": len(matcher.options)}), show_options=True
        )
    if match.candidates:
        msg_id = "error.choice_unsure" if match.ambiguous else "error.choice_close"
        return Rejected(Msg(msg_id, {"input": echo(text), "choices": _suggestions(match, matcher)}))
    if len(matcher.options) == 1:
        return Rejected(Msg("error.choice_single", {"input": echo(text)}), show_options=True)
    return Rejected(
        Msg("error.choice", {"input": echo(text), "count": len(matcher.options)}),
        show_options=True,
    )


def parse_choice(text: str, matcher: OptionMatcher) -> Verdict:
    """One option out of the list."""
    match = matcher.resolve(text)
    if match.value is not None:
        return Accepted(match.value)
    return _unmatched(text, match, matcher)


def _pick_all(token: str, matcher: OptionMatcher) -> list[str] | None:
    """Options named in ``token`` one after another without commas ("mobility health")."""
    words = token.split()
    if len(words) < 2:
        return None
    picked = [matcher.match(word) for word in words]
    return [value for value in picked if value is not None] if all(picked) else None


def parse_multi(
    text: str, matcher: OptionMatcher, least: int, most: int, none_words: frozenset[str]
) -> Verdict:
    """Several options, separated by commas (or spaces, when each word is one option)."""
    folded = fold(text)
    if least == 0 and folded in none_words:
        return Accepted([])
    tokens = [t for t in _LIST_SEPARATORS.split(text) if t.strip()]
    if len(tokens) == 1 and all(part.isdigit() for part in fold(text).split()):
        tokens = fold(text).split()
    chosen: list[str] = []
    for token in tokens:
        match = matcher.resolve(token)
        values = [match.value] if match.value is not None else _pick_all(token, matcher)
        if values is None:
            if match.candidates:
                return _unmatched(token, match, matcher)
            return Rejected(
                Msg(
                    "error.multi_choice",
                    {"input": echo(token), "count": len(matcher.options), "max": most},
                ),
                show_options=True,
            )
        chosen.extend(value for value in values if value not in chosen)
    if not least <= len(chosen) <= most:
        return Rejected(
            Msg("error.multi_count", {"min": least, "max": most, "given": len(chosen)}),
            show_options=True,
        )
    return Accepted(chosen)


#: A number followed by an optional "out of" or unit ("4/5", "4 分", "4 points", "٤ من ٥").
_SCALE_NUMBER = re.compile(
    r"^(\d+)\s*(?:/\s*\d+|分|points?|stars?|星|من\s*\d+|نقاط|نقطة|نجوم|نجمة|درجات|درجة)?$"
)


def parse_scale(
    text: str, least: int, most: int, number_words: Mapping[str, int] | None = None
) -> Verdict:
    """A whole number within ``least..most``, as digits in any width or as a word ("four", "四")."""
    folded = fold(text)
    found = _SCALE_NUMBER.match(folded)
    if found is not None:
        number = int(found.group(1))
    elif number_words and folded in number_words:
        number = number_words[folded]
    else:
        return Rejected(Msg("error.scale", {"input": echo(text), "min": least, "max": most}))
    if not least <= number <= most:
        return Rejected(Msg("error.scale_range", {"input": echo(text), "min": least, "max": most}))
    return Accepted(number)


def parse_text(text: str, least: int, most: int) -> Verdict:
    """Free text with at least one letter or digit, within the length limits."""
    if not text:
        return Rejected(Msg("error.text_empty", {"min": least, "max": most}))
    if len(text) > most:
        return Rejected(Msg("error.text_too_long", {"length": len(text), "max": most}))
    if not has_words(text):
        return Rejected(Msg("error.text_no_words", {"min": least, "max": most}))
    if len(text) < least:
        return Rejected(Msg("error.text_too_short", {"min": least, "max": most}))
    return Accepted(text)


def parse_yes_no(text: str, yes_words: frozenset[str], no_words: frozenset[str]) -> Verdict:
    """Yes or no, in any locale; ``1`` is yes and ``2`` is no, as in the listed options."""
    folded = fold(text)
    if folded in yes_words or folded == "1":
        return Accepted(True)
    if folded in no_words or folded == "2":
        return Accepted(False)
    return Rejected(Msg("error.yes_no", {"input": echo(text)}), show_options=True)
