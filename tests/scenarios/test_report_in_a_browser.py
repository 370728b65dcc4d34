"""A council member opens the Chinese (or Arabic) HTML report on a laptop without the font.

Headless Chromium (Debian's ``chromium``; ``.ci/run`` installs it where missing) is run
with a font configuration that holds only DejaVu, like a laptop with no Chinese font.
The Chinese title must still be drawn from the font embedded in the report: two
different Chinese titles give different pixels, while with the embedded font taken out
they give the same row of empty boxes. The pictures must be drawn: the map's orange
stakeholder markers and the grid's blue government squares appear on screen, and not
when the images are taken out.

The Arabic report reads from the right (``dir="rtl"``: its title stands at the right
edge) and its title is drawn from the embedded Noto Sans Arabic, on a machine whose
only font (DejaVu Serif) has no Arabic letter: as for Chinese, without the embedded
face two titles give the same row of empty boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image

from bot.core import load_core
from bot.digest.exports import export_files
from bot.testing.snapshots import synthetic_snapshot

TITLE = "河滨社区需求工作坊"
#: The same characters in another order: as wide, but other glyphs.
SHUFFLED = "坊作工求需区社滨河"
ORANGE = (0xFF, 0x7F, 0x0E)
BLUE = (0x1F, 0x77, 0xB4)
WIDTH, HEIGHT = 1200, 1800
#: Only the title and the pictures are shown, so both fit one screenshot.
ONLY_PICTURES = (
    "<style>body>section:not(.picture),p.svg,.words,body>p{display:none}"
    "figure{margin:0}</style></head>"
)


def chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed; .ci/run installs it with apt-get")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def report() -> str:
    snap = synthetic_snapshot(40, seed=3, title=TITLE)
    files = export_files(snap, "html", load_core().catalogs, name="w.html", locale="zh")
    page = files["w.html"].decode("utf-8")
    assert f"<h1>利益相关方需求图：{TITLE}</h1>" in page and "@font-face" in page
    return page.replace("</head>", ONLY_PICTURES, 1)


def screenshot(page: str, tmp_path: Path, name: str, installed: Path | None = None) -> Image.Image:
    """``page`` as Chromium draws it, with DejaVu (or the fonts in ``installed``) only."""
    folder = tmp_path / name
    folder.mkdir()
    conf = folder / "fonts.conf"
    dirs = [installed or Path(matplotlib.get_data_path()) / "fonts" / "ttf"]
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        + "".join(f"<dir>{d}</dir>" for d in dirs)
        + f"<cachedir>{folder / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    html = folder / "report.html"
    html.write_text(page, encoding="utf-8")
    png = folder / "shot.png"
    env = dict(os.environ, FONTCONFIG_FILE=str(conf), HOME=str(folder))
    done = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            f"--user-data-dir={folder / 'profile'}",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={png}",
            html.as_uri(),
        ],
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert png.exists(), done.stderr.decode(errors="replace")[-2000:]
    return Image.open(png).convert("RGB")


def title_band(shot: Image.Image) -> Image.Image:
    """The top of the page, where the report's title is."""
    return shot.crop((0, 0, WIDTH, 160))


def differing(a: Image.Image, b: Image.Image) -> int:
    """Pixels that differ between two screenshots of the same size."""
    return int(np.any(np.asarray(a) != np.asarray(b), axis=2).sum())


def near(shot: Image.Image, colour: tuple[int, int, int]) -> int:
    """Pixels within a small distance of ``colour`` on every channel."""
    gap = np.abs(np.asarray(shot, dtype=np.int16) - np.array(colour, dtype=np.int16))
    return int(np.all(gap <= 12, axis=2).sum())


def without_font(page: str, family: str = "CityNeeds CJK") -> str:
    start = page.index(f'@font-face{{font-family:"{family}"')
    end = page.index("}", start) + 1
    return page[:start] + page[end:]


