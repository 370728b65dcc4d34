"""The map and the grid draw every label in a shipped font, in the reader's language, apart.

Scenarios: the demo workshop (English and Chinese participants) and a workshop held only
in Chinese are drawn; every text in the figures has all its glyphs, the Chinese pictures
carry Chinese titles, headings and legends, and no two labels share pixels.
"""

from __future__ import annotations

import asyncio
import warnings
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.config import Settings
from bot.demo.simulation import simulate
from bot.digest import fonts
from bot.digest.grid import grid_figure, render_grid_png
from bot.digest.label_layout import drawn_texts, nudge_apart, overlapping
from bot.digest.metrics import DigestMetrics, compute_metrics
from bot.digest.picture import font, map_figure, render_png
from bot.runtime import ensure_workshop, open_runtime
from bot.testing.snapshots import add_contribution, synthetic_snapshot
from flows.catalog import Catalogs, load_catalogs
from flows.snapshot import WorkshopSnapshot

CHINESE_NAMES = {
    "City council": "市政府",
    "Health department": "卫生局",
    "Transport authority": "交通局",
    "Social services": "社会服务中心",
    "Bus operator": "公交公司",
    "Telecom company": "电信公司",
    "Energy utility": "能源公司",
    "Water company": "自来水公司",
    "University hospital": "大学医院",
    "Urban lab": "城市实验室",
    "Technical university": "理工大学",
    "Residents' association": "居民委员会",
    "Senior citizens' club": "老年人协会",
    "Food bank": "食物银行",
}
CHINESE_MODULES = {
    "clinic booking": "诊所预约",
    "flood alerts": "洪水预警",
    "bus on demand": "预约公交",
    "cool rooms finder": "清凉室查询",
    "heating aid": "取暖补助",
}


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return load_catalogs()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DigestMetrics:
    """The workshop `cityneeds demo --participants 30` simulates, through the real router."""
    db = Path(tmp_path_factory.mktemp("demo")) / "demo.db"
    rt = open_runtime(Settings(database_url=f"sqlite:///{db}"))
    try:
        ws = ensure_workshop(rt.store, "demo", "Riverside demo workshop")
        asyncio.run(simulate(rt.router, "demo", 30, 7))
        return compute_metrics(rt.store.snapshot(ws.id))
    finally:
        rt.close()


def chinese_only() -> WorkshopSnapshot:
    """A workshop held only in Chinese: Chinese title, scenario titles, names and modules."""
    snap = synthetic_snapshot(60, seed=3, title="河滨社区需求工作坊")
    snap = add_contribution(snap, "城市实验室")
    header = replace(snap.workshop, languages=("zh",))
    scenarios = tuple(replace(s, title={"zh": s.title["zh"]}) for s in snap.scenarios)
    stakeholders = tuple(
        replace(
            s, name=CHINESE_NAMES.get(s.name, s.name.replace("Neighbourhood group", "街坊小组"))
        )
        for s in snap.stakeholders
    )
    requirements = tuple(
        replace(r, module=CHINESE_MODULES.get(" ".join(r.module.split()).casefold(), "公交站点"))
        for r in snap.requirements
    )
    return replace(
        snap,
        workshop=header,
        scenarios=scenarios,
        stakeholders=stakeholders,
        requirements=requirements,
    )


def figures(m: DigestMetrics, catalogs: Catalogs, locale: str) -> list[Figure]:
    return [
        map_figure(m, catalogs=catalogs, locale=locale),
        grid_figure(m, catalogs=catalogs, locale=locale),
    ]


def assert_every_glyph_drawn(fig: Figure) -> None:
    texts = [t for t in fig.findobj(Text) if isinstance(t, Text)]
    assert len(texts) > 20
    missing = {t.get_text(): fonts.missing_glyphs(t.get_text()) for t in texts}
    assert {text: chars for text, chars in missing.items() if chars} == {}


def assert_labels_apart(fig: Figure) -> None:
    fig.canvas.draw()  # legends and tick labels take their places when drawn
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = drawn_texts(fig)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    clashes = [
        (a, b) for (a, box_a), (b, box_b) in combinations(boxes, 2) if overlapping(box_a, box_b)
    ]
    assert clashes == []


