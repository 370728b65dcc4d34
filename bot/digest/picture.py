"""PNG of the map (matplotlib Agg, no pyplot, tiered layout) and its text equivalent.

The map reads as the method, left to right: domains (macro) → scenarios → the
stakeholders named in them (meso) → requirement modules (micro); in a right-to-left
locale it is the mirror image, read from the right. Every text is drawn
with :func:`bot.digest.fonts.families` and comes from the catalogs in the reader's
language; nodes carry titles and typed names, never internal codes.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache

from matplotlib import rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.digest import fonts
from bot.digest.label_layout import fit_width, nudge_apart, reading_order
from bot.digest.metrics import DigestMetrics
from bot.digest.split import truncate
from flows.catalog import Catalogs, load_catalogs
from flows.direction import is_rtl
from flows.text import Listing, Literal, Localized, Msg
from flows.text import Text as TextRef

#: Colour, marker and legend message per node kind: meaning never rests on colour alone.
STYLE = {
    "domain": ("#1f77b4", "s", "picture.legend_domain"),
    "scenario": ("#2ca02c", "D", "picture.legend_scenario"),
    "actor": ("#ff7f0e", "o", "picture.legend_actor"),
    "module": ("#9467bd", "^", "picture.legend_module"),
}
#: Line from a scenario to a module asked for in it: dashed, in the module colour.
MODULE_LINK: tuple[str, tuple[float, tuple[float, float]]] = ("#9467bd", (0.0, (4.0, 2.0)))
#: Column heading per kind, left to right.
COLUMNS = (
    ("domain", "picture.map_col_domains"),
    ("scenario", "picture.map_col_scenarios"),
    ("actor", "picture.map_col_actors"),
    ("module", "picture.map_col_modules"),
)
#: The cut of each column. Domains: worst gap first. Scenarios: most stakeholder
#: mentions first. Actors: most mentions first (times participants named them, over
#: every scenario), then most scenarios, then name. Modules: most requirements first.
#: The rest of a column is counted in one "… and N more" line under it.
MAX_DOMAINS = 8
MAX_SCENARIOS = 12
MAX_ACTORS = 24
MAX_MODULES = 12
LABEL_CHARS = 48
#: Width, height (inches) and resolution: 1400 × 1000 pixels, a few hundred kB.
SIZE = (14, 10)
DPI = 100
LABEL_SIZE = 8


@dataclass(frozen=True)
class Node:
    """One drawn node: its id, kind, label text and the ids of the nodes left of it it joins."""

    id: str
    kind: str
    ref: TextRef
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Overview:
    """What the map draws: the nodes per column and how many of each kind were left out."""

    columns: dict[str, list[Node]]
    more: dict[str, int]


@cache
def shipped_catalogs() -> Catalogs:
    """The shipped message catalogs, loaded once (for callers that pass none)."""
    return load_catalogs()


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis (picture labels)."""
    one_line = " ".join(text.split())
    return truncate(one_line, limit)


def font(size: float, locale: str = "en") -> FontProperties:
    """Font properties with the shipped family fallback list for ``locale`` at ``size`` points."""
    return FontProperties(family=fonts.families(locale), size=size)


def scenario_ref(m: DigestMetrics, code: str) -> TextRef:
    """A scenario's stored titles per locale (its code only when it has no title)."""
    title = m.scenario_titles.get(code)
    return Localized(title) if title else Literal(code.replace("_", " "))


def domain_ref(code: str, catalogs: Catalogs) -> TextRef:
    """A domain's name from the catalogs (the code only for a domain no catalog names)."""
    key = f"domain.{code}"
    return Msg(key) if catalogs.has(key) else Literal(code)


