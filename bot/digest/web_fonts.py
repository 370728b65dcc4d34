"""Fonts inside the HTML report, so Chinese and Arabic read on a machine without them.

The report must open anywhere, printed or on a council's laptop, with nothing
downloaded. The shipped Noto Sans CJK collection (the ``noto-cjk-sans-otc`` wheel) and
Noto Sans Arabic (``fontpkg-noto-sans-arabic``) are cut down to the characters the
report uses (fontTools' subsetter, a few hundred kilobytes at most) and embedded as data
URIs, the Arabic one with its shaping tables, so the browser joins the letters. Latin
text keeps the reader's system font.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.digest.fonts import PACKAGES, font_path

log = logging.getLogger(__name__)

#: The family name the report's CSS uses for the embedded CJK face.
FAMILY = "CityNeeds CJK"
#: The family name the report's CSS uses for the embedded Arabic face.
ARABIC_FAMILY = "CityNeeds Arabic"
_FACE = "Noto Sans CJK SC"
#: Where the embedded face applies: listed first in the CSS, it draws only CJK text, so a
#: Han character next to Latin punctuation never falls back to a font without it.
UNICODE_RANGE = (
    "U+2E80-9FFF,U+A960-A97F,U+AC00-D7FF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF,U+20000-2FFFF"
)
#: Arabic letters, marks and presentation forms, and the joiners shaping reads.
ARABIC_RANGE = "U+0600-06FF,U+0750-077F,U+08A0-08FF,U+FB50-FDFF,U+FE70-FEFF,U+200C-200D"
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_CJK_NAMES = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "IDEOGRAPHIC", "FULLWIDTH", "BOPOMOFO")


def needs_cjk(char: str) -> bool:
    """Whether ``char`` is drawn from the CJK font (Han, kana, hangul, CJK punctuation)."""
    if ord(char) < 0x2E80:
        return False
    name = unicodedata.name(char, "")
    return any(word in name for word in _CJK_NAMES)


def needs_arabic(char: str) -> bool:
    """Whether ``char`` is drawn from the Arabic font (Arabic letters, marks, digits)."""
    return _ARABIC.fullmatch(char) is not None


@dataclass(frozen=True)
class _WebFace:
    family: str
    package: str  # the family of the font package in bot.digest.fonts
    unicode_range: str
    mime: str
    format: str
    weights: str = ""  # a variable font's weight range, so bold is the font's own


_CJK_FACE = _WebFace(FAMILY, _FACE, UNICODE_RANGE, "font/otf", "opentype")
_ARABIC_FACE = _WebFace(
    ARABIC_FAMILY, "Noto Sans Arabic", ARABIC_RANGE, "font/ttf", "truetype", "100 900"
)


@lru_cache(maxsize=16)
def _subset(package_family: str, chars: str) -> bytes | None:
    package = next((p for p in PACKAGES if p.family == package_family), None)
    path = font_path(package) if package is not None else None
    if path is None:
        return None
    from fontTools import subset
    from fontTools.ttLib import TTCollection, TTFont

    if path.endswith((".ttc", ".otc")):
        collection = TTCollection(path, lazy=True)
        index = next(
            (
                i
                for i, f in enumerate(collection.fonts)
                if f["name"].getDebugName(1) == package_family
            ),
            0,
        )
        font = TTFont(path, fontNumber=index, lazy=True)
    else:
        font = TTFont(path, lazy=True)
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _face_css(face: _WebFace, chars: str) -> str:
    try:
        data = _subset(face.package, chars)
    except Exception:  # a broken font must not cost the report: the system font is used
        log.warning("cannot embed the %s font in the report", face.package, exc_info=True)
        return ""
    if data is None:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    weights = f"font-weight:{face.weights};" if face.weights else ""
    return (
        f'@font-face{{font-family:"{face.family}";'
        f'src:url(data:{face.mime};base64,{encoded}) format("{face.format}");'
        f"{weights}unicode-range:{face.unicode_range};font-display:block;}}"
    )


def font_face_css(text: str) -> str:
    """``@font-face`` rules with the CJK and the Arabic characters of ``text`` (or empty)."""
    rules = []
    cjk = "".join(sorted({c for c in text if needs_cjk(c)}))
    if cjk:
        rules.append(_face_css(_CJK_FACE, cjk))
    arabic = "".join(sorted({c for c in text if needs_arabic(c)}))
    if arabic:
        # The joiners go with the letters: they steer the shaping.
        rules.append(_face_css(_ARABIC_FACE, arabic + "\u200c\u200d"))
    return "".join(rules)
