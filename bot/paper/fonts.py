"""Font files for the paper form, all from installed packages (nothing is downloaded).

DejaVu Sans comes inside matplotlib; Chinese from the Noto Sans CJK collection
(the ``noto-cjk-sans-otc`` wheel); Arabic from Amiri (the ``fontpkg-amiri`` wheel).
Every font used is embedded in the PDF.

Why Amiri and not the pictures' Noto Sans Arabic: Noto Sans Arabic draws a letter's
dots as glyphs of their own, which a PDF cannot map back to a character, so the text
read from the form (by a screen reader, a search, a copy) came out broken. Amiri draws
each letter as one glyph, and it is a Naskh face made for print.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

#: The face of the CJK collection that the form uses.
CJK_FACE = "Noto Sans CJK SC"


class FontMissing(RuntimeError):
    """A font the form's language needs is not installed; the message names the package."""


@dataclass(frozen=True)
class FormFont:
    """A font file to embed, and the face within a collection."""

    family: str
    path: Path
    face: int = 0


def dejavu() -> FormFont:
    """DejaVu Sans as shipped with matplotlib (Latin, Greek, Cyrillic)."""
    spec = find_spec("matplotlib")
    roots = list(spec.submodule_search_locations or []) if spec else []
    for root in roots:
        path = Path(root) / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"
        if path.exists():
            return FormFont("dejavu", path)
    raise FontMissing("DejaVu Sans (part of matplotlib) is missing: pip install matplotlib")


def cjk() -> FormFont:
    """Noto Sans CJK SC from the ``noto-cjk-sans-otc`` wheel."""
    try:
        package = import_module("noto_cjk_sans_otc")
    except ImportError as exc:
        raise FontMissing(
            "the Chinese font (Noto Sans CJK) is missing: pip install noto-cjk-sans-otc"
        ) from exc
    path = Path(str(package.FONT_PATH))
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    face = next(
        (i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1) == CJK_FACE), 0
    )
    return FormFont("cjk", path, face)


def arabic() -> FormFont:
    """Amiri from the ``fontpkg-amiri`` wheel."""
    try:
        package = import_module("fontpkg_amiri")
    except ImportError as exc:
        raise FontMissing("the Arabic font (Amiri) is missing: pip install fontpkg-amiri") from exc
    return FormFont("arabic", Path(str(package.ROOT)) / "files" / "Amiri-Regular.ttf")


def fonts_for(locale: str) -> list[FormFont]:
    """The fonts a form in ``locale`` uses, main font first, then fallbacks.

    Raises:
        FontMissing: A font the language needs is not installed.
    """
    if locale == "zh":
        return [cjk(), dejavu()]
    if locale == "ar":
        return [arabic(), dejavu()]
    fonts = [dejavu()]
    with suppress(FontMissing):  # a workshop title or scenario in Chinese still prints
        fonts.append(cjk())
    return fonts
