"""The demo workshop names "City council" in every scenario, in three spellings; it is one actor.

Simulated citizens (the demo's own, through the real router) fill a workshop in English
and Chinese. The map, its JSON envelope and the power–interest grid then hold one
"City council". A moderator on the console asks ``!actors``: "Urban lab" and
``城市实验室`` are suggested for a merge; ``!merge`` makes them one node, ``!split``
makes them two again, and the audit log holds both decisions.
"""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import Iterator

import jsonschema
import networkx as nx
import pytest
from sqlmodel import col, select

from bot.demo.simulation import simulate
from bot.digest.export_graph import graphml_bytes, json_schema
from bot.digest.exports import export_files
from bot.digest.graph import build_graph
from bot.digest.grid import grid_points
from bot.digest.metrics import compute_metrics
from bot.runtime import Runtime
from bot.testing.harness import ChatHarness
from bot.testing.network import network_unreachable
from storage.models import ActorDecision, AuditLog

#: Enough simulated citizens (seed 7) for all three council spellings, and both labs.
CITIZENS = 24
COUNCIL = {"City council", "city council", "The City Council"}


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


@pytest.fixture
def demo(app: Runtime) -> Runtime:
    result = asyncio.run(simulate(app.router, "city", CITIZENS, 7))
    assert result.participants == CITIZENS
    return app


def _stakeholder_nodes(rt: Runtime) -> dict[str, dict[str, object]]:
    ws = rt.store.find_workshop("city")
    assert ws is not None
    graph = nx.read_graphml(io.BytesIO(graphml_bytes(build_graph(rt.store.snapshot(ws.id)))))
    return {d["label"]: d for _, d in graph.nodes(data=True) if d["kind"] == "stakeholder"}


def test_the_city_council_is_one_actor_in_the_map_the_json_and_the_grid(demo: Runtime) -> None:
    ws = demo.store.find_workshop("city")
    assert ws is not None
    snap = demo.store.snapshot(ws.id)
    council_rows = [s for s in snap.stakeholders if s.name in COUNCIL]
    assert {s.name for s in council_rows} == COUNCIL  # all three spellings were typed
    scenarios = {s.scenario_id for s in council_rows}
    assert len(scenarios) > 1

    nodes = _stakeholder_nodes(demo)
    councils = [label for label in nodes if label.casefold().endswith("city council")]
    assert councils == ["City council"]  # the spelling most participants used
    council = nodes["City council"]
    assert council["mentions"] == len(council_rows)
    assert len(str(council["scenarios"]).split(";")) == len(scenarios)

    (envelope,) = export_files(snap, "json", demo.router.core.catalogs, name="w.json").values()
    doc = json.loads(envelope)
    jsonschema.validate(doc, json_schema())
    graph_councils = [
        n
        for n in doc["graph"]["nodes"]
        if n["kind"] == "stakeholder" and n["id"].endswith("council")
    ]
    assert [n["id"] for n in graph_councils] == ["stakeholder:city council"]
    (actor,) = [a for a in doc["actors"] if a["id"] == "city council"]
    assert sum(p["mentions"] for p in actor["scenarios"]) == len(council_rows)
    assert set(actor["names"]) == COUNCIL

    points = [p for p in grid_points(compute_metrics(snap)) if p.key == "city council"]
    assert len(points) == 1 and points[0].mentions == len(council_rows)


def test_a_moderator_merges_the_urban_lab_and_splits_it_again(demo: Runtime) -> None:
    before = _stakeholder_nodes(demo)
    assert "Urban lab" in before and "城市实验室" in before
    lab, lab_zh = before["Urban lab"]["mentions"], before["城市实验室"]["mentions"]

    mo = ChatHarness(demo.router, "mo", "city", is_platform_admin=True)
    mo.say("!actors")
    assert "“城市实验室” and “Urban lab”" in mo.text or "“Urban lab” and “城市实验室”" in mo.text
    assert "City council" in mo.text

    mo.say("!merge stakeholder 城市实验室 Urban lab")
    assert "“城市实验室” is now part of “Urban lab”" in mo.text
    merged = _stakeholder_nodes(demo)
    assert "城市实验室" not in merged
    assert merged["Urban lab"]["mentions"] == lab + lab_zh
    assert len(merged) == len(before) - 1

    mo.say('!split stakeholder "城市实验室"')
    assert "stand apart again" in mo.text
    split = _stakeholder_nodes(demo)
    assert (split["Urban lab"]["mentions"], split["城市实验室"]["mentions"]) == (lab, lab_zh)
    assert len(split) == len(before)

    mo.say("!merge suggestions")
    assert "城市实验室" not in mo.text  # split by a moderator: not suggested again

    with demo.store.session() as session:
        actions = [
            a.action
            for a in session.exec(select(AuditLog).order_by(col(AuditLog.id)))
            if a.action.startswith("actor.")
        ]
        merge = session.exec(select(ActorDecision).where(ActorDecision.action == "merge")).one()
    assert actions == ["actor.merge", "actor.split"]
    assert (merge.subject, merge.value) == ("城市实验室", "urban lab")
    assert merge.revoked_at is not None  # kept, revoked: the table tells the story too


def _modules(rt: Runtime) -> dict[str, int]:
    ws = rt.store.find_workshop("city")
    assert ws is not None
    (envelope,) = export_files(
        rt.store.snapshot(ws.id), "json", rt.router.core.catalogs, name="w.json"
    ).values()
    return {m["name"]: m["requirements"] for m in json.loads(envelope)["modules"]}


def test_a_moderator_merges_two_modules_and_renames_an_actor(demo: Runtime) -> None:
    before = _modules(demo)
    # The module is shown in its most used spelling ("Clinic booking" or "clinic booking").
    clinic = next(name for name in before if name.lower() == "clinic booking")
    assert "诊所预约" in before
    mo = ChatHarness(demo.router, "mo", "city", is_platform_admin=True)

    mo.say("!merge module 诊所预约 | clinic booking")
    assert "“诊所预约” is now part of “clinic booking”" in mo.text.replace(clinic, "clinic booking")
    after = _modules(demo)
    assert "诊所预约" not in after
    assert after[clinic] == before[clinic] + before["诊所预约"]

    mo.say('!rename stakeholder "the city council" "Riverside City Council"')
    assert "“City council” is now shown as “Riverside City Council”" in mo.text
    nodes = _stakeholder_nodes(demo)
    assert "Riverside City Council" in nodes and "City council" not in nodes
    mo.say("!rename stakeholder Riverside City Council City council")  # its own name: undone
    assert "City council" in _stakeholder_nodes(demo)

    mo.say("!merge stakeholder City council Nobody here")
    assert "There is no stakeholder called “Nobody here” in this workshop" in mo.text
    with demo.store.session() as session:
        in_force = session.exec(
            select(ActorDecision).where(col(ActorDecision.revoked_at).is_(None))
        ).all()
    assert [(d.kind, d.action, d.subject, d.value) for d in in_force] == [
        ("module", "merge", "诊所预约", "clinic booking")
    ]
