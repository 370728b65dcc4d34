"""The stakeholder requirement map as a networkx graph."""

from __future__ import annotations

import networkx as nx

from storage.snapshot import WorkshopSnapshot

#: Node kinds, in drawing order.
NODE_KINDS = ("helix", "sdg", "domain", "need", "scenario", "stakeholder", "requirement")


def stakeholder_node(scenario_code: str, key: str) -> str:
    """Node id of a merged stakeholder."""
    return f"stakeholder:{scenario_code}:{key}"


def build_graph(snap: WorkshopSnapshot) -> nx.MultiDiGraph:
    """One graph per workshop: domains, needs, scenarios, stakeholders, requirements, SDGs, groups.

    Edges: ``refined_by`` (domain → need, domain → scenario), ``plays_role``
    (stakeholder → scenario, with ``role``), ``relates`` (stakeholder → stakeholder,
    with ``relation``), ``derives`` (requirement → scenario), ``contributes_to``
    (requirement → domain, domain → SDG target) and ``belongs_to`` (stakeholder →
    helix group). Attributes are scalars so GraphML and GEXF can hold them.
    """
    g = nx.MultiDiGraph(workshop=str(snap.workshop.get("slug", "")))
    used_domains = {n["domain"] for n in snap.needs} | {
        r["domain"] for r in snap.requirements if r["domain"]
    }
    for s in snap.scenarios:
        used_domains.update(s["domains"])
    for d in snap.domains:
        if d["code"] not in used_domains:
            continue
        g.add_node(f"domain:{d['code']}", kind="domain", label=d["code"], iso_theme=d["iso_theme"])
        for target in d["sdgs"]:
            g.add_node(f"sdg:{target}", kind="sdg", label=f"SDG {target}")
            g.add_edge(f"domain:{d['code']}", f"sdg:{target}", kind="contributes_to")
    for n in snap.needs:
        node = f"need:{n['id']}"
        g.add_node(
            node,
            kind="need",
            label=n["text"][:80],
            text=n["text"],
            importance=n["importance"] if n["importance"] is not None else -1,
            satisfaction=n["satisfaction"] if n["satisfaction"] is not None else -1,
        )
        g.add_edge(f"domain:{n['domain']}", node, kind="refined_by")
    code_of: dict[int, str] = {}
    for s in snap.scenarios:
        code_of[s["id"]] = s["code"]
        node = f"scenario:{s['code']}"
        g.add_node(node, kind="scenario", label=s["title"].get("en", s["code"]))
        for code in s["domains"]:
            g.add_edge(f"domain:{code}", node, kind="refined_by")
    node_of: dict[int, str] = {}
    for sh in snap.stakeholders:
        scenario = code_of.get(sh["scenario_id"], "?")
        node = stakeholder_node(scenario, sh["key"])
        node_of[sh["id"]] = node
        if node not in g:
            g.add_node(node, kind="stakeholder", label=sh["name"], mentions=0)
        g.nodes[node]["mentions"] += 1
        g.add_edge(node, f"scenario:{scenario}", kind="plays_role", role=sh["role"] or "")
        if sh["helix"]:
            g.add_node(f"helix:{sh['helix']}", kind="helix", label=sh["helix"])
            g.add_edge(node, f"helix:{sh['helix']}", kind="belongs_to")
    for link in snap.links:
        src, dst = node_of.get(link["source_id"]), node_of.get(link["target_id"])
        if src and dst:
            g.add_edge(src, dst, kind="relates", relation=link["relation"], weight=link["weight"])
    for r in snap.requirements:
        node = f"requirement:{r['id']}"
        g.add_node(
            node,
            kind="requirement",
            label=r["module"][:80],
            module=r["module"],
            story=f"As {r['as_a']}, I want {r['i_want']}, so that {r['so_that'] or '…'}",
            moscow=r["moscow"] or "",
            acceptance=r["acceptance"] or "",
        )
        if r["scenario_id"] in code_of:
            g.add_edge(node, f"scenario:{code_of[r['scenario_id']]}", kind="derives")
        if r["domain"]:
            g.add_edge(node, f"domain:{r['domain']}", kind="contributes_to")
    return g
