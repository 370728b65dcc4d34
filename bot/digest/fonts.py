"""Fonts for pictures: the shipped families, registered once, and a glyph-coverage check.

DejaVu Sans (inside matplotlib) covers Latin, Greek and Cyrillic; Chinese comes from the
Noto Sans CJK collection shipped as the ``noto-cjk-sans-otc`` wheel. Matplotlib falls back
through :data:`FAMILIES` glyph by glyph, so a label mixing scripts draws in one line.
Nothing is downloaded: a font that is not installed as a package is simply absent, and
:func:`missing_glyphs` says which characters would then be drawn as boxes.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from matplotlib import font_manager

#: Family fallback list handed to every text artist, in preference order.
FAMILIES: tuple[str, ...] = ("DejaVu Sans", "Noto Sans CJK SC")


@dataclass(frozen=True)
class FontPackage:
    """A font shipped as a Python package: where its file lies and what it covers."""

    family: str
    module: str
    attribute: str
    pip_name: str
    scripts: tuple[str, ...]


#: Fonts that come from the package index (pinned in pyproject.toml).
PACKAGES: tuple[FontPackage, ...] = (
    FontPackage("Noto Sans CJK SC", "noto_cjk_sans_otc", "FONT_PATH", "noto-cjk-sans-otc", ("zh",)),
)

#: A few characters per shipped locale that a picture in that language must be able to draw.
SAMPLES: dict[str, str] = {
    "en": "Stakeholder map: power & interest, 0123456789 – “quotes” …",
    "zh": "利益相关者地图：权力与利益，城市实验室，公交公司，诊所预约。",
    "es": "Mapa de actores: poder e interés, ¿cómo?, ¡sí!, año, acción, pingüino.",
    "fr": "Carte des acteurs : pouvoir et intérêt, « Économie », Mairie, Hôpital, Œuvre, ça, où…",
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
    return str(path) if path.is_file() else None


def families() -> list[str]:
    """The family list for text artists: :data:`FAMILIES`, fonts registered first."""
    register_fonts()
    return list(FAMILIES)


def _fonts_in_use() -> list[object]:
    register_fonts()
    paths = []
    for family in FAMILIES:
        prop = font_manager.FontProperties(family=family)
        try:
            paths.append(font_manager.findfont(prop, fallback_to_default=False))
        except ValueError:
            continue
    return [font_manager.get_font(path) for path in paths]


def missing_glyphs(text: str) -> set[str]:
    """Characters of ``text`` that no font of :data:`FAMILIES` can draw.

    White space, control and format characters (joiners, direction marks) are not
    drawn as glyphs and are never reported.
    """
    fonts = _fonts_in_use()
    missing: set[str] = set()
    for char in set(text):
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            continue
        if not any(font.get_char_index(ord(char)) for font in fonts):  # type: ignore[attr-defined]
            missing.add(char)
    return missing


def missing_for_locale(locale: str) -> set[str]:
    """Characters of the locale's sample that the installed fonts cannot draw."""
    return missing_glyphs(SAMPLES.get(locale, ""))


def package_for_locale(locale: str) -> FontPackage | None:
    """The font package that covers ``locale``'s script, when one is shipped."""
    return next((p for p in PACKAGES if locale in p.scripts), None)
