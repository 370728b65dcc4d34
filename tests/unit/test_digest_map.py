"""The stakeholder requirement map: graph, exports that round-trip, pictures, platform splits."""

from __future__ import annotations

import csv
import io
import json
from functools import cache

import jsonschema
import networkx as nx
import pytest
from PIL import Image

from bot.adapters.discord.digest_embeds import (
    CONTENT_CHARS,
    DESCRIPTION_CHARS,
    EMBED_TOTAL_CHARS,
    MAX_EMBEDS,
    TITLE_CHARS,
    discord_digest,
    embed_chars,
)
from bot.adapters.slack.digest_blocks import HEADER_CHARS, MAX_BLOCKS, SECTION_CHARS, slack_digest
from bot.digest.export_graph import json_schema, kumu_schema
from bot.digest.exports import FORMATS, export_files
from bot.digest.graph import EDGE_KINDS, NODE_KINDS, build_graph
from bot.digest.grid import render_grid_png
from bot.digest.metrics import DigestMetrics, compute_metrics
from bot.digest.picture import render_png
from bot.digest.sections import Section, digest_sections
from bot.digest.text import render_text
from bot.escape import discord_text, slack_text
from bot.testing.discord_markdown import render
from bot.testing.snapshots import add_contribution, synthetic_snapshot
from flows.catalog import Catalogs, load_catalogs
from storage.snapshot import WorkshopSnapshot

HOSTILE = "@everyone <!here> **bold** <script>alert(1)</script> " + "w" * 5000
PNG_LIMIT = 8 * 1024 * 1024


@cache
def catalogs() -> Catalogs:
    return load_catalogs()


@cache
def small() -> WorkshopSnapshot:
    snap = synthetic_snapshot(40, seed=3)
    snap = add_contribution(snap, HOSTILE)
    return snap


@cache
def large() -> tuple[WorkshopSnapshot, DigestMetrics]:
    snap = synthetic_snapshot(10_000, seed=11)
    # Long verbatim quotes in the top domains make the digest too long for one message.
    top = [gap.code for gap in compute_metrics(snap).domain_gaps[:3]]
    for n, code in enumerate(top):
        snap = add_contribution(snap, f"{n} " + HOSTILE, domain=code)
    return snap, compute_metrics(snap)


def test_the_graph_holds_every_kind_of_node_and_edge() -> None:
    snap = synthetic_snapshot(300, seed=5)
    g = build_graph(snap)
    assert {d["kind"] for _, d in g.nodes(data=True)} == set(NODE_KINDS)
    assert {d["kind"] for _, _, d in g.edges(data=True)} == set(EDGE_KINDS)
    assert sum(1 for _, d in g.nodes(data=True) if d["kind"] == "need") == len(snap.needs)
    roles = {
        role
        for _, _, d in g.edges(data=True)
        if d["kind"] == "plays_role"
        for role in d["role"].split(";")
        if role
    }
    assert roles <= {"beneficiary", "provider", "operator", "regulator", "funder", "affected"}
    relations = {d["relation"] for _, _, d in g.edges(data=True) if d["kind"] == "relates"}
    assert "conflicts" in relations
    merged = [d for _, d in g.nodes(data=True) if d["kind"] == "stakeholder"]
    assert sum(d["mentions"] for d in merged) == len(snap.stakeholders)


def _files(fmt: str, snap: WorkshopSnapshot | None = None) -> dict[str, bytes]:
    name = "out/w-csv" if fmt == "csv" else f"out/w{FORMATS[fmt]}"
    return export_files(snap or small(), fmt, catalogs(), name=name)


def _only(files: dict[str, bytes]) -> bytes:
    (data,) = files.values()
    return data


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graphml_and_gexf_read_back_the_same_nodes_edges_and_attributes(
    fmt: str, reader: object, tmp_path: object
) -> None:
    g = build_graph(small())
    path = f"{tmp_path}/map.{fmt}"
    with open(path, "wb") as fh:
        fh.write(_only(_files(fmt)))
    back = reader(path)  # type: ignore[operator]
    assert (back.number_of_nodes(), back.number_of_edges()) == (
        g.number_of_nodes(),
        g.number_of_edges(),
    )
    for node, data in g.nodes(data=True):
        got = dict(back.nodes[node])
        assert {k: got[k] for k in data} == data, node
    kinds = sorted(d["kind"] for _, _, d in back.edges(data=True))
    assert kinds == sorted(d["kind"] for _, _, d in g.edges(data=True))
    needs = [d for _, d in back.nodes(data=True) if d["kind"] == "need"]
    assert HOSTILE in {d["text"] for d in needs}


def test_json_and_kumu_validate_against_the_shipped_schemas() -> None:
    doc = json.loads(_only(_files("json")))
    jsonschema.validate(doc, json_schema())
    g = build_graph(small())
    assert len(doc["graph"]["nodes"]) == g.number_of_nodes()
    assert len(doc["graph"]["links"]) == g.number_of_edges()
    k = json.loads(_only(_files("kumu")))
    jsonschema.validate(k, kumu_schema())
    ids = {e["id"] for e in k["elements"]}
    assert all(c["from"] in ids and c["to"] in ids for c in k["connections"])
    broken = dict(doc, version=1)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json_schema())