def test_the_demo_pictures_draw_every_glyph_of_english_and_chinese_names(
    demo: DigestMetrics, catalogs: Catalogs
) -> None:
    names = {s.name for s in demo.stakeholders}
    assert {"城市实验室", "公交公司"} <= names and "诊所预约" in demo.moscow
    for locale in ("en", "zh"):
        for fig in figures(demo, catalogs, locale):
            assert_every_glyph_drawn(fig)
            shown = {t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)}
            assert any("城市实验室" in text or "公交公司" in text for text in shown)


def test_a_chinese_only_workshop_is_drawn_with_chinese_titles_and_legends(
    catalogs: Catalogs,
) -> None:
    m = compute_metrics(chinese_only())
    zh = catalogs.messages["zh"]
    map_fig, grid_fig = figures(m, catalogs, "zh")
    for fig in (map_fig, grid_fig):
        assert_every_glyph_drawn(fig)
    map_texts = {t.get_text() for t in map_fig.findobj(Text) if isinstance(t, Text)}
    assert map_fig.axes[0].get_title() == "利益相关方需求图：河滨社区需求工作坊"
    assert (
        zh["picture.map_title"].format(title="河滨社区需求工作坊")
        == "利益相关方需求图：河滨社区需求工作坊"
    )
    assert {
        zh["picture.map_col_domains"],
        zh["picture.map_col_actors"],
        zh["picture.legend_scenario"],
        zh["picture.legend_actor"],
        zh["domain.mobility"],
        "城市实验室",
    } <= map_texts
    assert not map_texts & {"mobility", "health", "Domains (macro)", "Scenario (diamond)"}
    grid_texts = {t.get_text() for t in grid_fig.findobj(Text) if isinstance(t, Text)}
    assert grid_fig.get_suptitle() == "影响力—关心程度矩阵：河滨社区需求工作坊"
    quadrants = {zh[f"picture.quadrant.{q}"] for q in ("manage_closely", "monitor")}
    assert quadrants | {zh["picture.grid_x"], zh["picture.grid_helix"]} <= grid_texts
    assert zh["picture.grid_helix.government"] in grid_texts
    assert not grid_texts & {"dangerous", "definitive", "Keep informed"}


def test_no_salience_class_word_is_stuck_to_a_name_on_the_grid(
    demo: DigestMetrics, catalogs: Catalogs
) -> None:
    fig = grid_figure(demo, catalogs=catalogs, locale="en")
    lines = [t.get_text() for t in fig.findobj(Text) if isinstance(t, Text)]
    named = [line for line in lines if any(s.name in line for s in demo.stakeholders)]
    assert named
    for word in ("dangerous", "definitive", "dominant", "dormant", "dependent"):
        assert not [line for line in named if word in line.casefold()]
    assert "Dangerous: power and urgency, no legitimacy" in lines or all(
        s.salience != "dangerous" for s in demo.stakeholders[:30]
    )


def test_a_character_no_shipped_font_has_is_reported() -> None:
    assert fonts.missing_glyphs("City council 𝄞") == {"𝄞"}
    assert fonts.missing_glyphs("城市实验室 and Urban lab") == set()


def test_no_two_labels_overlap_in_the_demo_map_and_grid(
    demo: DigestMetrics, catalogs: Catalogs
) -> None:
    for locale in ("en", "zh"):
        for fig in figures(demo, catalogs, locale):
            assert_labels_apart(fig)
    for fig in figures(compute_metrics(chinese_only()), catalogs, "zh"):
        assert_labels_apart(fig)


def test_the_pictures_are_drawn_without_a_missing_glyph_warning_and_reproducibly(
    demo: DigestMetrics, catalogs: Catalogs
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = render_png(demo, catalogs=catalogs, locale="zh")
        grid = render_grid_png(demo, catalogs=catalogs, locale="zh")
    assert first == render_png(demo, catalogs=catalogs, locale="zh")
    assert grid == render_grid_png(demo, catalogs=catalogs, locale="zh")
    assert first != render_png(demo, catalogs=catalogs, locale="en")


def test_two_labels_on_one_spot_are_moved_apart_and_the_check_sees_the_clash() -> None:
    fig = Figure(figsize=(4, 3), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    first = ax.text(0.5, 0.5, "City council", fontproperties=font(9), parse_math=False)
    second = ax.text(0.5, 0.5, "城市实验室", fontproperties=font(9), parse_math=False)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    assert overlapping(first.get_window_extent(renderer), second.get_window_extent(renderer))
    nudge_apart([first, second], [], renderer)
    assert not overlapping(first.get_window_extent(renderer), second.get_window_extent(renderer))
    assert first.get_position()[0] == second.get_position()[0] == 0.5
