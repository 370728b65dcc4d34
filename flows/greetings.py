"""Greetings ("hi", "hello, I am back", "你好，我回来了"): not an answer, so never a failed try.

The words live in the catalogs (``greeting.words`` per locale). A message is a
greeting when it is made of nothing but those words and phrases, so "hello, the
bus stop is too far" is still an answer.
"""

from __future__ import annotations

import re

from flows.catalog import Catalogs
from flows.normalize import fold

_SPLIT = re.compile(r"[\W_]+")
#: Longer messages are answers, whatever words they use.
_MAX_LENGTH = 60


class Greetings:
    """Recognises greetings in every locale of ``catalogs``.

    Args:
        catalogs: The message catalogs (their ``greeting.words``).
    """

    def __init__(self, catalogs: Catalogs) -> None:
        phrases = {_tokens(p) for p in catalogs.all_words("greeting.words")} - {()}
        self._phrases = sorted(phrases, key=len, reverse=True)
        self._singles = sorted((p[0] for p in phrases if len(p) == 1), key=len, reverse=True)

    def __call__(self, text: str) -> bool:
        """Whether ``text`` only greets."""
        folded = fold(text)
        if not folded or len(folded) > _MAX_LENGTH:
            return False
        tokens = _tokens(folded)
        if not tokens:
            return False
        index = 0
        while index < len(tokens):
            match = next(
                (p for p in self._phrases if tuple(tokens[index : index + len(p)]) == p), None
            )
            if match is not None:
                index += len(match)
                continue
            # Scripts written without spaces ("你好我回来了"): a token made of greeting words.
            if not _composed_of(tokens[index], self._singles):
                return False
            index += 1
        return True


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(t for t in _SPLIT.split(fold(text)) if t)


def _composed_of(token: str, words: list[str]) -> bool:
    rest = token
    while rest:
        word = next((w for w in words if rest.startswith(w)), None)
        if word is None:
            return False
        rest = rest[len(word) :]
    return True