def overview(m: DigestMetrics, catalogs: Catalogs) -> Overview:
    """Pick the nodes to draw: top domains, their scenarios, top stakeholders and modules.

    A stakeholder named in several scenarios is one node joined to each of them. The
    work is linear in the summaries of the metrics; only the top few are kept.
    """
    domains = [g.code for g in m.domain_gaps]
    shown_domains = domains[:MAX_DOMAINS]
    domain_rank = {code: i for i, code in enumerate(shown_domains)}

    mentions: dict[str, int] = defaultdict(int)
    names: dict[str, tuple[int, str]] = {}
    scenarios_of: dict[str, list[str]] = defaultdict(list)
    scenario_weight: dict[str, int] = defaultdict(int)
    for sh in m.stakeholders:
        mentions[sh.key] += sh.mentions
        if sh.key not in names or sh.mentions > names[sh.key][0]:
            names[sh.key] = (sh.mentions, sh.name)
        scenarios_of[sh.key].append(sh.scenario)
        scenario_weight[sh.scenario] += sh.mentions
    for scenario in m.scenario_domains:
        scenario_weight.setdefault(scenario, 0)

    def scenario_order(code: str) -> tuple[float, int, str]:
        ranks = [domain_rank[d] for d in m.scenario_domains.get(code, []) if d in domain_rank]
        centre = sum(ranks) / len(ranks) if ranks else float(MAX_DOMAINS)
        return (centre, -scenario_weight[code], code)

    by_weight = sorted(scenario_weight, key=lambda c: (-scenario_weight[c], c))
    shown_scenarios = sorted(by_weight[:MAX_SCENARIOS], key=scenario_order)
    scenario_rank = {code: i for i, code in enumerate(shown_scenarios)}

    actors = sorted(mentions, key=lambda k: (-mentions[k], -len(set(scenarios_of[k])), k))
    shown_actors = actors[:MAX_ACTORS]

    def centre_of(scenarios: list[str], tie: int, key: str) -> tuple[float, int, str]:
        ranks = [scenario_rank[s] for s in scenarios if s in scenario_rank]
        centre = sum(ranks) / len(ranks) if ranks else float(MAX_SCENARIOS)
        return (centre, -tie, key)

    module_scenarios: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for story in m.stories:
        key = module_key(story.module)
        module_scenarios[key].append(story.scenario)
        spellings[key][" ".join(story.module.split())] += 1
    requirements = {k: len(v) for k, v in module_scenarios.items()}
    modules = sorted(requirements, key=lambda k: (-requirements[k], k))
    shown_modules = modules[:MAX_MODULES]
    columns = {
        "domain": [Node(f"domain:{c}", "domain", domain_ref(c, catalogs)) for c in shown_domains],
        "scenario": [
            Node(
                f"scenario:{c}",
                "scenario",
                scenario_ref(m, c),
                tuple(f"domain:{d}" for d in m.scenario_domains.get(c, []) if d in domain_rank),
            )
            for c in shown_scenarios
        ],
        "actor": [
            Node(
                f"actor:{k}", "actor", Literal(names[k][1]), _links(scenarios_of[k], scenario_rank)
            )
            for k in sorted(shown_actors, key=lambda k: centre_of(scenarios_of[k], mentions[k], k))
        ],
        "module": [
            Node(
                f"module:{k}",
                "module",
                Literal(_spelling(spellings[k])),
                _links(module_scenarios[k], scenario_rank),
            )
            for k in sorted(
                shown_modules, key=lambda k: centre_of(module_scenarios[k], requirements[k], k)
            )
        ],
    }
    more = {
        "domain": len(domains) - len(shown_domains),
        "scenario": len(scenario_weight) - len(shown_scenarios),
        "actor": len(actors) - len(shown_actors),
        "module": len(modules) - len(shown_modules),
    }
    return Overview(columns, more)


def module_key(module: str) -> str:
    """How modules are told apart: white space folded, case ignored (as in the MoSCoW counts)."""
    return " ".join(module.split()).casefold()


def _spelling(counts: Counter[str]) -> str:
    """The most used spelling of a module (the first in sort order on a tie)."""
    return min(counts, key=lambda text: (-counts[text], text))


def _links(scenarios: list[str], shown: dict[str, int]) -> tuple[str, ...]:
    """Node ids of the drawn scenarios among ``scenarios``, each once, in drawing order."""
    return tuple(
        f"scenario:{s}" for s in sorted(set(scenarios) & shown.keys(), key=lambda s: shown[s])
    )


