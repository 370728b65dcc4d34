"""``cityneeds digest``: the stakeholder-map digest of a workshop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from bot.cli.common import err, existing_workshop, runtime


def digest(
    workshop: str = typer.Argument(..., help="Workshop slug."),
    png: Path | None = typer.Option(None, "--png", help="Also write the map as a PNG file."),
    grid: Path | None = typer.Option(
        None, "--grid", help="Also write the power–interest grid as a PNG file."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the digest."),
    post: bool = typer.Option(
        False,
        "--post",
        help="Claim today's manual digest and take it through review and posting "
        "(to stdout on the console setup).",
    ),
) -> None:
    """Print the digest: participation, top domains by gap, stakeholders, MoSCoW counts."""
    from zoneinfo import ZoneInfo

    from bot.digest.grid import grid_text, render_grid_png
    from bot.digest.picture import map_text, render_png
    from bot.digest.text import render_text
    from storage import digests as digest_rows
    from storage.clock import utcnow

    with runtime() as rt:
        ws = existing_workshop(rt, workshop)
        catalogs = rt.router.core.catalogs
        if post:
            period = utcnow().astimezone(ZoneInfo(ws.timezone)).date().isoformat() + "-cli"
            claimed = asyncio.run(rt.digests.open_period(ws.id, period))
            with rt.store.session() as session:
                row = digest_rows.find(session, ws.id, period)
            status = row.status if row else "unknown"
            err.print(
                f"digest {period}: {'claimed' if claimed else 'already claimed'}; now {status}"
            )
            return
        metrics = rt.digests.current_metrics(ws.id)
        typer.echo(render_text(metrics, catalogs, lang))
        if png is not None:
            png.write_bytes(render_png(metrics, catalogs=catalogs, locale=lang))
            typer.echo("\n" + "\n".join(catalogs.render(m, lang) for m in map_text(metrics)))
            err.print(f"wrote {png}")
        if grid is not None:
            grid.write_bytes(render_grid_png(metrics, catalogs=catalogs, locale=lang))
            typer.echo("\n" + "\n".join(catalogs.render(m, lang) for m in grid_text(metrics)))
            err.print(f"wrote {grid}")
