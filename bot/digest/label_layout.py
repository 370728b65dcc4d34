"""Keeping picture labels apart: measured text boxes, greedy vertical nudging."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeVar

from matplotlib.backend_bases import RendererBase
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

_T = TypeVar("_T")

#: Gap in pixels kept between two labels.
PAD = 2.0


def drawn_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text artist of ``fig`` (titles, labels, legends, ticks).

    Tick labels of an axes drawn without its axis (``set_axis_off``) are not drawn.
    """
    hidden = {
        id(t)
        for ax in fig.axes
        if not ax.axison
        for t in (*ax.get_xticklabels(), *ax.get_yticklabels())
    }
    return [
        t
        for t in fig.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


def boxes(texts: Iterable[Text], renderer: RendererBase) -> list[Bbox]:
    """Window extents of ``texts`` in pixels."""
    return [t.get_window_extent(renderer) for t in texts]


def overlapping(a: Bbox, b: Bbox) -> bool:
    """Whether two boxes share area (touching edges do not count)."""
    return bool(a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1)


def nudge_apart(movable: Sequence[Text], fixed: Sequence[Text], renderer: RendererBase) -> None:
    """Move each label of ``movable`` down until it overlaps no label placed before it.

    Labels are handled top to bottom, so a column of crowded labels fans out downwards.
    Each label moves only vertically, in display pixels converted back to its own
    coordinates; the work is quadratic in the labels drawn (a few dozen), not in the data.
    """
    placed = boxes(fixed, renderer)
    order = sorted(movable, key=lambda t: -t.get_window_extent(renderer).y1)
    for text in order:
        box = text.get_window_extent(renderer)
        for _ in range(len(placed) + 1):
            hits = [p for p in placed if overlapping(box, p)]
            if not hits:
                break
            drop = box.y1 - min(p.y0 for p in hits) + PAD
            _shift(text, -drop)
            box = text.get_window_extent(renderer)
        placed.append(box)


def _shift(text: Text, dy_pixels: float) -> None:
    transform = text.get_transform()
    x, y = text.get_position()
    dx, dy = transform.transform((x, y))
    _, new_y = transform.inverted().transform((dx, dy + dy_pixels))
    text.set_position((x, float(new_y)))


def fit_width(text: Text, full: str, max_pixels: float, renderer: RendererBase) -> None:
    """Set ``text`` to the longest start of ``full`` (with "…") no wider than ``max_pixels``."""
    text.set_text(full)
    if text.get_window_extent(renderer).width <= max_pixels:
        return
    low, high = 0, len(full)
    while low < high:
        mid = (low + high + 1) // 2
        text.set_text(full[:mid].rstrip() + "…")
        if text.get_window_extent(renderer).width <= max_pixels:
            low = mid
        else:
            high = mid - 1
    text.set_text(full[:low].rstrip() + "…")


def reading_order(entries: Sequence[_T], columns: int, rtl: bool) -> list[_T]:
    """Legend entries so their columns read from the right in a right-to-left locale.

    Matplotlib fills a legend column by column from the left; right to left, the first
    column of entries must stand at the right.
    """
    if not rtl:
        return list(entries)
    rows = -(-len(entries) // columns)
    chunks = [list(entries[i : i + rows]) for i in range(0, len(entries), rows)]
    return [entry for chunk in reversed(chunks) for entry in chunk]
