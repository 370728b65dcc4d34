"""Normalised keys that let the map merge the same stakeholder named by different people."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def stakeholder_key(name: str) -> str:
    """Fold case, width, spacing and punctuation: ``"The City  Council!"`` → ``"city council"``."""
    folded = unicodedata.normalize("NFKC", name).casefold()
    words = [w for w in _NOT_WORD.split(folded) if w]
    if len(words) > 1 and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)[:200] or folded[:200]
