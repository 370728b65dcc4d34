"""Fonts for pictures: the shipped families, registered once, and a glyph-coverage check.

DejaVu Sans (inside matplotlib) covers Latin, Greek and Cyrillic; Chinese comes from the
Noto Sans CJK collection shipped as the ``noto-cjk-sans-otc`` wheel, Arabic from Noto Sans
Arabic (the ``fontpkg-noto-sans-arabic`` wheel; matplotlib's libraqm layout shapes and
orders it, so labels are given in logical order, never pre-shaped). Matplotlib falls back
through :data:`FAMILIES` glyph by glyph, so a label mixing scripts draws in one line.
Nothing is downloaded: a font that is not installed as a package is simply absent, and
:func:`missing_glyphs` says which characters would then be drawn as boxes.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from matplotlib import font_manager

#: Family fallback list handed to every text artist, in preference order.
FAMILIES: tuple[str, ...] = ("DejaVu Sans", "Noto Sans CJK SC", "Noto Sans Arabic")


@dataclass(frozen=True)
class FontPackage:
    """A font shipped as a Python package: where its file lies and what it covers.

    Attributes:
        family: The family name the font registers.
        module: The package's import name.
        attribute: The module attribute holding the font file's path, or its folder.
        pip_name: What to install when it is missing.
        scripts: The locales whose script it draws.
        file: The font file below the folder ``attribute`` names (empty: it names the file).
        owns: A character class of the script it must draw in those locales' pictures
            (empty: any font of the list may). DejaVu Sans has basic glyphs for Arabic;
            an Arabic picture is drawn in Noto Sans Arabic, listed first for it.
    """

    family: str
    module: str
    attribute: str
    pip_name: str
    scripts: tuple[str, ...]
    file: str = ""
    owns: str = ""


#: Fonts that come from the package index (pinned in pyproject.toml).
PACKAGES: tuple[FontPackage, ...] = (
    FontPackage("Noto Sans CJK SC", "noto_cjk_sans_otc", "FONT_PATH", "noto-cjk-sans-otc", ("zh",)),
    FontPackage(
        "Noto Sans Arabic",
        "fontpkg_noto_sans_arabic",
        "ROOT",
        "fontpkg-noto-sans-arabic",
        ("ar",),
        "files/NotoSansArabic[wdth,wght].ttf",
        "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]",
    ),
)

#: A few characters per shipped locale that a picture in that language must be able to draw.
SAMPLES: dict[str, str] = {
    "en": "Stakeholder map: power & interest, 0123456789 – “quotes” …",
    "zh": "利益相关者地图：权力与利益，城市实验室，公交公司，诊所预约。",
    "es": "Mapa de actores: poder e interés, ¿cómo?, ¡sí!, año, acción, pingüino.",
    "fr": "Carte des acteurs : pouvoir et intérêt, « Économie », Mairie, Hôpital, Œuvre, ça, où…",
    "ar": "خريطة الأطراف المعنية: القدرة والاهتمام، مجلس المدينة، الصحة، «المواصلات»، ١٢٣، لا؟",
}

_lock = threading.Lock()
_registered: dict[str, str] | None = None


def register_fonts() -> dict[str, str]:
    """Add the shipped font packages to matplotlib's font manager (once per process).

    Returns:
        Family name → file path of every font package found (absent packages are left out).
    """
    global _registered
    with _lock:
        if _registered is None:
            found: dict[str, str] = {}
            for package in PACKAGES:
                path = font_path(package)
                if path is not None:
                    font_manager.fontManager.addfont(path)
                    found[package.family] = path
            _registered = found
        return dict(_registered)


def font_path(package: FontPackage) -> str | None:
    """The font file of ``package``, or ``None`` when the package is not installed."""
    try:
        module = import_module(package.module)
    except ImportError:
        return None
    path = Path(str(getattr(module, package.attribute, "")))
    if package.file:
        path = path / package.file
    return str(path) if path.is_file() else None


def families(locale: str = "en") -> list[str]:
    """The family list for text artists in ``locale``'s pictures, fonts registered first.

    :data:`FAMILIES`, except that a package that owns its script (Arabic) leads the list
    in its locales: matplotlib takes each glyph from the first family that has it.
    """
    register_fonts()
    package = _owner(locale)
    if package is None:
        return list(FAMILIES)
    return [package.family, *(f for f in FAMILIES if f != package.family)]


def _owner(locale: str) -> FontPackage | None:
    package = package_for_locale(locale)
    return package if package is not None and package.owns else None


def _fonts_in_use(locale: str) -> dict[str, object]:
    register_fonts()
    found: dict[str, object] = {}
    for family in families(locale):
        prop = font_manager.FontProperties(family=family)
        try:
            path = font_manager.findfont(prop, fallback_to_default=False)
        except ValueError:
            continue
        found[family] = font_manager.get_font(path)
    return found


def missing_glyphs(text: str, locale: str = "en") -> set[str]:
    """Characters of ``text`` that no font of ``locale``'s family list can draw.

    In a locale whose script has its own package (Arabic), that script's characters
    count as drawn only by that package's font. White space, control and format
    characters (joiners, direction marks) are not drawn as glyphs and are never reported.
    """
    fonts = _fonts_in_use(locale)
    owner = _owner(locale)
    owned = re.compile(owner.owns) if owner is not None else None
    missing: set[str] = set()
    for char in set(text):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        candidates = list(fonts.values())
        if owner is not None and owned is not None and owned.fullmatch(char):
            candidates = [fonts[owner.family]] if owner.family in fonts else []
        if not any(font.get_char_index(ord(char)) for font in candidates):  # type: ignore[attr-defined]
            missing.add(char)
    return missing


def missing_for_locale(locale: str) -> set[str]:
    """Characters of the locale's sample that the installed fonts cannot draw."""
    return missing_glyphs(SAMPLES.get(locale, ""), locale)


def package_for_locale(locale: str) -> FontPackage | None:
    """The font package that covers ``locale``'s script, when one is shipped."""
    return next((p for p in PACKAGES if locale in p.scripts), None)
