"""Match what a participant typed to one of the options on offer (accessibility rule 9).

An option is picked by its number, its code, its label in any locale, a synonym
(from the script or the library), a unique prefix of any of these or of one of
their words, and all of that whatever the case, width (``ＭＵＳＴ``), spacing or
punctuation (``won't``, ``wont``, ``Must-have``). When the text fits several
options, or none exactly but some closely, the matcher says which: the engine
then offers those few as a short menu instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property

from flows.catalog import Catalogs
from flows.messages import Option
from flows.normalize import fold
from flows.text import Msg

#: Shortest prefix that picks an option, in letters of an alphabet: of a whole name, and of
#: one word of a name ("hea" for "Health and care", "recy" for "Waste and recycling");
#: one ideograph is enough ("医").
MIN_PREFIX = 3
MIN_WORD_PREFIX = 4
MIN_PREFIX_IDEOGRAPHIC = 1
#: How alike a typo must be to an option's name to be offered (0..1), and how many are offered.
CLOSE_ENOUGH = 0.75
MOST_SUGGESTIONS = 3

#: What separates the words of a label ("Health and care", "出行与交通", "文化、体育与休闲").
_WORD_SPLIT = re.compile(r"[\s,;:/()（）、，；：·&]+|\band\b|\bor\b|[与和及或]")
#: What spelling variants differ by: spaces, hyphens, apostrophes, dots.
_NOISE = re.compile(r"[\s\-_'’‘`´.·]+")
#: Arabic letters often typed one for the other: alef with or without hamza or madda,
#: final yeh and alef maksura, teh marbuta and heh ("الصحة", "الصحه").
_ARABIC_LETTERS = str.maketrans("أإآٱىة", "اااايه")
#: What may be joined to the front of an Arabic word: "and", "with", "for", and the article
#: ("والسكن", "السكن", "سكن" name the same option).
_ARABIC_PREFIX = re.compile(r"^(?:و|ف)?(?:(?:ب|ك)?ال|لل)")


def compact(text: str) -> str:
    """``text`` folded and without spaces, hyphens, apostrophes or dots (for matching)."""
    return _NOISE.sub("", fold(text)).translate(_ARABIC_LETTERS)


def _bare(word: str) -> str:
    """An Arabic word without its article and joined particles ("والصحه" -> "صحه")."""
    rest = _ARABIC_PREFIX.sub("", word)
    return rest if len(rest) >= 2 else word


def _ideographic(text: str) -> bool:
    return any(unicodedata.east_asian_width(ch) in "WF" for ch in text)


@dataclass(frozen=True)
class OptionMatch:
    """What a typed text picks.

    Attributes:
        value: The option picked, when exactly one fits.
        candidates: Otherwise the positions (0-based) of the options it might mean,
            closest first (empty when nothing is near).
        ambiguous: The candidates all fit equally (a shared prefix) rather than
            being near misses.
    """

    value: str | None
    candidates: tuple[int, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class _Names:
    whole: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class OptionMatcher:
    """Matches typed text to options by number, code, label in any locale or synonym.

    Args:
        options: The options on offer, in the order they are numbered.
        catalogs: For the labels in every locale.
        synonyms: Extra words per option value, besides each option's own.
    """

    options: Sequence[Option]
    catalogs: Catalogs
    synonyms: Mapping[str, Sequence[str]] = field(default_factory=dict)

    @cached_property
    def _names(self) -> tuple[_Names, ...]:
        return tuple(self._names_of(option) for option in self.options)

    def _names_of(self, option: Option) -> _Names:
        texts = {option.value, option.value.replace("_", " ")}
        label = option.label
        if isinstance(label, Msg):
            texts.update(self.catalogs.labels(label.id))
        else:
            texts.update(self.catalogs.render(label, loc) for loc in self.catalogs.locales)
        texts.update(option.synonyms)
        texts.update(self.synonyms.get(option.value, ()))
        whole = {compact(t) for t in texts} - {""}
        words = {compact(w) for t in texts for w in _WORD_SPLIT.split(fold(t))} - {""}
        words |= {_bare(w) for w in words}
        return _Names(frozenset(whole), frozenset(words))

    def match(self, token: str) -> str | None:
        """Return the option value that ``token`` picks, or ``None``."""
        return self.resolve(token).value

    def resolve(self, token: str) -> OptionMatch:
        """What ``token`` picks, or which few options it might mean."""
        folded = fold(token)
        key = compact(token)
        if not key:
            return OptionMatch(None)
        if folded.isdigit():
            index = int(folded)
            if 1 <= index <= len(self.options):
                return OptionMatch(self.options[index - 1].value)
            return OptionMatch(None)
        for test in (
            lambda n: key in n.whole,
            lambda n: key in n.words or _bare(key) in n.words,
            self._prefix_test(key),
        ):
            hits = tuple(i for i, names in enumerate(self._names) if test(names))
            if len(hits) == 1:
                return OptionMatch(self.options[hits[0]].value)
            if hits:
                return OptionMatch(None, hits[:MOST_SUGGESTIONS], ambiguous=True)
        return OptionMatch(None, self._close(key))

    def _prefix_test(self, key: str) -> _PrefixTest:
        if _ideographic(key):
            return _PrefixTest(key, len(key) >= MIN_PREFIX_IDEOGRAPHIC, True)
        return _PrefixTest(key, len(key) >= MIN_PREFIX, len(key) >= MIN_WORD_PREFIX)

    def _close(self, key: str) -> tuple[int, ...]:
        scored: list[tuple[float, int]] = []
        for index, names in enumerate(self._names):
            best = max(
                (SequenceMatcher(None, key, name).ratio() for name in names.whole | names.words),
                default=0.0,
            )
            if best >= CLOSE_ENOUGH:
                scored.append((best, index))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        return tuple(index for _, index in scored[:MOST_SUGGESTIONS])


@dataclass(frozen=True)
class _PrefixTest:
    key: str
    of_whole: bool
    of_word: bool

    def __call__(self, names: _Names) -> bool:
        if self.of_whole and any(n.startswith(self.key) for n in names.whole):
            return True
        return self.of_whole and self.of_word and any(n.startswith(self.key) for n in names.words)
