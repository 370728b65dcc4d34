"""The map as files for graph tools: GraphML and GEXF (Gephi, yEd), node-link JSON, Kumu JSON."""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

import networkx as nx

from flows.snapshot import WorkshopHeader

#: Characters XML 1.0 cannot hold at all; removed before writing GraphML/GEXF.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Version of our JSON envelope (see ``schemas/workshop-map.schema.json``).
JSON_FORMAT = "cityneeds.workshop-map"
#: Version 2: one ``stakeholder:<actor>`` node per actor, ``actors`` and ``modules`` lists.
JSON_VERSION = 2

if TYPE_CHECKING:
    from bot.digest.actors import Actor, ActorView, Module
    from bot.digest.findings import Findings
    from bot.synthesis.types import Theme


def _xml_safe(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    def clean(attrs: dict[str, Any]) -> dict[str, Any]:
        return {k: _XML_INVALID.sub("", v) if isinstance(v, str) else v for k, v in attrs.items()}

    safe = nx.MultiDiGraph(**clean(dict(g.graph)))
    safe.add_nodes_from((_XML_INVALID.sub("", n), clean(d)) for n, d in g.nodes(data=True))
    safe.add_edges_from(
        (_XML_INVALID.sub("", u), _XML_INVALID.sub("", v), k, clean(d))
        for u, v, k, d in g.edges(keys=True, data=True)
    )
    return safe


def graphml_bytes(g: nx.MultiDiGraph) -> bytes:
    """GraphML (yEd, Gephi, Cytoscape); user text is XML-escaped by the writer."""
    buffer = io.BytesIO()
    nx.write_graphml(_xml_safe(g), buffer, encoding="utf-8")
    return buffer.getvalue()


def gexf_bytes(g: nx.MultiDiGraph) -> bytes:
    """GEXF 1.2 (Gephi)."""
    buffer = io.BytesIO()
    nx.write_gexf(_xml_safe(g), buffer, encoding="utf-8")
    return buffer.getvalue()


def safe_json(data: Any) -> str:
    """JSON with ``<``, ``>`` and ``&`` as unicode escapes, so it is inert inside HTML too."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def node_link(
    g: nx.MultiDiGraph,
    workshop: WorkshopHeader,
    findings: Findings | None = None,
    actors: ActorView | None = None,
) -> dict[str, Any]:
    """Our JSON envelope around networkx's node-link data, with the themes when found.

    With ``actors`` (``bot.digest.actors.resolve``), the envelope lists every actor with
    its spellings and per-scenario detail, and every requirement module.
    """
    data = nx.node_link_data(g, edges="links")
    return {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "workshop": {
            "slug": workshop.slug,
            "title": workshop.title,
            "timezone": workshop.timezone,
        },
        "themes": [] if findings is None else [theme_json(t) for t in findings.themes],
        "actors": [] if actors is None else [actor_json(a) for a in actors.actors],
        "modules": [] if actors is None else [module_json(m) for m in actors.modules],
        "graph": data,
    }


def actor_json(actor: Actor) -> dict[str, Any]:
    """One actor as the JSON envelope lists it; ``node`` is its graph node's id."""
    return {
        "id": actor.id,
        "node": f"stakeholder:{actor.id}",
        "name": actor.name,
        "names": list(actor.names),
        "mentions": actor.mentions,
        "helix": None if actor.helix is None else actor.helix.value,
        "scenarios": [
            {
                "scenario": p.scenario,
                "mentions": p.mentions,
                "roles": list(p.roles),
                "power": None if p.power is None else round(p.power, 2),
                "interest": None if p.interest is None else round(p.interest, 2),
                "legitimacy": p.legitimacy,
                "urgency": p.urgency,
            }
            for p in actor.parts
        ],
    }


def module_json(module: Module) -> dict[str, Any]:
    """One requirement module (micro) with the spellings merged into it."""
    return {
        "id": module.id,
        "name": module.name,
        "names": list(module.names),
        "requirements": module.requirements,
    }


def theme_json(theme: Theme) -> dict[str, Any]:
    """One theme as the JSON envelope lists it; quotes are verbatim member texts."""
    return {
        "id": theme.id,
        "label": theme.label("en"),
        "labels": dict(theme.labels),
        "size": theme.size,
        "domains": list(theme.domains),
        "groups": dict(theme.groups),
        "mean_gap": theme.mean_gap,
        "quotes": [{"text": q.text, "locale": q.locale, "key": q.key} for q in theme.quotes],
        "members": list(theme.member_keys),
    }


def kumu(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Kumu's import format: ``elements`` and ``connections`` (referenced by element id)."""
    elements = []
    for node, data in g.nodes(data=True):
        element = {"id": node, "label": data.get("label", node), "type": data.get("kind", "")}
        element.update(
            {k: v for k, v in data.items() if k not in ("label", "kind") and v not in ("", -1)}
        )
        elements.append(element)
    connections = []
    for u, v, data in g.edges(data=True):
        connection = {"from": u, "to": v, "type": data.get("kind", ""), "direction": "directed"}
        connection.update({k: val for k, val in data.items() if k != "kind" and val != ""})
        connections.append(connection)
    return {"elements": elements, "connections": connections}


def json_schema() -> dict[str, Any]:
    """The shipped JSON Schema of :func:`node_link` documents."""
    path = resources.files("bot.digest") / "schemas" / "workshop-map.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def kumu_schema() -> dict[str, Any]:
    """The shipped JSON Schema of :func:`kumu` documents."""
    path = resources.files("bot.digest") / "schemas" / "kumu.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