def render_png(
    m: DigestMetrics,
    *,
    catalogs: Catalogs | None = None,
    locale: str = "en",
    dpi: int = DPI,
) -> bytes:
    """Draw the overview map as PNG bytes; the same metrics and locale give the same bytes.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs for titles, headings and the legend (shipped ones
            when not given).
        locale: Language of every text the picture adds to participants' words.
        dpi: Resolution.

    Labels are drawn with math parsing off, so participants' ``$`` signs are text.
    """
    return png_bytes(map_figure(m, catalogs=catalogs, locale=locale, dpi=dpi))


def map_figure(
    m: DigestMetrics, *, catalogs: Catalogs | None = None, locale: str = "en", dpi: int = DPI
) -> Figure:
    """The map as a drawn matplotlib figure (what :func:`render_png` saves)."""
    cat = catalogs or shipped_catalogs()
    view = overview(m, cat)
    fig = Figure(figsize=SIZE, dpi=dpi)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.02, right=0.98, top=0.93, bottom=0.09)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_axis_off()
    ax.set_xlim(-0.1, len(COLUMNS) - 0.05)
    ax.set_ylim(0.0, 1.0)
    ax.set_title(
        short_label(
            cat.render(Msg("picture.map_title", {"title": Literal(m.workshop.title)}), locale), 100
        ),
        fontproperties=font(13, locale),
        parse_math=False,
    )
    headers: list[Text] = []
    labels: dict[str, Text] = {}
    anchors: dict[str, tuple[float, float]] = {}
    extras: list[Text] = []
    # Right to left, the map is the mirror image: the tiers run from the right, each
    # label reads leftwards from its marker.
    rtl = is_rtl(locale)
    ha = "right" if rtl else "left"

    def at(x: float) -> float:
        return len(COLUMNS) - 0.15 - x if rtl else x

    for x, (kind, heading) in enumerate(COLUMNS):
        headers.append(
            ax.text(
                at(x - 0.05),
                0.985,
                cat.render(Msg(heading), locale),
                fontproperties=font(10, locale),
                ha=ha,
                va="top",
                parse_math=False,
            )
        )
        nodes = view.columns[kind]
        rows = len(nodes) + (1 if view.more[kind] else 0)
        step = min(0.9 / max(rows, 1), 0.08)
        colour, marker, _ = STYLE[kind]
        for i, node in enumerate(nodes):
            y = 0.93 - i * step
            anchors[node.id] = (at(x), y)
            ax.plot([at(x)], [y], marker=marker, color=colour, markersize=8, linestyle="", zorder=3)
            labels[node.id] = ax.text(
                at(x + 0.04),
                y,
                "",
                fontproperties=font(LABEL_SIZE, locale),
                ha=ha,
                va="center",
                parse_math=False,
                zorder=4,
                # Lines from scenarios to modules pass behind the actors' names.
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6},
            )
        if view.more[kind]:
            extras.append(
                ax.text(
                    at(x + 0.04),
                    0.93 - len(nodes) * step,
                    cat.render(Msg("picture.more", {"count": view.more[kind]}), locale),
                    fontproperties=font(LABEL_SIZE, locale),
                    style="italic",
                    ha=ha,
                    va="center",
                    parse_math=False,
                )
            )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    room = (ax.transData.transform((1.0, 0.0))[0] - ax.transData.transform((0.0, 0.0))[0]) * 0.84
    for kind, _ in COLUMNS:
        for node in view.columns[kind]:
            full = short_label(cat.render(node.ref, locale), LABEL_CHARS)
            fit_width(labels[node.id], full, room, renderer)
    nudge_apart([*labels.values(), *extras], headers, renderer)
    to_data = ax.transData.inverted()
    for kind, _ in COLUMNS:
        for node in view.columns[kind]:
            x1, y1 = anchors[node.id]
            for left in node.links:
                if left not in anchors:
                    continue
                box = labels[left].get_window_extent(renderer)
                if rtl:  # from the label's far (left) end to the marker's right
                    start_x = float(to_data.transform((box.x0, box.y0))[0]) - 0.01
                    xs = [start_x, x1 + 0.02]
                else:
                    start_x = float(to_data.transform((box.x1, box.y0))[0]) + 0.01
                    xs = [start_x, x1 - 0.02]
                _, start_y = labels[left].get_position()
                ys = [start_y, y1]
                if kind == "module":
                    line = Line2D(
                        xs, ys, color=MODULE_LINK[0], linestyle=MODULE_LINK[1], linewidth=0.9
                    )
                    line.set_alpha(0.7)
                else:
                    line = Line2D(xs, ys, color="#888888", linestyle="solid", linewidth=0.6)
                    line.set_alpha(0.45)
                line.set_zorder(1)
                ax.add_line(line)
    handles = [
        Line2D(
            [],
            [],
            color=c,
            marker=mk,
            linestyle="",
            markersize=9,
            label=cat.render(Msg(key), locale),
        )
        for c, mk, key in STYLE.values()
    ]
    handles.append(
        Line2D(
            [],
            [],
            color="#888888",
            linewidth=1,
            label=cat.render(Msg("picture.legend_link"), locale),
        )
    )
    handles.append(
        Line2D(
            [],
            [],
            color=MODULE_LINK[0],
            linestyle=MODULE_LINK[1],
            linewidth=1.2,
            label=cat.render(Msg("picture.legend_module_link"), locale),
        )
    )
    legend_columns = 3
    fig.legend(
        handles=reading_order(handles, legend_columns, rtl),
        loc="lower center",
        ncol=legend_columns,
        prop=font(9, locale),
        frameon=False,
        markerfirst=not rtl,
    )
    return fig


