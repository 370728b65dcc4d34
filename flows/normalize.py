"""Clean up raw participant text before interpreting it."""

from __future__ import annotations

import re
import unicodedata

from flows.direction import strip_marks

#: Control characters nobody types (line breaks and tabs are kept); PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: Characters that show nothing: format characters (zero-width spaces and joiners,
#: direction marks and overrides, the byte-order mark), controls and spaces.
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e"
    r"\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
#: Arabic short vowels and other marks (tashkeel) and the tatweel that only stretches a
#: word: optional in writing, so "مُساعدة" and "مساعدة" are the same word.
_ARABIC_MARKS = re.compile(
    r"[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed]"
)
#: Arabic-Indic (٠-٩) and Persian (۰-۹) digits read as 0-9, so "١، ٣" picks options 1 and 3.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
#: Sentence marks a word may end with: Latin, CJK and Arabic (question mark, comma, semicolon).
_END_MARKS = " .!?。！？؟،؛"


def clean_text(raw: str) -> str:
    r"""Return ``raw`` as typed, or ``""`` when it shows nothing at all.

    Only what nobody types is changed: ``\r\n`` and ``\r`` become ``\n``, control
    characters other than line breaks and tabs are removed, bidi formatting
    characters (RLM, isolates, overrides: what a copy of the bot's right-to-left
    text brings along, see :mod:`flows.direction`) are removed, and the ends are
    stripped. Zero-width characters are kept (``@\u200beveryone`` is stored as
    typed, the joiner in ``می\u200cخواهم`` is spelling; adapters make text safe
    when they display it); text made only of invisible characters counts as empty.
    """
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = strip_marks(_CONTROL.sub("", text)).strip()
    if not _INVISIBLE.sub("", text).strip():
        return ""
    return text


def fold(text: str) -> str:
    """Folded form for matching words, numbers and labels.

    Case, width, Arabic marks and invisibles are removed; every script's digits become
    0-9; spaces are squeezed and end punctuation is dropped.
    """
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    folded = drop_arabic_marks(folded).translate(_DIGITS)
    return _SPACES.sub(" ", folded).strip(_END_MARKS)


def drop_arabic_marks(text: str) -> str:
    """``text`` without Arabic short vowels, other optional marks and tatweel."""
    return _ARABIC_MARKS.sub("", text)


def has_words(text: str) -> bool:
    """Whether ``text`` has at least one letter or digit in any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
