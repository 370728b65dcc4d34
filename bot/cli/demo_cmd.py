"""``cityneeds demo``: a seeded simulated workshop on SQLite, start to finish."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

DEMO_WORKSHOP = "demo"


def demo(
    participants: int = typer.Option(
        30, "--participants", min=1, max=100_000, help="Simulated citizens."
    ),
    seed: int = typer.Option(7, "--seed", help="Random seed (same seed, same workshop)."),
    out: Path = typer.Option(
        Path("demo-out"),
        "--out",
        help="Folder for map.png/.svg, grid.png/.svg, report.md, report.html, workshop.graphml.",
    ),
) -> None:
    """Simulate a workshop end to end (SQLite + the real router), then print its digest."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from bot.config import Settings
    from bot.demo.simulation import simulate
    from bot.digest.drawings import drawings, file_names
    from bot.digest.export_graph import graphml_bytes
    from bot.digest.graph import build_graph
    from bot.digest.html_report import render_html
    from bot.digest.metrics import compute_metrics
    from bot.digest.report import render_markdown
    from bot.digest.text import render_text
    from bot.runtime import ensure_workshop, open_runtime
    from bot.scheduler.findings import workshop_findings

    out.mkdir(parents=True, exist_ok=True)
    db = out / "demo.db"
    for stale in (db, db.with_name("demo.db-wal"), db.with_name("demo.db-shm")):
        stale.unlink(missing_ok=True)
    console = Console(stderr=True)
    settings = Settings(database_url=f"sqlite:///{db}")
    rt = open_runtime(settings)
    started = time.perf_counter()
    try:
        ws = ensure_workshop(rt.store, DEMO_WORKSHOP, "Riverside demo workshop")
        with Progress(
            TextColumn("simulating participants"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("sim", total=participants)
            result = asyncio.run(
                simulate(
                    rt.router,
                    DEMO_WORKSHOP,
                    participants,
                    seed,
                    on_done=lambda: progress.advance(task),
                )
            )
        snap = rt.store.snapshot(ws.id)
        findings = workshop_findings(rt.store, snap, locales=("en", "zh"))
        metrics = compute_metrics(snap, findings=findings)
        catalogs = rt.router.core.catalogs
        pictures = drawings(metrics, catalogs=catalogs, locale="en")
        names = file_names("")
        for name, (png_name, svg_name) in names.items():
            (out / png_name).write_bytes(pictures[name].png)
            (out / svg_name).write_bytes(pictures[name].svg)
        pngs = {name: files[0] for name, files in names.items()}
        svgs = {name: files[1] for name, files in names.items()}
        made = datetime.now(UTC)
        (out / "report.md").write_text(
            render_markdown(metrics, catalogs, images=pngs, vectors=svgs, generated=made),
            encoding="utf-8",
        )
        (out / "report.html").write_text(
            render_html(
                metrics,
                catalogs,
                map_png=pictures["map"].png,
                grid_png=pictures["grid"].png,
                svg_links=svgs,
                generated=made,
            ),
            encoding="utf-8",
        )
        (out / "workshop.graphml").write_bytes(graphml_bytes(build_graph(snap, findings)))
        typer.echo(render_text(metrics, catalogs, "en"))
    finally:
        rt.close()
    elapsed = time.perf_counter() - started
    console.print(
        f"\n{result.participants} participants, {result.messages} messages, "
        f"{result.finished} finished all tiers in {elapsed:.1f} s. "
        f"Wrote {out / 'map.png'}, {out / 'grid.png'} (and .svg), {out / 'report.md'}, "
        f"{out / 'report.html'}, {out / 'workshop.graphml'}."
    )
