"""`cityneeds export` and `cityneeds digest` on a real database, as a facilitator runs them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import networkx as nx
import pytest
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.digest.export_graph import json_schema
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from tests.citizen import LINES

runner = CliRunner()


@pytest.fixture
def workshop(app: Runtime, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    for user in ("ana", "bo"):
        chat = ChatHarness(app.router, user=user, workshop="city")
        chat.start()
        for line in LINES:
            chat.say(line)
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", app.store.url)
    monkeypatch.setenv("CITYNEEDS_SECRET", "test-secret")
    return app


def test_every_format_is_written_where_asked(workshop: Runtime, tmp_path: Path) -> None:
    for fmt in ("csv", "json", "graphml", "gexf", "kumu", "md", "html"):
        out = tmp_path / f"city.{fmt}"
        result = runner.invoke(cli, ["export", "city", "--format", fmt, "--out", str(out)])
        assert result.exit_code == 0, result.output
        assert out.exists(), fmt
    assert sorted(p.name for p in (tmp_path / "city.csv").iterdir())[:2] == [
        "actors.csv",
        "links.csv",
    ]
    graph = nx.read_graphml(tmp_path / "city.graphml")
    stakeholders = [d for _, d in graph.nodes(data=True) if d["kind"] == "stakeholder"]
    assert {d["label"] for d in stakeholders} == {"City council", "Senior citizens' club"}
    assert all(d["mentions"] == 2 for d in stakeholders)  # both citizens named both
    doc = json.loads((tmp_path / "city.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, json_schema())
    assert (tmp_path / "city-map.png").read_bytes().startswith(b"\x89PNG")
    html = (tmp_path / "city.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in html
    # An SVG beside every PNG, linked from both reports.
    for name in ("city-map", "city-grid"):
        svg = ET.parse(tmp_path / f"{name}.svg").getroot()
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert f'<a href="{name}.svg">' in html
        assert f"]({name}.svg)" in (tmp_path / "city.md").read_text(encoding="utf-8")


def test_unknown_workshop_and_format_get_useful_errors(workshop: Runtime) -> None:
    result = runner.invoke(cli, ["export", "nowhere", "--format", "md"])
    assert result.exit_code == 1 and "no workshop called 'nowhere' (workshops: city)" in (
        result.output
    )
    result = runner.invoke(cli, ["export", "city", "--format", "pdf"])
    assert result.exit_code == 2 and "choose one of csv, json, graphml" in result.output


def test_digest_prints_text_and_writes_both_pictures(workshop: Runtime, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["digest", "city", "--png", str(tmp_path / "m.png"), "--grid", str(tmp_path / "g.png")],
    )
    assert result.exit_code == 0, result.output
    assert "Top domains by gap score" in result.output
    assert "The power–interest grid in words" in result.output
    assert "1. City council (“Older residents reaching telehealth”, Government)" in result.output
    assert (tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
