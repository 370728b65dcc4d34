"""`cityneeds demo` runs a simulated workshop and prints a digest with the essentials."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import networkx as nx


def test_demo_prints_a_digest_and_writes_the_map(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli.app", "demo", "--participants", "12", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    digest = result.stdout
    assert "Top domains by gap score" in digest
    assert re.search(r"^1\. .+: gap \d+\.\d", digest, re.MULTILINE)
    assert "power–interest quadrant" in digest
    assert re.search(r"(manage closely|keep satisfied|keep informed|monitor)", digest)
    moscow = r"Requirements by MoSCoW: Must \d+ · Should \d+ · Could \d+ · Won't \d+"
    assert re.search(moscow, digest)
    assert "12 participants" in result.stderr and "12 finished all tiers" in result.stderr
    assert (out / "map.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    for name in ("map", "grid"):
        assert (out / f"{name}.svg").read_bytes().startswith(b"<?xml")
    report_html = (out / "report.html").read_text(encoding="utf-8")
    assert report_html.count('<img src="data:image/png;base64,') == 2
    assert '<a href="map.svg">' in report_html and '<a href="grid.svg">' in report_html
    assert "Power–interest grid" in (out / "report.md").read_text(encoding="utf-8")
    graph = nx.read_graphml(out / "workshop.graphml")
    kinds = {d["kind"] for _, d in graph.nodes(data=True)}
    assert {"domain", "need", "scenario", "stakeholder", "requirement", "sdg"} <= kinds
