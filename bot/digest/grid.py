"""The power–interest grid (Mendelow) as a PNG, and the same as a text table.

Points are numbered; a side list names them, grouped under their salience class
(Mitchell, Agle and Wood) with what the class means, so no class word sits next to a
name. Points on the same spot share one label ("3, 7"), and labels are nudged apart.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.text import Text

from bot.digest import fonts
from bot.digest.label_layout import nudge_apart
from bot.digest.metrics import HIGH, DigestMetrics, StakeholderSummary
from bot.digest.picture import font, png_bytes, scenario_ref, shipped_catalogs, short_label
from flows.catalog import Catalogs
from flows.direction import is_rtl
from flows.text import Literal, Localized, Msg, Number

#: Marker and colour per helix group: shape and a legend carry the meaning, not colour.
HELIX_STYLE: dict[str | None, tuple[str, str]] = {
    "government": ("#1f77b4", "s"),
    "industry": ("#ff7f0e", "^"),
    "academia": ("#2ca02c", "D"),
    "civil_society": ("#d62728", "o"),
    None: ("#7f7f7f", "x"),
}
MAX_POINTS = 30
#: Quadrant names in the plot's corners (axes coordinates, alignment, quadrant).
QUADRANT_LABELS = (
    (0.01, 0.99, "left", "top", "keep_satisfied"),
    (0.99, 0.99, "right", "top", "manage_closely"),
    (0.01, 0.01, "left", "bottom", "monitor"),
    (0.99, 0.01, "right", "bottom", "keep_informed"),
)
#: Quadrants in the key under the grid, most attention first, and where the key starts.
QUADRANT_ORDER = ("manage_closely", "keep_satisfied", "keep_informed", "monitor")
QUADRANT_KEY_TOP = 0.105
#: Salience classes in the side list, most salient first.
SALIENCE_ORDER = (
    "definitive",
    "dominant",
    "dangerous",
    "dependent",
    "dormant",
    "discretionary",
    "demanding",
    "non_stakeholder",
)
#: Points closer than this (in grid units, both axes) share one label.
SAME_SPOT = 0.1
KEY_STEP = 0.019
#: Lowest point of the side list (figure coordinates).
KEY_BOTTOM = 0.02
KEY_CHARS = 44
#: Left and right edge of the legend and side list beside the grid (figure coordinates).
SIDE_LEFT, SIDE_RIGHT = 0.6, 0.97


def grid_points(m: DigestMetrics) -> list[StakeholderSummary]:
    """The stakeholders drawn on the grid (most named first), each numbered from 1."""
    rated = [s for s in m.stakeholders if s.power is not None and s.interest is not None]
    return rated[:MAX_POINTS]


def spots(points: list[StakeholderSummary]) -> dict[tuple[int, int], list[int]]:
    """Point numbers grouped by where they are drawn (rounded to :data:`SAME_SPOT`)."""
    found: dict[tuple[int, int], list[int]] = defaultdict(list)
    for number, sh in enumerate(points, start=1):
        assert sh.interest is not None and sh.power is not None
        found[(round(sh.interest / SAME_SPOT), round(sh.power / SAME_SPOT))].append(number)
    return found


def render_grid_png(
    m: DigestMetrics, *, catalogs: Catalogs | None = None, locale: str = "en", dpi: int = 100
) -> bytes:
    """Draw the power–interest grid; points are numbered to match :func:`grid_text`.

    Args:
        m: The workshop's metrics.
        catalogs: Message catalogs for the title, axes, quadrants and legends (shipped
            ones when not given).
        locale: Language of every text the picture adds to participants' words.
        dpi: Resolution.
    """
    return png_bytes(grid_figure(m, catalogs=catalogs, locale=locale, dpi=dpi))


def grid_figure(
    m: DigestMetrics, *, catalogs: Catalogs | None = None, locale: str = "en", dpi: int = 100
) -> Figure:
    """The grid as a drawn matplotlib figure (what :func:`render_grid_png` saves).

    In a right-to-left locale the texts beside and under the grid are set flush right
    and the legend's markers stand at the right of their words; the grid itself keeps
    its axes, 1 to 5 from the left, like any chart of numbers.
    """
    cat = catalogs or shipped_catalogs()
    rtl = is_rtl(locale)
    fig = Figure(figsize=(14, 10), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.07, 0.2, 0.5, 0.7))
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(0.5, 5.5)
    ax.set_xticks([1, 2, 3, 4, 5])
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.tick_params(labelfontfamily=fonts.families(locale), labelsize=9)
    ax.set_xlabel(cat.render(Msg("picture.grid_x"), locale), fontproperties=font(11, locale))
    ax.set_ylabel(cat.render(Msg("picture.grid_y"), locale), fontproperties=font(11, locale))
    title = Msg("picture.grid_title", {"title": Literal(m.workshop.title)})
    fig.suptitle(
        short_label(cat.render(title, locale), 100),
        fontproperties=font(13, locale),
        parse_math=False,
    )
    ax.axvline(HIGH, color="#555555", linewidth=1)
    ax.axhline(HIGH, color="#555555", linewidth=1)
    quadrants: list[Text] = [
        ax.text(
            x,
            y,
            cat.render(Msg(f"picture.quadrant.{q}"), locale),
            ha=ha,
            va=va,
            fontproperties=font(9, locale),
            style="italic",
            color="#444444",
            transform=ax.transAxes,
        )
        for x, y, ha, va, q in QUADRANT_LABELS
    ]
    points = grid_points(m)
    labels: list[Text] = []
    for (sx, sy), numbers in sorted(spots(points).items()):
        x, y = sx * SAME_SPOT, sy * SAME_SPOT
        offsets = _ring(len(numbers))
        for (dx, dy), number in zip(offsets, numbers, strict=True):
            colour, marker = HELIX_STYLE.get(points[number - 1].helix, HELIX_STYLE[None])
            ax.plot(x + dx, y + dy, marker=marker, color=colour, markersize=8, linestyle="")
        text = ", ".join(str(n) for n in numbers)
        labels.append(
            ax.text(x + 0.12, y + 0.1, text, fontproperties=font(8, locale), ha="left", va="bottom")
        )
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    nudge_apart(labels, quadrants, renderer)
    legend = fig.legend(
        handles=[
            Line2D(
                [],
                [],
                color=c,
                marker=mk,
                linestyle="",
                markersize=8,
                label=cat.render(Msg(f"picture.grid_helix.{group or 'none'}"), locale),
            )
            for group, (c, mk) in HELIX_STYLE.items()
        ],
        loc="upper right" if rtl else "upper left",
        bbox_to_anchor=(SIDE_RIGHT if rtl else SIDE_LEFT, 0.91),
        prop=font(9, locale),
        title=cat.render(Msg("picture.grid_helix"), locale),
        title_fontproperties=font(10, locale),
        frameon=False,
        markerfirst=not rtl,
        alignment="right" if rtl else "center",
    )
    _quadrant_key(fig, cat, locale)
    top = legend.get_window_extent(renderer).transformed(fig.transFigure.inverted()).y0
    _side_list(fig, m, points, cat, locale, top - 0.03)
    return fig


def _quadrant_key(fig: Figure, cat: Catalogs, locale: str) -> None:
    """Under the grid: what each Mendelow quadrant asks of the council, in the reader's words."""
    column = _Column(0.07, 0.57, is_rtl(locale))
    y = QUADRANT_KEY_TOP
    column.text(fig, 0.0, y, cat.render(Msg("picture.grid_quadrants"), locale), font(9.5, locale))
    for quadrant in QUADRANT_ORDER:
        y -= 0.022
        column.text(
            fig,
            0.01,
            y,
            cat.render(Msg(f"picture.quadrant_action.{quadrant}"), locale),
            font(8.5, locale),
        )


