"""``cityneeds digest``: the stakeholder-map digest of a workshop."""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.common import err, runtime
from bot.digest.metrics import compute_metrics
from bot.digest.picture import render_png
from bot.digest.text import render_text


def digest(
    workshop: str = typer.Argument(..., help="Workshop slug."),
    png: Path | None = typer.Option(None, "--png", help="Also write the map as a PNG file."),
    lang: str = typer.Option("en", "--lang", help="Language of the digest."),
) -> None:
    """Print the digest: participation, top domains by gap, stakeholders, MoSCoW counts."""
    with runtime() as rt:
        ws = rt.store.find_workshop(workshop)
        if ws is None:
            err.print(f"error: no workshop called {workshop!r}")
            raise typer.Exit(1)
        metrics = compute_metrics(rt.store.snapshot(ws.id))
        typer.echo(render_text(metrics, rt.router.core.catalogs, lang))
        if png is not None:
            png.write_bytes(render_png(metrics))
            err.print(f"wrote {png}")