def test_the_chinese_title_is_drawn_from_the_embedded_font(report: str, tmp_path: Path) -> None:
    shown = title_band(screenshot(report, tmp_path, "font"))
    other = title_band(screenshot(report.replace(TITLE, SHUFFLED), tmp_path, "font-shuffled"))
    boxes = title_band(screenshot(without_font(report), tmp_path, "boxes"))
    other_boxes = title_band(
        screenshot(without_font(report.replace(TITLE, SHUFFLED)), tmp_path, "boxes-shuffled")
    )
    # Without the embedded font every Chinese character is the same empty box ...
    assert differing(boxes, other_boxes) == 0
    # ... with it, other characters are other glyphs, and none of them is that box.
    assert differing(shown, other) > 500
    assert differing(shown, boxes) > 500


def test_both_pictures_are_drawn_on_the_page(report: str, tmp_path: Path) -> None:
    shot = screenshot(report, tmp_path, "pictures")
    assert report.count('<img src="data:image/png;base64,') == 2
    blank = report.replace('<img src="data:image/png;base64,', '<img data-x="')
    empty = screenshot(blank, tmp_path, "no-pictures")
    assert near(empty, ORANGE) == 0 and near(empty, BLUE) == 0
    # Markers are drawn 8 points wide: dozens of them leave thousands of pixels.
    assert near(shot, ORANGE) > 1000
    assert near(shot, BLUE) > 1000


ARABIC_TITLE = "ورشة احتياجات حي النهر"
#: Each word's letters backwards: other joined shapes, the same row of empty boxes.
ARABIC_SHUFFLED = " ".join(word[::-1] for word in ARABIC_TITLE.split())


@pytest.fixture(scope="module")
def arabic_report() -> str:
    snap = synthetic_snapshot(40, seed=3, title=ARABIC_TITLE)
    files = export_files(snap, "html", load_core().catalogs, name="w.html", locale="ar")
    page = files["w.html"].decode("utf-8")
    assert '<html lang="ar" dir="rtl">' in page and ARABIC_TITLE in page
    assert '@font-face{font-family:"CityNeeds Arabic"' in page
    return page.replace("</head>", ONLY_PICTURES, 1)


def no_arabic_font(tmp_path: Path) -> Path:
    """A font folder with DejaVu Serif only: Latin, no Arabic letter (DejaVu Sans has some)."""
    folder = tmp_path / "serif-only"
    folder.mkdir(exist_ok=True)
    serif = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSerif.ttf"
    target = folder / serif.name
    if not target.exists():
        target.symlink_to(serif)
    return folder


def ink_columns(band: Image.Image) -> tuple[int, int]:
    """Leftmost and rightmost pixel column with dark ink (the title's letters)."""
    dark = np.where((np.asarray(band.convert("L")) < 128).any(axis=0))[0]
    assert dark.size
    return int(dark.min()), int(dark.max())


def test_the_arabic_title_is_drawn_from_the_embedded_font(
    arabic_report: str, tmp_path: Path
) -> None:
    fonts = no_arabic_font(tmp_path)
    other = arabic_report.replace(ARABIC_TITLE, ARABIC_SHUFFLED)
    plain, other_plain = (without_font(p, "CityNeeds Arabic") for p in (arabic_report, other))
    shown = title_band(screenshot(arabic_report, tmp_path, "arabic", fonts))
    shuffled = title_band(screenshot(other, tmp_path, "arabic-shuffled", fonts))
    boxes = title_band(screenshot(plain, tmp_path, "arabic-boxes", fonts))
    other_boxes = title_band(screenshot(other_plain, tmp_path, "arabic-boxes-shuffled", fonts))
    # Without the embedded font every Arabic letter is the same empty box ...
    assert differing(boxes, other_boxes) == 0
    # ... with it, other letters are other joined glyphs, and none of them is that box.
    assert differing(shown, shuffled) > 500
    assert differing(shown, boxes) > 500


def test_the_arabic_report_reads_from_the_right(arabic_report: str, tmp_path: Path) -> None:
    left, right = ink_columns(title_band(screenshot(arabic_report, tmp_path, "arabic")))
    assert right > WIDTH * 0.85 and left > WIDTH * 0.2  # the title is set flush right
    english = export_files(
        synthetic_snapshot(40, seed=3, title="Riverside"),
        "html",
        load_core().catalogs,
        name="w.html",
        locale="en",
    )["w.html"].decode("utf-8")
    assert 'dir="rtl"' not in english
    left, _ = ink_columns(title_band(screenshot(english, tmp_path, "english")))
    assert left < WIDTH * 0.15  # control: a left-to-right report starts at the left
