"""``cityneeds export``: the workshop as CSV, JSON, GraphML, GEXF, Kumu, Markdown or HTML."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from bot.cli.common import err, existing_workshop, runtime
from bot.digest.exports import FORMATS


def export(
    workshop: str = typer.Argument(..., help="Workshop slug."),
    fmt: str = typer.Option(
        ..., "--format", "-f", help=f"One of: {', '.join(FORMATS)} (csv writes a folder)."
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="File (or folder, for csv) to write; default: SLUG.EXT here."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of md and html reports."),
    seed: int = typer.Option(7, "--seed", help="Layout seed for pictures."),
) -> None:
    """Export approved contributions; hidden and forgotten ones are never included."""
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from bot.digest.exports import default_name, export_files
    from bot.scheduler.findings import workshop_findings

    if fmt not in FORMATS:
        err.print(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    target = out or Path(default_name(workshop, fmt))
    with runtime() as rt:
        ws = existing_workshop(rt, workshop)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task("reading the workshop")
            snap = rt.store.snapshot(ws.id)
            progress.update(task, description="finding themes")
            findings = workshop_findings(rt.store, snap, locales=(lang, *snap.workshop.languages))

            def step(what: str) -> None:
                progress.update(task, description=what)

            files = export_files(
                snap,
                fmt,
                rt.router.core.catalogs,
                name=str(target),
                locale=lang,
                seed=seed,
                step=step,
                findings=findings,
            )
    for path, data in files.items():
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(data)
    Console(stderr=True).print(
        f"wrote {len(files)} file(s): " + ", ".join(sorted(files)),
        soft_wrap=True,
    )
