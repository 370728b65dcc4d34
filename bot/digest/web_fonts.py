"""Fonts inside the HTML report, so Chinese reads on a machine that has no CJK font.

The report must open anywhere, printed or on a council's laptop, with nothing
downloaded. The shipped Noto Sans CJK collection (the ``noto-cjk-sans-otc`` wheel)
is cut down to the characters the report uses (fontTools' subsetter, a few hundred
kilobytes) and embedded as a data URI. Latin text keeps the reader's system font.
"""

from __future__ import annotations

import base64
import io
import logging
import unicodedata
from functools import lru_cache

from bot.digest.fonts import PACKAGES, font_path

log = logging.getLogger(__name__)

#: The family name the report's CSS uses for the embedded face.
FAMILY = "CityNeeds CJK"
_FACE = "Noto Sans CJK SC"
#: Where the embedded face applies: listed first in the CSS, it draws only CJK text, so a
#: Han character next to Latin punctuation never falls back to a font without it.
UNICODE_RANGE = (
    "U+2E80-9FFF,U+A960-A97F,U+AC00-D7FF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF,U+20000-2FFFF"
)
_CJK_NAMES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH", "BOPOMOFO")


def needs_cjk(char: str) -> bool:
    """Whether ``char`` is drawn from the CJK font (Han, kana, hangul, CJK punctuation)."""
    if ord(char) < 0x2E80:
        return False
    name = unicodedata.name(char, "")
    return any(
        word in name
        for word in (
            "CJK",
            "HIRAGANA",
            "KATAKANA",
            "HANGUL",
            "IDEOGRAPHIC",
            "FULLWIDTH",
            "BOPOMOFO",
        )
    )


@lru_cache(maxsize=8)
def _subset(chars: str) -> bytes | None:
    package = next((p for p in PACKAGES if p.family == _FACE), None)
    path = font_path(package) if package is not None else None
    if path is None:
        return None
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    collection = TTCollection(path, lazy=True)
    index = next(
        (i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == _FACE), 0
    )
    font = TTFont(path, fontNumber=index, lazy=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def font_face_css(text: str) -> str:
    """An ``@font-face`` rule with the CJK characters of ``text`` (empty when none)."""
    chars = "".join(sorted({c for c in text if needs_cjk(c)}))
    if not chars:
        return ""
    try:
        data = _subset(chars)
    except Exception:  # a broken font must not cost the report: the system font is used
        log.warning("cannot embed the CJK font in the report", exc_info=True)
        return ""
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'@font-face{{font-family:"{FAMILY}";'
        f'src:url(data:font/otf;base64,{encoded}) format("opentype");'
        f"unicode-range:{UNICODE_RANGE};font-display:block;}}"
    )
