"""``cityneeds flows check``: lint conversation scripts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="Conversation scripts.", no_args_is_help=True)


@app.command("check")
def check(
    path: Path | None = typer.Argument(
        None, help="A script folder or file (default: the shipped scripts)."
    ),
) -> None:
    """Report script errors as FILE:LINE: message; exit 1 if there are any."""
    from flows.catalog import load_catalogs
    from flows.loader import shipped_scripts_dir
    from flows.scriptset import check_scripts

    target = path or shipped_scripts_dir()
    if not target.exists():
        Console(stderr=True).print(f"error: {target} does not exist")
        raise typer.Exit(2)
    catalogs = load_catalogs()
    if target.is_file():
        problems = [p for p in check_scripts(target.parent, catalogs) if Path(p.file) == target]
    else:
        problems = check_scripts(target, catalogs)
    for problem in problems:
        typer.echo(str(problem))
    if problems:
        typer.echo(f"{len(problems)} problem(s) found", err=True)
        raise typer.Exit(1)
    count = 1 if target.is_file() else len(list(target.glob("*.yaml")))
    typer.echo(f"ok: {count} script(s) checked in {target}")
