"""``cityneeds digest``: the stakeholder-map digest of a workshop."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from bot.cli.common import err, existing_workshop, runtime


def digest(
    workshop: str = typer.Argument(..., help="Workshop slug."),
    png: Path | None = typer.Option(
        None, "--png", help="Also write the map as a PNG file (and an SVG beside it)."
    ),
    grid: Path | None = typer.Option(
        None,
        "--grid",
        help="Also write the power–interest grid as a PNG file (and an SVG beside it).",
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

    from bot.digest.drawings import drawings
    from bot.digest.grid import grid_text
    from bot.digest.picture import map_text
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
        if png is None and grid is None:
            return
        pictures = drawings(metrics, catalogs=catalogs, locale=lang)
        for name, path, describe in (("map", png, map_text), ("grid", grid, grid_text)):
            if path is None:
                continue
            # The SVG copy goes beside the PNG: same name, .svg.
            path.write_bytes(pictures[name].png)
            path.with_suffix(".svg").write_bytes(pictures[name].svg)
            typer.echo("\n" + "\n".join(catalogs.render(m, lang) for m in describe(metrics)))
            err.print(f"wrote {path} and {path.with_suffix('.svg')}")
