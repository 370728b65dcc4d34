"""An Arabic workshop's map and grid: joined letters, read from the right, nothing missing.

Scenarios: a workshop held only in Arabic (Arabic title and stakeholder names) is drawn
in Arabic. Its labels must be shaped, not strings of isolated letters: the glyphs drawn
for "مجلس" (council) are the joined forms, other glyphs than the font's isolated ones
for its letters, and the word is narrower than its letters set apart, while a Latin
word is drawn with exactly its letters' glyphs. The glyphs are read from the SVG copy,
which draws every text as outlines named after the font's glyphs. The map is mirrored
(domains at the right), every text has its glyphs, and no two labels overlap: on the
map, and inside the grid. (The lines of the grid's side list and key are 0.019 of the
figure apart: Noto Sans Arabic's text boxes, ascent to descent, are taller than that,
though the letters themselves stay apart; so only the plot's labels are measured.)
On a machine without the Arabic font package, the doctor names it and its fix.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.digest import fonts
from bot.digest.grid import grid_figure
from bot.digest.label_layout import drawn_texts, overlapping
from bot.digest.metrics import DigestMetrics, compute_metrics
from bot.digest.picture import font, map_figure, svg_bytes
from bot.testing.snapshots import synthetic_snapshot
from flows.catalog import Catalogs, load_catalogs
from flows.direction import strip_marks

TITLE = "ورشة احتياجات حي النهر"
ARABIC_NAMES = {
    "City council": "مجلس المدينة",
    "Health department": "إدارة الصحة",
    "Transport authority": "هيئة النقل",
    "Social services": "الخدمات الاجتماعية",
    "Bus operator": "شركة الحافلات",
    "Urban lab": "مختبر المدينة",
    "Residents' association": "جمعية السكان",
    "Food bank": "بنك الطعام",
}
COUNCIL = "مجلس"


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return load_catalogs()


@pytest.fixture(scope="module")
def arabic_only() -> DigestMetrics:
    snap = synthetic_snapshot(40, seed=3, title=TITLE)
    stakeholders = tuple(
        replace(s, name=ARABIC_NAMES.get(s.name, s.name.replace("Neighbourhood group", "مجموعة")))
        for s in snap.stakeholders
    )
    header = replace(snap.workshop, languages=("ar",))
    return compute_metrics(replace(snap, workshop=header, stakeholders=stakeholders))


def glyphs_drawn(fig: Figure, label: str) -> list[int]:
    """Glyph indices drawn for ``label``, left to right, from the figure's SVG outlines."""
    svg = svg_bytes(fig, "test").decode("utf-8")
    start = svg.index(f"<!-- {label} -->")
    end = svg.index("</g>", svg.index("<use", start))
    return [int(g, 16) for g in re.findall(r'xlink:href="#[^"]*-([0-9a-f]+)"', svg[start:end])]


def arabic_font() -> object:
    return font_manager.get_font(fonts.register_fonts()["Noto Sans Arabic"])


def test_arabic_labels_are_drawn_with_joined_letters(arabic_only: DigestMetrics) -> None:
    fig = map_figure(arabic_only, catalogs=load_catalogs(), locale="ar")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    face = arabic_font()
    isolated = [face.get_char_index(ord(c)) for c in COUNCIL]  # type: ignore[attr-defined]
    label = "مجلس المدينة"
    assert label in {t.get_text() for t in drawn_texts(fig)}
    fig.text(0.5, 0.02, COUNCIL, fontproperties=font(9, "ar"))
    fig.text(0.5, 0.04, "Bus", fontproperties=font(9, "ar"))
    drawn = glyphs_drawn(fig, COUNCIL)
    # Joined forms: none of the four letters is drawn in its isolated form ...
    assert len(drawn) >= len(COUNCIL) and not set(drawn) & set(isolated)
    # ... and the label in the map is drawn from the same joined glyphs.
    assert set(drawn) <= set(glyphs_drawn(fig, label))
    # Control: a Latin word is drawn with its letters' own glyphs, in order.
    assert glyphs_drawn(fig, "Bus") == [face.get_char_index(ord(c)) for c in "Bus"]  # type: ignore[attr-defined]
    word = fig.text(0, 0, COUNCIL, fontproperties=font(9, "ar")).get_window_extent(renderer)
    apart = sum(
        fig.text(0, 0, c, fontproperties=font(9, "ar")).get_window_extent(renderer).width
        for c in COUNCIL
    )
    assert word.width < apart * 0.9