def test_csv_has_one_table_per_kind_and_neutralises_formulas() -> None:
    files = _files("csv")
    assert sorted(p.rsplit("/", 1)[1] for p in files) == [
        "actors.csv",
        "links.csv",
        "needs.csv",
        "participants.csv",
        "requirements.csv",
        "stakeholder_map.csv",
        "stakeholders.csv",
    ]
    needs = list(csv.DictReader(io.StringIO(files["out/w-csv/needs.csv"].decode())))
    assert len(needs) == len(small().needs)
    texts = {row["need"] for row in needs}
    assert "'" + HOSTILE in texts  # "@…" would be a formula in a spreadsheet
    participants = files["out/w-csv/participants.csv"].decode()
    assert "pseudonym" not in participants


def test_a_hostile_contribution_is_escaped_in_every_output_format() -> None:
    m = compute_metrics(small())
    sections = digest_sections(m, catalogs())
    assert any(HOSTILE in line for s in sections for line in s.lines)
    # Slack: <, >, & escaped; user text only in plain_text objects (no mrkdwn).
    for message in slack_digest("", sections):
        raw = json.dumps(message.blocks) + message.text
        assert "<!here>" not in raw and "<script>" not in raw
        assert "&lt;!here&gt;" in raw
        assert all(
            b.get("text", {}).get("type", "plain_text") == "plain_text" for b in message.blocks
        )
    # Discord: markdown escaped and mentions broken.
    pages = discord_digest("", sections)
    raw = json.dumps([p.embeds for p in pages], ensure_ascii=False)
    shown = [render(e.get("description", "")) for p in pages for e in p.embeds]
    assert HOSTILE.split(" w")[0] in "".join(shown)
    assert not any("⟦" in text for text in shown)
    # Markdown and HTML reports.
    md = _only({k: v for k, v in _files("md").items() if k.endswith(".md")}).decode()
    assert "<script>" not in md and "**bold**" not in md and "&lt;script&gt;" in md
    assert "\\*\\*bold\\*\\*" in md
    html_files = _files("html")
    html = html_files.pop("out/w.html").decode()
    assert "<script" not in html and "&lt;script&gt;" in html and "&lt;!here&gt;" in html
    # The SVG copies beside the report: participants' words only in escaped comments.
    assert sorted(html_files) == ["out/w-grid.svg", "out/w-map.svg"]
    assert not any(b"<script" in svg for svg in html_files.values())
    # JSON, Kumu: inert inside HTML, and the original text reads back exactly.
    for fmt in ("json", "kumu"):
        data = _only(_files(fmt))
        assert b"<script>" not in data
        assert HOSTILE in json.dumps(json.loads(data), ensure_ascii=False)
    # GraphML, GEXF: XML-escaped.
    for fmt in ("graphml", "gexf"):
        assert b"<script>" not in _only(_files(fmt))
    # Plain text (console) shows it verbatim: a terminal has no markup.
    assert HOSTILE in render_text(m, catalogs())


def test_a_10000_participant_digest_is_split_within_every_platform_limit() -> None:
    _, m = large()
    assert m.participants == 10_003
    sections = digest_sections(m, catalogs())
    lines = [line for s in sections for line in s.lines]

    slack = slack_digest("Digest", sections, part_label="Part {index} of {total}")
    assert len(slack) > 1
    for message in slack:
        assert len(message.blocks) <= MAX_BLOCKS
        for block in message.blocks:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= SECTION_CHARS
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= HEADER_CHARS
    shown = "".join(
        b["text"]["text"] for msg in slack for b in msg.blocks if b["type"] == "section"
    ).replace("\n", "")
    assert shown == "".join(slack_text(line) for line in lines).replace("\n", "")

    discord = discord_digest("Digest", sections, part_label="Part {index} of {total}")
    assert len(discord) > 1
    for message in discord:
        assert len(message.content) <= CONTENT_CHARS
        assert len(message.embeds) <= MAX_EMBEDS
        assert sum(embed_chars(e) for e in message.embeds) <= EMBED_TOTAL_CHARS
        for embed in message.embeds:
            assert len(embed.get("title", "")) <= TITLE_CHARS
            assert len(embed.get("description", "")) <= DESCRIPTION_CHARS
    described = "".join(e.get("description", "") for msg in discord for e in msg.embeds)
    assert described.replace("\n", "") == "".join(discord_text(x) for x in lines).replace("\n", "")
    assert discord[-1].embeds[-1]["footer"]["text"] == f"Part {len(discord)} of {len(discord)}"
    text = render_text(m, catalogs())
    assert text.startswith("CityNeeds digest") and "10,003" in text


def test_pictures_are_valid_pngs_under_8_mb_and_the_same_input_gives_the_same_bytes() -> None:
    _, m = large()
    for draw in (lambda: render_png(m), lambda: render_grid_png(m)):
        first, second = draw(), draw()
        assert first == second
        assert len(first) < PNG_LIMIT
        image = Image.open(io.BytesIO(first))
        image.verify()
        assert image.format == "PNG" and image.size[0] >= 800
    assert render_png(m, locale="en") != render_png(m, locale="zh")


def test_sections_of_very_long_lines_are_cut_not_dropped() -> None:
    section = Section("Quotes", ("x" * 9000,), "digest.quotes")
    slack = slack_digest("", [section])
    pieces = [b["text"]["text"] for msg in slack for b in msg.blocks if b["type"] == "section"]
    assert "".join(pieces) == "x" * 9000 and all(len(p) <= SECTION_CHARS for p in pieces)
