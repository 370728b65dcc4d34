"""PNG of the map (matplotlib Agg, no pyplot, seeded layout) and its text equivalent."""

from __future__ import annotations

import io
import warnings

import networkx as nx
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.digest.metrics import DigestMetrics
from bot.digest.split import truncate
from flows.text import Listing, Literal, Localized, Msg

#: Colour, marker and legend label per node kind: meaning never rests on colour alone.
STYLE = {
    "domain": ("#1f77b4", "s", "Domain (square)"),
    "scenario": ("#2ca02c", "D", "Scenario (diamond)"),
    "stakeholder": ("#ff7f0e", "o", "Stakeholder (circle)"),
    "module": ("#9467bd", "^", "Module (triangle)"),
}
MAX_DOMAINS = 8
MAX_STAKEHOLDERS = 40
MAX_MODULES = 12
LABEL_CHARS = 24
#: Width, height (inches) and resolution: 1200 × 900 pixels, a few hundred kB.
SIZE = (12, 9)
DPI = 100


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (picture labels)."""
    one_line = " ".join(text.split())
    return truncate(one_line, limit)


def overview_graph(m: DigestMetrics) -> nx.Graph:
    """A drawable overview: top domains, scenarios, the most-named stakeholders and modules."""
    g = nx.Graph()
    for gap in m.domain_gaps[:MAX_DOMAINS]:
        g.add_node(f"domain:{gap.code}", kind="domain", label=gap.code)
    for sh in m.stakeholders[:MAX_STAKEHOLDERS]:
        scenario = f"scenario:{sh.scenario}"
        g.add_node(scenario, kind="scenario", label=sh.scenario.replace("_", " "))
        node = f"stakeholder:{sh.scenario}:{sh.key}"
        g.add_node(node, kind="stakeholder", label=short_label(sh.name))
        g.add_edge(node, scenario)
    modules = sorted(m.moscow.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for module, _counts in modules[:MAX_MODULES]:
        g.add_node(f"module:{module}", kind="module", label=short_label(module))
    for scenario, domains in m.scenario_domains.items():
        for code in domains:
            if f"scenario:{scenario}" in g and f"domain:{code}" in g:
                g.add_edge(f"domain:{code}", f"scenario:{scenario}")
    return g


def render_png(m: DigestMetrics, *, seed: int = 7, dpi: int = DPI) -> bytes:
    """Draw the overview map as PNG bytes; the same metrics and seed give the same bytes.

    Labels are drawn with math parsing off, so participants' ``$`` signs are text.
    """
    g = overview_graph(m)
    fig = Figure(figsize=SIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    ax.set_title(
        short_label(f"Stakeholder requirement map: {m.workshop.title}", 100),
        parse_math=False,
    )
    if g.number_of_nodes():
        pos = nx.spring_layout(g, seed=seed, k=0.9)
        nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.3)
        for kind, (colour, marker, _) in STYLE.items():
            nodes = [n for n, d in g.nodes(data=True) if d["kind"] == kind]
            if nodes:
                nx.draw_networkx_nodes(
                    g,
                    pos,
                    nodelist=nodes,
                    node_color=colour,
                    node_shape=marker,
                    ax=ax,
                    node_size=260,
                )
        for node, data in g.nodes(data=True):
            x, y = pos[node]
            ax.text(x, y, data["label"], fontsize=7, ha="center", va="center", parse_math=False)
    ax.legend(
        handles=[
            Line2D([], [], color=c, marker=mk, linestyle="", markersize=9, label=label)
            for c, mk, label in STYLE.values()
        ],
        loc="lower left",
        fontsize=8,
    )
    return png_bytes(fig)


def png_bytes(fig: Figure) -> bytes:
    """Save a figure as PNG bytes, reproducibly (no timestamp or software metadata)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # DejaVu has no CJK glyphs; such labels show as boxes in the picture and in
        # full in the text equivalent, which every picture has.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        warnings.filterwarnings("ignore", message="Matplotlib currently does not support")
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def map_text(m: DigestMetrics) -> list[Msg]:
    """The map picture in words: each scenario with its domains and stakeholders."""
    lines: list[Msg] = [Msg("picture.map_heading")]
    by_scenario: dict[str, list[str]] = {}
    for sh in m.stakeholders[:MAX_STAKEHOLDERS]:
        by_scenario.setdefault(sh.scenario, []).append(sh.name)
    top = {g.code for g in m.domain_gaps[:MAX_DOMAINS]}
    for scenario, names in by_scenario.items():
        title = m.scenario_titles.get(scenario)
        domains = [Msg(f"domain.{c}") for c in m.scenario_domains.get(scenario, []) if c in top]
        lines.append(
            Msg(
                "picture.map_scenario",
                {
                    "scenario": Localized(title) if title else Literal(scenario),
                    "domains": Listing(tuple(domains)) if domains else Msg("picture.none"),
                    "stakeholders": Listing(tuple(Literal(n) for n in names)),
                },
            )
        )
    modules = sorted(m.moscow.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    if modules:
        lines.append(
            Msg(
                "picture.map_modules",
                {"modules": Listing(tuple(Literal(k) for k, _ in modules[:MAX_MODULES]))},
            )
        )
    return lines