@dataclass(frozen=True)
class _Column:
    """A column of text lines on the figure, set from its left or, right to left, its right."""

    left: float
    right: float
    rtl: bool

    def text(
        self,
        fig: Figure,
        indent: float,
        y: float,
        line: str,
        prop: FontProperties,
        *,
        va: str = "baseline",
        style: str = "normal",
    ) -> None:
        x = self.right - indent if self.rtl else self.left + indent
        ha = "right" if self.rtl else "left"
        fig.text(x, y, line, fontproperties=prop, ha=ha, va=va, style=style, parse_math=False)


def _ring(count: int) -> list[tuple[float, float]]:
    """Small offsets that spread ``count`` markers on one spot so each stays visible."""
    if count == 1:
        return [(0.0, 0.0)]
    radius = 0.07
    return [
        (radius * math.cos(2 * math.pi * i / count), radius * math.sin(2 * math.pi * i / count))
        for i in range(count)
    ]


def _side_list(
    fig: Figure,
    m: DigestMetrics,
    points: list[StakeholderSummary],
    cat: Catalogs,
    locale: str,
    top: float,
) -> None:
    """The numbered key beside the grid, one block per salience class."""
    by_class: dict[str, list[int]] = defaultdict(list)
    for number, sh in enumerate(points, start=1):
        by_class[sh.salience].append(number)
    rated = sum(1 for s in m.stakeholders if s.power is not None and s.interest is not None)
    rows = 2.4 + len(by_class) + len(points)
    step = min(KEY_STEP, (top - KEY_BOTTOM) / rows)
    column = _Column(SIDE_LEFT, SIDE_RIGHT, is_rtl(locale))
    y = top
    column.text(
        fig, 0.0, y, cat.render(Msg("picture.grid_key"), locale), font(10, locale), va="top"
    )
    y -= step * 1.4
    for salience in sorted(by_class, key=_salience_rank):
        key = f"picture.salience.{salience}"
        heading = cat.render(Msg(key), locale) if cat.has(key) else salience
        column.text(fig, 0.0, y, heading, font(8.5, locale), va="top")
        y -= step
        for number in by_class[salience]:
            sh = points[number - 1]
            scenario = short_label(cat.render(scenario_ref(m, sh.scenario), locale), 20)
            line = short_label(f"{number}. {sh.name} · {scenario}", KEY_CHARS)
            column.text(fig, 0.015, y, line, font(8, locale), va="top")
            y -= step
    if rated > len(points):
        more = cat.render(Msg("picture.more", {"count": rated - len(points)}), locale)
        column.text(fig, 0.0, y, more, font(8, locale), style="italic", va="top")


def _salience_rank(salience: str) -> int:
    return SALIENCE_ORDER.index(salience) if salience in SALIENCE_ORDER else len(SALIENCE_ORDER)


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
                    "power": "–" if sh.power is None else Number(sh.power, 1),
                    "interest": "–" if sh.interest is None else Number(sh.interest, 1),
                    "quadrant": Msg(f"quadrant.{sh.quadrant}"),
                    "group": Msg(f"helix.{sh.helix}") if sh.helix else Msg("picture.none"),
                },
            )
        )
    return lines