def png_bytes(fig: Figure) -> bytes:
    """Save a figure as PNG bytes, reproducibly (no timestamp or software metadata).

    Missing-glyph warnings are left on: a label drawn as boxes is a bug to see.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def svg_bytes(fig: Figure, title: str) -> bytes:
    """Save a figure as SVG bytes with every text drawn as glyph outlines.

    Outlines, not ``<text>``: an SVG viewer without a CJK font (most browsers on a
    council laptop, Inkscape on Windows) still shows Chinese. Matplotlib keeps each
    label's words in a comment at its group (``<!-- City council -->``), and ``title``
    becomes the SVG's ``<title>``, so the file stays searchable. Ids are salted and the
    date left out: the same figure gives the same bytes.
    """
    buffer = io.BytesIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "cityneeds"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Title": title})
    return buffer.getvalue()


def map_text(m: DigestMetrics) -> list[Msg]:
    """The map picture in words: each drawn scenario with its domains and stakeholders."""
    view = overview(m, shipped_catalogs())
    lines: list[Msg] = [Msg("picture.map_heading")]
    domains = {n.id: n.ref for n in view.columns["domain"]}
    actors_of: dict[str, list[TextRef]] = defaultdict(list)
    for actor in view.columns["actor"]:
        for scenario in actor.links:
            actors_of[scenario].append(actor.ref)
    for node in view.columns["scenario"]:
        linked = [domains[d] for d in node.links if d in domains]
        names = actors_of.get(node.id, [])
        lines.append(
            Msg(
                "picture.map_scenario",
                {
                    "scenario": node.ref,
                    "domains": Listing(tuple(linked)) if linked else Msg("picture.none"),
                    "stakeholders": Listing(tuple(names)) if names else Msg("picture.none"),
                },
            )
        )
    scenarios = {n.id: n.ref for n in view.columns["scenario"]}
    for module in view.columns["module"]:
        asked = [scenarios[s] for s in module.links if s in scenarios]
        lines.append(
            Msg(
                "picture.map_module",
                {
                    "module": module.ref,
                    "scenarios": Listing(tuple(asked)) if asked else Msg("picture.none"),
                },
            )
        )
    for kind, key in (("actor", "picture.map_more_actors"), ("module", "picture.map_more_modules")):
        if view.more[kind]:
            lines.append(Msg(key, {"count": view.more[kind]}))
    return lines
