"""A council member reads the workshop report: actors with their scenarios, every theme.

Scenario: "City council" is named in two scenarios by three participants (spelt two
ways), "Urban lab" in one; night-bus needs in English and Chinese form a theme. The
HTML and Markdown reports list City council once with both scenarios, list every theme
without moderators' theme ids or "see the report" pointers, and link the SVG copies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from bot.core import load_core
from bot.digest.actor_table import actor_rows
from bot.digest.exports import export_files
from bot.digest.findings import Findings, find
from bot.digest.metrics import compute_metrics
from bot.synthesis.encoder import default_encoder
from bot.testing.network import network_unreachable
from bot.testing.snapshots import SnapshotBuilder
from flows.kinds import HelixGroup
from flows.records import StakeholderRole
from flows.snapshot import WorkshopSnapshot

NEEDS = (
    ("en", "Buses stop running before my night shift ends, so I walk home."),
    ("zh", "夜班公交太少，下班后没有车回家。"),
    ("en", "There is no bus home after the late shift at the hospital."),
    ("en", "The air near the ring road is full of exhaust fumes."),
    ("zh", "环路附近的空气里全是汽车尾气。"),
)


@pytest.fixture(scope="module")
def workshop() -> tuple[WorkshopSnapshot, Findings, str, str]:
    b = SnapshotBuilder("Riverside")
    heat, flood = b.scenarios[0], b.scenarios[1]
    for i, (locale, text) in enumerate(NEEDS):
        p = b.participant(HelixGroup.CIVIL_SOCIETY, locale=locale)
        b.need(p, "mobility" if i < 3 else "environment", 5, 1, text=text)
        if i < 2:
            b.stakeholder(p, "City council", scenario=heat.id, power=5, interest=4)
    p = b.participant(HelixGroup.GOVERNMENT)
    b.stakeholder(
        p, "city  council", scenario=flood.id, power=4, interest=2, role=StakeholderRole.FUNDER
    )
    b.stakeholder(p, "Urban lab", scenario=flood.id, power=2, interest=5)
    snap = b.build()
    with network_unreachable():
        findings = find(snap, encoder=default_encoder(), locales=("en", "zh"))
    return snap, findings, heat.title["en"], flood.title["en"]


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


def test_each_actor_is_one_row_with_every_scenario_it_was_named_in(
    workshop: tuple[WorkshopSnapshot, Findings, str, str],
) -> None:
    snap, _, heat, flood = workshop
    rows = actor_rows(compute_metrics(snap), load_core().catalogs, "en")
    assert [(name, named) for name, _, named in rows] == [("City council", "3"), ("Urban lab", "1")]
    assert rows[0][1] == (
        f"{heat} (none; manage closely; named 2×); {flood} (Funder; keep satisfied; named 1×)"
    )


def test_the_reports_list_actors_every_theme_and_link_the_svg_copies(
    workshop: tuple[WorkshopSnapshot, Findings, str, str],
) -> None:
    snap, f, heat, flood = workshop
    catalogs = load_core().catalogs
    html_files = export_files(snap, "html", catalogs, name="out/w.html", findings=f)
    page = html_files["out/w.html"].decode()
    assert sorted(html_files) == ["out/w-grid.svg", "out/w-map.svg", "out/w.html"]
    assert "<h2>Stakeholders and the scenarios they were named in</h2>" in page
    assert f"<td>City council</td><td>{heat} (none; manage closely; named 2×)<br>{flood}" in page
    md = export_files(snap, "md", catalogs, name="out/w.md", findings=f)["out/w.md"].decode()
    assert "| City council | " in md and "| Urban lab | " in md
    for text in (page, md):
        for theme in f.themes:
            assert f"[{theme.id}]" not in text  # moderators' ids stay in the chat digest
            assert theme.label("en") in text  # every theme stays, in the table of all themes
        assert "see the report" not in text
        assert not re.search(r"^#+ .*:\s*$|<h2>[^<]*:</h2>", text, re.MULTILINE)
    assert '<a href="w-map.svg">' in page and "](w-grid.svg)" in md
    zh = export_files(snap, "html", catalogs, name="w.html", locale="zh", findings=f)["w.html"]
    assert "<h1>利益相关方需求图：Riverside</h1>" in zh.decode()
    assert "<h2>概况</h2>" in zh.decode()
