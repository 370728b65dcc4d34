"""PNG of the map (matplotlib Agg, no pyplot, seeded layout) and its text equivalent."""

from __future__ import annotations

import io

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.digest.metrics import DigestMetrics

#: Colour and marker per node kind: meaning never rests on colour alone.
STYLE = {
    "domain": ("#1f77b4", "s", "Domain (square)"),
    "scenario": ("#2ca02c", "D", "Scenario (diamond)"),
    "stakeholder": ("#ff7f0e", "o", "Stakeholder (circle)"),
    "module": ("#9467bd", "^", "Module (triangle)"),
}
MAX_STAKEHOLDERS = 40


def overview_graph(m: DigestMetrics) -> nx.Graph:
    """A drawable overview: top domains, scenarios, the most-named stakeholders and modules."""
    g = nx.Graph()
    for gap in m.domain_gaps[:8]:
        g.add_node(f"domain:{gap.code}", kind="domain", label=gap.code)
    for sh in m.stakeholders[:MAX_STAKEHOLDERS]:
        scenario = f"scenario:{sh.scenario}"
        g.add_node(scenario, kind="scenario", label=sh.scenario.replace("_", " "))
        node = f"stakeholder:{sh.scenario}:{sh.key}"
        g.add_node(node, kind="stakeholder", label=sh.name[:24])
        g.add_edge(node, scenario)
    for module in list(m.moscow)[:12]:
        g.add_node(f"module:{module}", kind="module", label=module[:24])
    for scenario, domains in m.scenario_domains.items():
        for code in domains:
            if f"scenario:{scenario}" in g and f"domain:{code}" in g:
                g.add_edge(f"domain:{code}", f"scenario:{scenario}")
    return g


def render_png(m: DigestMetrics, *, seed: int = 7, dpi: int = 100) -> bytes:
    """Draw the overview map as PNG bytes; the same metrics and seed give the same bytes."""
    g = overview_graph(m)
    fig = Figure(figsize=(12, 9), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    ax.set_title(f"Stakeholder requirement map: {m.workshop.get('title', '')}")
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=seed, k=0.9)
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.3)
        for kind, (colour, marker, _) in STYLE.items():
            nodes = [n for n, d in g.nodes(data=True) if d["kind"] == kind]
            nx.draw_networkx_nodes(
                g, pos, nodelist=nodes, node_color=colour, node_shape=marker, ax=ax, node_size=260
            )
        nx.draw_networkx_labels(
            g, pos, labels={n: d["label"] for n, d in g.nodes(data=True)}, font_size=7, ax=ax
        )
    ax.legend(
        handles=[
            Line2D([], [], color=c, marker=mk, linestyle="", markersize=9, label=label)
            for c, mk, label in STYLE.values()
        ],
        loc="lower left",
        fontsize=8,
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
