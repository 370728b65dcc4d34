"""The stakeholder requirement map as a networkx graph."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import networkx as nx

from bot.digest.actors import resolve
from bot.digest.gc_pause import gc_paused
from flows.snapshot import WorkshopSnapshot

#: Node kinds, in drawing order.
NODE_KINDS = ("helix", "sdg", "domain", "need", "scenario", "stakeholder", "requirement")
#: Edge kinds and what they mean.
EDGE_KINDS = {
    "refined_by": "a domain is refined by a need or a scenario",
    "plays_role": "a stakeholder plays a role (beneficiary, provider…) in a scenario",
    "relates": "one stakeholder funds, regulates, serves, shares data with, collaborates "
    "or conflicts with another",
    "derives": "a requirement derives from a scenario",
    "contributes_to": "a requirement contributes to a domain; a domain to an SDG target",
    "belongs_to": "a stakeholder belongs to a quadruple-helix group",
}
LABEL_CHARS = 80

if TYPE_CHECKING:
    from bot.digest.findings import Findings


def stakeholder_node(actor_id: str) -> str:
    """Node id of an actor (one per stakeholder of the workshop, see ``bot.digest.actors``)."""
    return f"stakeholder:{actor_id}"


def build_graph(snap: WorkshopSnapshot, findings: Findings | None = None) -> nx.MultiDiGraph:
    """One graph per workshop (see :func:`_build_graph`), built with the collector paused.

    With ``findings``, every theme is a node (``theme:<id>``, in its domain), and each
    need and requirement carries its ``theme`` id and an edge to it: the chain
    theme → domain → scenario → stakeholders → requirements can be walked.
    """
    with gc_paused():
        g = _build_graph(snap)
        if findings is not None:
            add_themes(g, findings)
        return g


def add_themes(g: nx.MultiDiGraph, findings: Findings) -> None:
    """Theme nodes, their domain edges, and ``theme`` attributes on needs and requirements."""
    for theme in findings.themes:
        node = f"theme:{theme.id}"
        g.add_node(
            node,
            kind="theme",
            label=theme.label("en"),
            labels="; ".join(f"{code}: {text}" for code, text in theme.labels),
            size=theme.size,
            domain=theme.domain,
            mean_gap=-1.0 if theme.mean_gap is None else round(theme.mean_gap, 2),
        )
        if f"domain:{theme.domain}" in g:
            g.add_edge(f"domain:{theme.domain}", node, kind="refined_by")
    for key, theme_id in findings.run.assignment:
        kind, _, number = key.partition(":")
        member = f"need:{number}" if kind == "need" else f"requirement:{number}"
        if member in g:
            g.nodes[member]["theme"] = theme_id
            g.add_edge(
                member, f"theme:{theme_id}", kind="expresses" if kind == "need" else "answers"
            )


def _build_graph(snap: WorkshopSnapshot) -> nx.MultiDiGraph:
    """One graph per workshop: domains, needs, scenarios, stakeholders, requirements, SDGs, groups.

    Stakeholders are actors (:func:`bot.digest.actors.resolve`): one node however many
    participants and scenarios name it, with ``mentions`` and one ``plays_role`` edge per
    scenario carrying that scenario's roles, power, interest, legitimacy and urgency.
    A relation between two spellings of one actor is left out (it is not a relation).
    Only what is in the snapshot enters, so hidden, pending and forgotten contributions
    never do. Attribute
    values are scalars (lists are joined with ``;``) so GraphML and GEXF hold them.
    """
    g = nx.MultiDiGraph(workshop=snap.workshop.slug)
    nodes: dict[str, dict[str, Any]] = {}
    edges: list[tuple[str, str, dict[str, Any]]] = []
    used_domains = {n.domain for n in snap.needs} | {
        r.domain for r in snap.requirements if r.domain
    }
    for s in snap.scenarios:
        used_domains.update(s.domains)
    for d in snap.domains:
        if d.code not in used_domains:
            continue
        node = f"domain:{d.code}"
        nodes[node] = {"kind": "domain", "label": d.code, "iso_theme": d.iso_theme}
        for target in d.sdgs:
            nodes[f"sdg:{target}"] = {"kind": "sdg", "label": f"SDG {target}"}
            edges.append((node, f"sdg:{target}", {"kind": "contributes_to"}))
    for n in snap.needs:
        node = f"need:{n.id}"
        nodes[node] = {
            "kind": "need",
            "label": n.text[:LABEL_CHARS],
            "text": n.text,
            "hmw": n.hmw or "",
            "importance": n.importance if n.importance is not None else -1,
            "satisfaction": n.satisfaction if n.satisfaction is not None else -1,
        }
        edges.append((f"domain:{n.domain}", node, {"kind": "refined_by"}))
    code_of: dict[int, str] = {}
    for s in snap.scenarios:
        code_of[s.id] = s.code
        node = f"scenario:{s.code}"
        nodes[node] = {"kind": "scenario", "label": s.title.get("en", s.code)}
        for code in s.domains:
            edges.append((f"domain:{code}", node, {"kind": "refined_by"}))
    view = resolve(snap)
    node_of = {row: stakeholder_node(actor) for row, actor in view.actor_of_row.items()}
    for actor in view.actors:
        node = stakeholder_node(actor.id)
        nodes[node] = {
            "kind": "stakeholder",
            "label": actor.name,
            "mentions": actor.mentions,
            "names": "; ".join(actor.names),
            "scenarios": ";".join(actor.scenarios),
        }
        for part in actor.parts:
            # Plain ``str`` values: the GraphML and GEXF writers know ``str``, not its subclasses.
            edges.append(
                (
                    node,
                    f"scenario:{part.scenario}",
                    {
                        "kind": "plays_role",
                        "role": ";".join(part.roles),
                        "mentions": part.mentions,
                        "power": -1.0 if part.power is None else round(part.power, 2),
                        "interest": -1.0 if part.interest is None else round(part.interest, 2),
                        "legitimacy": part.legitimacy,
                        "urgency": part.urgency,
                    },
                )
            )
        if actor.helix:
            helix = actor.helix.value
            nodes[f"helix:{helix}"] = {"kind": "helix", "label": helix}
            edges.append((node, f"helix:{helix}", {"kind": "belongs_to"}))
    for link in snap.links:
        src, dst = node_of.get(link.source_id), node_of.get(link.target_id)
        if src and dst and src != dst:
            relation = {"kind": "relates", "relation": link.relation.value, "weight": link.weight}
            edges.append((src, dst, relation))
    for r in snap.requirements:
        node = f"requirement:{r.id}"
        nodes[node] = {
            "kind": "requirement",
            "label": view.module_name(r.module)[:LABEL_CHARS],
            "module": view.module_name(r.module),
            "as_a": r.as_a,
            "i_want": r.i_want,
            "so_that": r.so_that or "",
            "moscow": "" if r.moscow is None else r.moscow.value,
            "acceptance": r.acceptance or "",
        }
        if r.scenario_id in code_of:
            edges.append((node, f"scenario:{code_of[r.scenario_id]}", {"kind": "derives"}))
        if r.domain:
            edges.append((node, f"domain:{r.domain}", {"kind": "contributes_to"}))
    g.add_nodes_from(nodes.items())
    g.add_edges_from(edges)
    return g
