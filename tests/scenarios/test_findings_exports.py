"""A facilitator exports a workshop where English and Chinese residents asked for the same things.

The themes found across the two languages travel into every export: the JSON envelope
lists them and each need node names its theme, GraphML has theme nodes, the CSV has
``themes.csv``, and the report shows the quotes and the user stories under their scenario.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import jsonschema
import networkx as nx
import pytest

from bot.core import load_core
from bot.digest.export_graph import json_schema
from bot.digest.exports import export_files
from bot.digest.findings import Findings, find
from bot.synthesis.encoder import default_encoder
from bot.testing.network import network_unreachable
from bot.testing.snapshots import SnapshotBuilder
from flows.kinds import HelixGroup
from flows.records import Moscow
from flows.snapshot import WorkshopSnapshot

NIGHT_BUS = (
    ("en", "Buses stop running before my night shift ends, so I walk home."),
    ("zh", "夜班公交太少，下班后没有车回家。"),
    ("en", "There is no bus home after the late shift at the hospital."),
)
AIR = (
    ("en", "The air near the ring road is full of exhaust fumes."),
    ("zh", "环路附近的空气里全是汽车尾气。"),
    ("en", "Traffic fumes from the ring road make our yard unbearable."),
)
STORY = "a bus every 30 minutes after 22:00"
WORKS_WHEN = "Given it is 23:00, when I wait at the hospital stop, then a bus comes within 30 min"


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


@pytest.fixture(scope="module")
def workshop() -> tuple[WorkshopSnapshot, Findings]:
    b = SnapshotBuilder("Riverside")
    helixes = (HelixGroup.GOVERNMENT, HelixGroup.CIVIL_SOCIETY, HelixGroup.INDUSTRY)
    people = {
        (domain, i): b.participant(helixes[i], locale=locale)
        for domain, texts in (("mobility", NIGHT_BUS), ("environment", AIR))
        for i, (locale, _) in enumerate(texts)
    }
    for domain, texts in (("mobility", NIGHT_BUS), ("environment", AIR)):
        for i, (_, text) in enumerate(texts):
            b.need(people[(domain, i)], domain, 5, 1, text=text)
    b.requirement(
        people[("mobility", 1)],
        "night bus",
        Moscow.MUST,
        domain="mobility",
        i_want=STORY,
        acceptance=WORKS_WHEN,
    )
    snap = b.build()
    with network_unreachable():
        findings = find(snap, encoder=default_encoder(), locales=("en", "zh"))
    return snap, findings


def test_english_and_chinese_needs_about_one_thing_share_a_theme(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    theme_of = {n.text: f.theme_of_need(n.id) for n in snap.needs}
    bus = {theme_of[text] for _, text in NIGHT_BUS}
    air = {theme_of[text] for _, text in AIR}
    assert len(bus) == 1 and len(air) == 1 and bus != air
    (bus_theme,) = bus
    theme = f.run.by_id()[bus_theme]
    assert theme.domain == "mobility"
    assert {q.text for q in theme.quotes} <= {text for _, text in NIGHT_BUS} | {STORY}
    assert dict(theme.groups)["civil_society"] >= 1


def test_the_json_export_lists_the_themes_and_every_need_names_its_theme(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    files = export_files(snap, "json", load_core().catalogs, name="w.json", findings=f)
    doc = json.loads(files["w.json"])
    jsonschema.validate(doc, json_schema())
    assert {t["id"] for t in doc["themes"]} == {t.id for t in f.themes}
    by_id = {t["id"]: t for t in doc["themes"]}
    for node in doc["graph"]["nodes"]:
        if node["kind"] == "need":
            need_id = int(node["id"].split(":")[1])
            assert node["theme"] == f.theme_of_need(need_id)
            assert node["text"] in {t for _, t in NIGHT_BUS + AIR}
    bus = by_id[f.theme_of_need(1) or ""]
    assert bus["size"] == 4  # three needs and the night-bus story
    assert all(q["text"] in {t for _, t in NIGHT_BUS} | {STORY} for q in bus["quotes"])


def test_graphml_and_csv_carry_the_themes(workshop: tuple[WorkshopSnapshot, Findings]) -> None:
    snap, f = workshop
    catalogs = load_core().catalogs
    graph = nx.read_graphml(
        io.BytesIO(
            export_files(snap, "graphml", catalogs, name="w.graphml", findings=f)["w.graphml"]
        )
    )
    themes = {n for n, d in graph.nodes(data=True) if d.get("kind") == "theme"}
    assert themes == {f"theme:{t.id}" for t in f.themes}
    assert graph.has_edge("need:1", f"theme:{f.theme_of_need(1)}")
    assert graph.has_edge("domain:mobility", f"theme:{f.theme_of_need(1)}")
    tables = export_files(snap, "csv", catalogs, name="w", findings=f)
    rows = list(csv.DictReader(io.StringIO(tables["w/themes.csv"].decode())))
    assert sorted(r["theme"] for r in rows) == sorted(t.id for t in f.themes)
    needs = list(csv.DictReader(io.StringIO(tables["w/needs.csv"].decode())))
    assert {r["theme"] for r in needs} == {
        t.id for t in f.themes if t.domain in ("mobility", "environment")
    }


def test_the_report_shows_quotes_and_the_user_story_under_its_scenario(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, f = workshop
    report = export_files(snap, "md", load_core().catalogs, name="w.md", findings=f)["w.md"]
    text = report.decode()
    assert "What people asked for, by theme" in text
    assert f"“{NIGHT_BUS[0][1]}”" in text or f"“{NIGHT_BUS[2][1]}”" in text
    stories = text[text.index("## User stories under their scenario") :]
    assert f"I want {STORY}" in stories
    assert WORKS_WHEN.split(",")[0] in stories
    assert "Must have" in stories


def test_the_same_workshop_gives_the_same_themes_and_ids_again(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    snap, first = workshop
    again = find(
        snap, encoder=default_encoder(), previous=first.run.previous(), locales=("en", "zh")
    )
    assert again.run.assignment == first.run.assignment
    assert [t.id for t in again.themes] == [t.id for t in first.themes]


def test_the_kumu_export_with_themes_still_matches_its_schema(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    from bot.digest.export_graph import kumu_schema

    snap, f = workshop
    doc = json.loads(
        export_files(snap, "kumu", load_core().catalogs, name="w.kumu.json", findings=f)[
            "w.kumu.json"
        ]
    )
    jsonschema.validate(doc, kumu_schema())
    assert sum(1 for e in doc["elements"] if e["type"] == "theme") == len(f.themes)


def test_the_html_report_carries_a_font_for_every_chinese_character_it_shows(
    workshop: tuple[WorkshopSnapshot, Findings],
) -> None:
    import base64
    import re

    from fontTools.ttLib import TTFont

    from bot.digest.web_fonts import needs_cjk

    snap, f = workshop
    html = export_files(snap, "html", load_core().catalogs, name="w.html", locale="zh", findings=f)
    page = html["w.html"].decode()
    assert "大家提出了什么" in page  # the zh report's theme heading
    assert NIGHT_BUS[1][1] in page  # the Chinese quote, verbatim
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\) format\(\"opentype\"\)", page)
    assert data is not None
    cmap = TTFont(io.BytesIO(base64.b64decode(data.group(1)))).getBestCmap()
    shown = {c for c in page if needs_cjk(c)}
    assert shown and not [c for c in shown if ord(c) not in cmap]
