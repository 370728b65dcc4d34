"""The map joins modules to their scenarios, cuts long columns with "and N more", and every
picture comes with an SVG that shows the same words as its PNG.

Scenarios: a hand-made workshop where "Clinic booking" is asked for in two scenarios
(spelt two ways); a large workshop of 3,000 participants and hundreds of distinct
stakeholders, whose map and grid must still keep every label apart, in English and
Chinese; and the SVG of both pictures, read back as XML.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from functools import cache
from itertools import combinations

import pytest
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.digest.drawings import drawings
from bot.digest.grid import grid_figure
from bot.digest.label_layout import drawn_texts, overlapping
from bot.digest.metrics import DigestMetrics, compute_metrics
from bot.digest.picture import MAX_ACTORS, MODULE_LINK, map_figure, map_text, overview
from bot.testing.snapshots import SnapshotBuilder, synthetic_snapshot
from flows.catalog import Catalogs, load_catalogs
from flows.records import Moscow

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


@cache
def catalogs() -> Catalogs:
    return load_catalogs()


@cache
def large() -> DigestMetrics:
    return compute_metrics(synthetic_snapshot(3000, seed=11, title="Large city workshop"))


def hand_made() -> tuple[DigestMetrics, str, str]:
    """Clinic booking asked for in two scenarios (two spellings), flood alerts in one."""
    b = SnapshotBuilder("Clinic workshop")
    heat, flood, parks = b.scenarios[0].id, b.scenarios[1].id, b.scenarios[2].id
    codes = b.scenarios[0].code, b.scenarios[1].code
    for _ in range(3):
        p = b.participant()
        b.stakeholder(p, "City council", scenario=heat, power=5, interest=4)
        b.requirement(p, "Clinic booking", Moscow.MUST, scenario=heat)
    p = b.participant()
    b.stakeholder(p, "Urban lab", scenario=flood, power=2, interest=5)
    b.requirement(p, "clinic  booking", Moscow.SHOULD, scenario=flood)
    b.requirement(p, "Flood alerts", Moscow.COULD, scenario=flood)
    b.stakeholder(p, "Food bank", scenario=parks)
    return compute_metrics(b.build()), f"scenario:{codes[0]}", f"scenario:{codes[1]}"


def test_a_module_is_joined_to_every_scenario_it_was_asked_for_in() -> None:
    m, heat, flood = hand_made()
    view = overview(m, catalogs())
    modules = {n.id: n for n in view.columns["module"]}
    assert sorted(modules) == ["module:clinic booking", "module:flood alerts"]
    clinic = modules["module:clinic booking"]
    assert catalogs().render(clinic.ref, "en") == "Clinic booking"  # the most used spelling
    assert set(clinic.links) == {heat, flood}
    assert modules["module:flood alerts"].links == (flood,)
    # One dashed line per module–scenario pair is drawn.
    fig = map_figure(m, catalogs=catalogs())
    dashed = [
        line
        for line in fig.axes[0].lines
        if isinstance(line, Line2D)
        and line.get_color() == MODULE_LINK[0]
        and line.get_linestyle() != "None"  # the module's own marker is a line without one
    ]
    assert len(dashed) == 3
    words = [catalogs().render(line, "en") for line in map_text(m)]
    titles = {
        sid: catalogs().render(n.ref, "en")
        for sid, n in ((n.id, n) for n in view.columns["scenario"])
    }
    assert f"• Module “Clinic booking”: asked for in {titles[clinic.links[0]]}, " in "\n".join(
        words
    )


def test_a_large_map_shows_the_most_named_actors_and_counts_the_rest() -> None:
    m = large()
    mentions: Counter[str] = Counter()
    scenarios: dict[str, set[str]] = defaultdict(set)
    for sh in m.stakeholders:
        mentions[sh.key] += sh.mentions
        scenarios[sh.key].add(sh.scenario)
    ranked = sorted(mentions, key=lambda k: (-mentions[k], -len(scenarios[k]), k))
    assert len(ranked) > 200
    view = overview(m, catalogs())
    shown = {n.id for n in view.columns["actor"]}
    assert shown == {f"actor:{k}" for k in ranked[:MAX_ACTORS]}
    assert view.more["actor"] == len(ranked) - MAX_ACTORS
    fig = map_figure(m, catalogs=catalogs(), locale="en")
    texts = {t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)}
    assert f"… and {len(ranked) - MAX_ACTORS} more" in texts
    zh = {t.get_text() for t in map_figure(m, catalogs=catalogs(), locale="zh").findobj(Text)}
    assert f"……另有 {len(ranked) - MAX_ACTORS} 项" in zh
    words = [catalogs().render(line, "en") for line in map_text(m)]
    assert words[-1].startswith(f"• {len(ranked) - MAX_ACTORS} more stakeholders")


def assert_labels_apart(fig: Figure) -> None:
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    assert len(boxes) > 40
    clashes = [(a, b) for (a, x), (b, y) in combinations(boxes, 2) if overlapping(x, y)]
    assert clashes == []


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_no_two_labels_overlap_on_a_large_workshop(locale: str) -> None:
    m = large()
    assert_labels_apart(map_figure(m, catalogs=catalogs(), locale=locale))
    assert_labels_apart(grid_figure(m, catalogs=catalogs(), locale=locale))


def svg_labels(svg: bytes) -> tuple[str, list[tuple[str, int, int]]]:
    """The SVG's title, and per text group: its words, glyphs drawn, Noto CJK glyphs."""
    root = ET.fromstring(svg, parser=ET.XMLParser(target=ET.TreeBuilder(insert_comments=True)))
    title = root.findtext(f"{SVG}title") or ""
    found = []
    for group in root.iter(f"{SVG}g"):
        if not re.fullmatch(r"text_\d+", group.get("id", "")):
            continue
        comment = next(c for c in group if c.tag is ET.Comment)
        uses = [u.get(XLINK, "") for u in group.iter(f"{SVG}use")]
        cjk = sum(1 for u in uses if u.startswith("#NotoSansCJKsc-Regular-"))
        found.append(((comment.text or "").strip(), len(uses), cjk))
    return title, found


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_each_picture_has_an_svg_with_the_same_words_drawn_as_outlines(locale: str) -> None:
    m = compute_metrics(synthetic_snapshot(60, seed=3, title="河滨社区需求工作坊"))
    pictures = drawings(m, catalogs=catalogs(), locale=locale)
    for name, fig in (
        ("map", map_figure(m, catalogs=catalogs(), locale=locale)),
        ("grid", grid_figure(m, catalogs=catalogs(), locale=locale)),
    ):
        assert pictures[name].png.startswith(b"\x89PNG")
        title, groups = svg_labels(pictures[name].svg)
        expected = fig.axes[0].get_title() if name == "map" else fig.get_suptitle()
        assert title == expected and "河滨社区需求工作坊" in title
        words = Counter(text for text, _, _ in groups)
        fig.canvas.draw()  # tick labels exist once drawn
        shown = Counter(" ".join(t.get_text().split()) for t in drawn_texts(fig))
        assert words == shown
        for text, glyphs, cjk in groups:
            # Drawn as outlines (Latin pairs such as "ff" may share one), each Chinese
            # character as its own outline from Noto Sans CJK.
            assert 0 < glyphs <= len(text), text
            assert cjk == sum(1 for c in text if "\u3000" <= c <= "\u9fff" or c >= "\uff00"), text
    assert "<text" not in pictures["map"].svg.decode("utf-8")
    assert pictures == drawings(m, catalogs=catalogs(), locale=locale)


@pytest.mark.parametrize("locale", ["en", "zh"])
def test_the_grid_explains_quadrants_and_classes_in_keys_in_the_readers_language(
    locale: str,
) -> None:
    m = compute_metrics(synthetic_snapshot(60, seed=3))
    fig = grid_figure(m, catalogs=catalogs(), locale=locale)
    texts = {t.get_text() for t in drawn_texts(fig)}
    words = catalogs().messages[locale]
    quadrants = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
    assert words["picture.grid_quadrants"] in texts
    assert {words[f"picture.quadrant_action.{q}"] for q in quadrants} <= texts
    classes = {sh.salience for sh in m.stakeholders[:30] if sh.power is not None}
    assert {words[f"picture.salience.{c}"] for c in classes} <= texts
    names = {sh.name for sh in m.stakeholders}
    named = [t for t in texts if any(n in t for n in names)]
    assert named and not [t for t in named for q in quadrants if words[f"quadrant.{q}"] in t]
