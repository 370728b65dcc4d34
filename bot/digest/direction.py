"""Which locales are written right to left, and the bidi marks that drawn text can drop.

The pictures, the paper form and the HTML report lay a right-to-left locale out
mirrored. Matplotlib's layout (libraqm), fpdf2's text engine and browsers each run
the Unicode bidirectional algorithm themselves; the paper form and the pictures draw
text without the invisible direction marks a chat message may carry, since a font
has no glyph for them.
"""

from __future__ import annotations

import re

#: Languages written right to left that the catalogs may ship.
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})

#: Bidi formatting characters: ALM, LRM, RLM, embeddings, overrides, isolates.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def is_rtl(locale: str) -> bool:
    """Whether ``locale`` (``ar``, ``ar-SA``, ``he_IL``) is written right to left."""
    return locale.replace("_", "-").split("-", 1)[0].lower() in RTL_LANGUAGES


def without_marks(text: str) -> str:
    """``text`` without bidi formatting characters (zero-width joiners are kept)."""
    return _BIDI_CONTROLS.sub("", text)
