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
    """Case- and width-folded form for matching words, numbers and labels (invisibles removed)."""
    folded = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)).casefold()
    return _SPACES.sub(" ", folded).strip(" .!?。！？")


def has_words(text: str) -> bool:
    """Whether ``text`` has at least one letter or digit in any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
