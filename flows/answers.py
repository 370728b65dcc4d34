"""Interpret a participant's answer for each step kind; reject with a helpful message."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flows.catalog import Catalogs
from flows.messages import Option
from flows.normalize import fold, has_words
from flows.text import Literal, Msg

#: Longest excerpt of a rejected input quoted back in an error.
ECHO_LIMIT = 40
#: Default and absolute limits for free text.
DEFAULT_TEXT_MAX = 1000

_LIST_SEPARATORS = re.compile(r"[,;，、；/]+|\s+and\s+|\s+和\s*")


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


@dataclass(frozen=True)
class OptionMatcher:
    """Matches typed text to options by number, code, label in any locale or synonym."""

    options: Sequence[Option]
    catalogs: Catalogs
    synonyms: dict[str, Sequence[str]]

    def _names(self, option: Option) -> set[str]:
        names = {fold(option.value), fold(option.value.replace("_", " "))}
        label = option.label
        if isinstance(label, Msg):
            names.update(fold(name) for name in self.catalogs.labels(label.id))
        else:
            names.update(fold(self.catalogs.render(label, loc)) for loc in self.catalogs.locales)
        names.update(fold(s) for s in self.synonyms.get(option.value, ()))
        return names

    def match(self, token: str) -> str | None:
        """Return the option value that ``token`` picks, or ``None``."""
        folded = fold(token)
        if not folded:
            return None
        if folded.isdigit():
            index = int(folded)
            return self.options[index - 1].value if 1 <= index <= len(self.options) else None
        exact = [o.value for o in self.options if folded in self._names(o)]
        if len(exact) == 1:
            return exact[0]
        if len(folded) >= 3:
            prefixed = [
                o.value for o in self.options if any(n.startswith(folded) for n in self._names(o))
            ]
            if len(prefixed) == 1:
                return prefixed[0]
        return None


def parse_choice(text: str, matcher: OptionMatcher) -> Verdict:
    """One option out of the list."""
    value = matcher.match(text)
    if value is not None:
        return Accepted(value)
    return Rejected(
        Msg("error.choice", {"input": echo(text), "count": len(matcher.options)}),
        show_options=True,
    )


def parse_multi(
    text: str, matcher: OptionMatcher, least: int, most: int, none_words: frozenset[str]
) -> Verdict:
    """Several options, separated by commas or spaces between numbers."""
    folded = fold(text)
    if least == 0 and folded in none_words:
        return Accepted([])
    tokens = [t for t in _LIST_SEPARATORS.split(text) if t.strip()]
    if len(tokens) == 1 and all(part.isdigit() for part in fold(text).split()):
        tokens = fold(text).split()
    chosen: list[str] = []
    for token in tokens:
        value = matcher.match(token)
        if value is None:
            return Rejected(
                Msg(
                    "error.multi_choice",
                    {"input": echo(token), "count": len(matcher.options), "max": most},
                ),
                show_options=True,
            )
        if value not in chosen:
            chosen.append(value)
    if not least <= len(chosen) <= most:
        return Rejected(
            Msg("error.multi_count", {"min": least, "max": most, "given": len(chosen)}),
            show_options=True,
        )
    return Accepted(chosen)


def parse_scale(text: str, least: int, most: int) -> Verdict:
    """A whole number within ``least..most``."""
    folded = fold(text)
    try:
        number = int(folded)
    except ValueError:
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
