"""Clean up raw participant text before interpreting it."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_text(raw: str) -> str:
    """Return ``raw`` in NFC with control and direction-override characters removed.

    Line breaks are kept, runs of spaces are collapsed and the ends are stripped.
    """
    text = unicodedata.normalize("NFC", raw)
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def fold(text: str) -> str:
    """Case- and width-folded form for matching words, numbers and labels."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", folded).strip(" .!?。！？")


def has_words(text: str) -> bool:
    """Whether ``text`` has at least one letter or digit in any script."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)
