"""Both pictures of a workshop, each as a PNG and an SVG drawn from the same figure."""

from __future__ import annotations

from dataclasses import dataclass

from bot.digest.grid import grid_figure
from bot.digest.metrics import DigestMetrics
from bot.digest.picture import map_figure, png_bytes, shipped_catalogs, svg_bytes
from flows.catalog import Catalogs

#: The pictures, by the name their files carry (``map.png``, ``grid.svg``).
NAMES = ("map", "grid")


@dataclass(frozen=True)
class Drawing:
    """One picture in two formats: raster for chat and e-mail, vector for print."""

    png: bytes
    svg: bytes


def drawings(
    m: DigestMetrics, *, catalogs: Catalogs | None = None, locale: str = "en"
) -> dict[str, Drawing]:
    """The map and the grid of ``m`` in ``locale``, keyed by :data:`NAMES`.

    Each figure is laid out once and saved twice, so the PNG and the SVG show the
    same labels in the same places.
    """
    cat = catalogs or shipped_catalogs()
    out: dict[str, Drawing] = {}
    for name, fig in (
        ("map", map_figure(m, catalogs=cat, locale=locale)),
        ("grid", grid_figure(m, catalogs=cat, locale=locale)),
    ):
        title = fig.axes[0].get_title() if name == "map" else fig.get_suptitle()
        out[name] = Drawing(png_bytes(fig), svg_bytes(fig, title))
    return out


def file_names(stem: str) -> dict[str, tuple[str, str]]:
    """``{"map": ("STEM-map.png", "STEM-map.svg"), …}``; no stem gives ``map.png``."""
    prefix = f"{stem}-" if stem else ""
    return {name: (f"{prefix}{name}.png", f"{prefix}{name}.svg") for name in NAMES}
