"""Every export format of a workshop, as named files in memory (the CLI writes them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.digest.findings import Findings
    from flows.catalog import Catalogs
    from flows.snapshot import WorkshopSnapshot

#: Format name → file extension (``csv`` is a folder of tables).
FORMATS = {
    "csv": "",
    "json": ".json",
    "graphml": ".graphml",
    "gexf": ".gexf",
    "kumu": ".kumu.json",
    "md": ".md",
    "html": ".html",
}


def default_name(slug: str, fmt: str) -> str:
    """The file (or folder, for CSV) an export is written to by default."""
    return f"{slug}-csv" if fmt == "csv" else f"{slug}{FORMATS[fmt]}"


def export_files(
    snap: WorkshopSnapshot,
    fmt: str,
    catalogs: Catalogs,
    *,
    name: str,
    locale: str = "en",
    seed: int = 7,
    step: Callable[[str], None] = lambda _: None,
    findings: Findings | None = None,
    generated: datetime | None = None,
) -> dict[str, bytes]:
    """Render one export of ``snap``: relative file name → bytes.

    Args:
        snap: The workshop (approved contributions only, as stored now).
        fmt: One of :data:`FORMATS`.
        catalogs: Message catalogs for reports.
        name: Main file name (``riverside.md``) or, for CSV, the folder the tables go in.
        locale: Language of reports.
        seed: Layout seed for pictures (same seed, same bytes).
        step: Called with a short description before each slow step (progress bars).
        findings: Themes and group comparison (see ``bot.digest.findings``); every format
            then carries them (theme nodes, ``theme`` attributes, ``themes.csv``, report).
        generated: When the report is made (now when not given), shown in its method note.

    Raises:
        ValueError: Unknown format.
    """
    from bot.digest.actors import resolve
    from bot.digest.drawings import drawings, file_names
    from bot.digest.export_graph import gexf_bytes, graphml_bytes, kumu, node_link, safe_json
    from bot.digest.export_tables import csv_tables
    from bot.digest.graph import build_graph
    from bot.digest.html_report import render_html
    from bot.digest.metrics import compute_metrics
    from bot.digest.report import render_markdown

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    step("computing metrics")
    metrics = compute_metrics(snap, seed=seed, findings=findings)
    if fmt == "csv":
        step("writing tables")
        return {
            str(PurePath(name) / file): text.encode("utf-8")
            for file, text in csv_tables(snap, metrics).items()
        }
    if fmt in ("md", "html"):
        step("drawing the map and the power–interest grid")
        pictures = drawings(metrics, catalogs=catalogs, locale=locale)
        step("writing the report")
        made = generated or datetime.now(UTC)
        stem = PurePath(name).stem
        folder = PurePath(name).parent
        names = file_names(stem)
        # An SVG beside every picture: the vector copy for print and for slides.
        beside = {str(folder / names[k][1]): pictures[k].svg for k in names}
        if fmt == "html":
            html = render_html(
                metrics,
                catalogs,
                locale=locale,
                map_png=pictures["map"].png,
                grid_png=pictures["grid"].png,
                svg_links={k: names[k][1] for k in names},
                generated=made,
            )
            return {name: html.encode("utf-8"), **beside}
        report = render_markdown(
            metrics,
            catalogs,
            locale=locale,
            images={k: names[k][0] for k in names},
            vectors={k: names[k][1] for k in names},
            generated=made,
        )
        return {
            name: report.encode("utf-8"),
            **{str(folder / names[k][0]): pictures[k].png for k in names},
            **beside,
        }
    step("building the graph")
    graph = build_graph(snap, findings)
    step(f"writing {fmt}")
    if fmt == "graphml":
        return {name: graphml_bytes(graph)}
    if fmt == "gexf":
        return {name: gexf_bytes(graph)}
    if fmt == "json":
        view = resolve(snap)
        envelope = node_link(graph, snap.workshop, findings, view)
        return {name: safe_json(envelope).encode("utf-8")}
    return {name: safe_json(kumu(graph)).encode("utf-8")}
