"""The power–interest grid (Mendelow) as a PNG, and the same as a text table."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.digest.metrics import HIGH, DigestMetrics, StakeholderSummary
from bot.digest.picture import png_bytes, short_label
from flows.text import Literal, Localized, Msg

#: Marker and colour per helix group: shape and a legend carry the meaning, not colour.
HELIX_STYLE = {
    "government": ("#1f77b4", "s", "Government (square)"),
    "industry": ("#ff7f0e", "^", "Industry (triangle)"),
    "academia": ("#2ca02c", "D", "Academia (diamond)"),
    "civil_society": ("#d62728", "o", "Civil society (circle)"),
    None: ("#7f7f7f", "x", "Group not given (cross)"),
}
MAX_POINTS = 30
#: Quadrant names in the plot's corners (axes coordinates, alignment).
QUADRANT_LABELS = (
    (0.01, 0.99, "left", "top", "Keep satisfied"),
    (0.99, 0.99, "right", "top", "Manage closely"),
    (0.01, 0.01, "left", "bottom", "Monitor"),
    (0.99, 0.01, "right", "bottom", "Keep informed"),
)


def grid_points(m: DigestMetrics) -> list[StakeholderSummary]:
    """The stakeholders drawn on the grid (most named first), each numbered from 1."""
    rated = [s for s in m.stakeholders if s.power is not None and s.interest is not None]
    return rated[:MAX_POINTS]


def render_grid_png(m: DigestMetrics, *, dpi: int = 100) -> bytes:
    """Draw the power–interest grid; points are numbered to match :func:`grid_text`."""
    fig = Figure(figsize=(9, 8), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xlabel("Interest (mean, 1–5)")
    ax.set_ylabel("Power (mean, 1–5)")
    ax.set_title(short_label(f"Power–interest grid: {m.workshop.title}", 90), parse_math=False)
    ax.axvline(HIGH, color="#555555", linewidth=1)
    ax.axhline(HIGH, color="#555555", linewidth=1)
    for x, y, ha, va, label in QUADRANT_LABELS:
        ax.text(x, y, label, ha=ha, va=va, fontsize=10, style="italic", transform=ax.transAxes)
    for number, sh in enumerate(grid_points(m), start=1):
        colour, marker, _ = HELIX_STYLE.get(sh.helix, HELIX_STYLE[None])
        assert sh.interest is not None and sh.power is not None
        ax.plot(sh.interest, sh.power, marker=marker, color=colour, markersize=9, linestyle="")
        ax.text(sh.interest + 0.05, sh.power + 0.05, str(number), fontsize=7)
    key = "\n".join(
        f"{number}. {short_label(sh.name, 28)}" for number, sh in enumerate(grid_points(m), start=1)
    )
    fig.text(0.74, 0.62, key, fontsize=7, va="top", parse_math=False)
    ax.legend(
        handles=[
            Line2D([], [], color=c, marker=mk, linestyle="", markersize=8, label=label)
            for c, mk, label in HELIX_STYLE.values()
        ],
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
    )
    fig.subplots_adjust(right=0.72)
    return png_bytes(fig)


def grid_text(m: DigestMetrics) -> list[Msg]:
    """The grid as text: one numbered line per point, in the picture's numbering."""
    lines = [Msg("picture.grid_heading")]
    for number, sh in enumerate(grid_points(m), start=1):
        title = m.scenario_titles.get(sh.scenario)
        lines.append(
            Msg(
                "picture.grid_line",
                {
                    "number": number,
                    "name": Literal(sh.name),
                    "scenario": Localized(title) if title else Literal(sh.scenario),
                    "power": f"{sh.power:.1f}",
                    "interest": f"{sh.interest:.1f}",
                    "quadrant": Msg(f"quadrant.{sh.quadrant}"),
                    "group": Msg(f"helix.{sh.helix}") if sh.helix else Msg("picture.none"),
                },
            )
        )
    return lines