def test_the_arabic_map_reads_from_the_right(
    arabic_only: DigestMetrics, catalogs: Catalogs
) -> None:
    fig = map_figure(arabic_only, catalogs=catalogs, locale="ar")
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    ar = catalogs.messages["ar"]
    # Catalog texts may carry direction marks (RLM, isolates); they are not drawn.
    texts = {strip_marks(t.get_text()): t for t in fig.findobj(Text) if isinstance(t, Text)}
    domains = texts[ar["picture.map_col_domains"]].get_window_extent(renderer)
    modules = texts[ar["picture.map_col_modules"]].get_window_extent(renderer)
    assert domains.x0 > modules.x1  # macro at the right, micro at the left
    council = texts["مجلس المدينة"]
    assert council.get_horizontalalignment() == "right"  # reads leftwards from its marker
    assert strip_marks(fig.axes[0].get_title()) == ar["picture.map_title"].format(title=TITLE)


def test_the_arabic_pictures_have_every_glyph_and_no_overlap(
    arabic_only: DigestMetrics, catalogs: Catalogs
) -> None:
    assert fonts.families("ar")[0] == "Noto Sans Arabic"
    assert fonts.missing_for_locale("ar") == set()
    map_fig = map_figure(arabic_only, catalogs=catalogs, locale="ar")
    grid_fig = grid_figure(arabic_only, catalogs=catalogs, locale="ar")
    for fig, measured in ((map_fig, drawn_texts(map_fig)), (grid_fig, grid_fig.axes[0].texts)):
        texts = [t for t in fig.findobj(Text) if isinstance(t, Text)]
        missing = {t.get_text(): fonts.missing_glyphs(t.get_text(), "ar") for t in texts}
        assert {text: chars for text, chars in missing.items() if chars} == {}
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        assert len(measured) > 10
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in measured]
        clashes = [
            (a, b)
            for i, (a, box_a) in enumerate(boxes)
            for b, box_b in boxes[i + 1 :]
            if overlapping(box_a, box_b)
        ]
        assert clashes == []


#: Makes ``import fontpkg_noto_sans_arabic`` fail, as on a machine without the wheel.
HIDE_ARABIC_FONT = """
import sys
from importlib.abc import MetaPathFinder


class HideFontPackage(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "fontpkg_noto_sans_arabic":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, HideFontPackage())
"""
DOCTOR_FONTS = (
    "from bot.cli.doctor_cmd import check_fonts\n"
    "for finding in check_fonts():\n"
    "    print(finding.line())\n"
)


def test_without_the_arabic_font_package_the_doctor_names_it(tmp_path: Path) -> None:
    (tmp_path / "sitecustomize.py").write_text(HIDE_ARABIC_FONT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(Path(__file__).parents[2])])
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    done = subprocess.run(
        [sys.executable, "-c", DOCTOR_FONTS],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = {line.split(": ", 1)[0]: line for line in done.stdout.splitlines()}
    line = lines["[FAIL] fonts ar"]
    # DejaVu Sans has basic Arabic glyphs, yet the Arabic texts are not taken as drawn.
    assert "font 'Noto Sans Arabic' is missing: " in line
    assert line.endswith(
        "fix: pip install fontpkg-noto-sans-arabic (or `make install`, which pins it)"
    )
    assert lines["[ok] fonts zh"].startswith("[ok] fonts zh: every character drawn")
