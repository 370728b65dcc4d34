"""``cityneeds workshop``: facilitator operations."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import err, runtime
from bot.runtime import library_seeds
from flows.library import scenario_library
from storage.workshops import TIER_ORDER, WorkshopExists

app = typer.Typer(help="Create workshops and open or close their tiers.", no_args_is_help=True)


@app.command("create")
def create(
    slug: str = typer.Argument(..., help="Short id, e.g. riverside-2026."),
    title: str = typer.Option(None, "--title", help="Title shown to participants."),
    timezone: str = typer.Option("UTC", "--timezone", help="IANA timezone, e.g. Europe/Berlin."),
    lang: list[str] = typer.Option(["en", "zh"], "--lang", help="Languages offered (repeat)."),
    scenario: list[str] = typer.Option(
        [], "--scenario", help="Scenario codes from the library (repeat; default: all)."
    ),
    closed: bool = typer.Option(False, "--closed", help="Start with every tier closed."),
) -> None:
    """Create a workshop with scenarios from the shipped library."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        err.print(f"error: unknown timezone {timezone!r}; use an IANA name such as Europe/Berlin")
        raise typer.Exit(2) from exc
    known = {s.code for s in scenario_library()}
    unknown = [c for c in scenario if c not in known]
    if unknown:
        err.print(
            f"error: unknown scenario(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
        )
        raise typer.Exit(2)
    with runtime() as rt:
        try:
            ws = rt.store.create_workshop(
                slug,
                title or slug,
                timezone=timezone,
                languages=lang,
                open_tiers=() if closed else TIER_ORDER,
                scenarios=library_seeds(scenario or None),
            )
        except WorkshopExists as exc:
            err.print(f"error: a workshop called {slug!r} already exists")
            raise typer.Exit(1) from exc
    Console().print(
        f"created workshop {ws.slug!r} ({ws.timezone}; open tiers: "
        f"{', '.join(t for t in TIER_ORDER if t in ws.open_tiers) or 'none'})"
    )


@app.command("list")
def list_() -> None:
    """List workshops with their open tiers and participant counts."""
    with runtime() as rt:
        rows = rt.store.list_workshops()
    table = Table("slug", "title", "timezone", "open tiers", "participants")
    for ws, count in rows:
        tiers = ", ".join(t for t in TIER_ORDER if t in ws.open_tiers) or "none"
        table.add_row(ws.slug, ws.title, ws.timezone, tiers, str(count))
    Console().print(table)


def _set(slug: str, tier: str, is_open: bool) -> None:
    with runtime() as rt:
        try:
            ws = rt.store.set_tier(slug, tier, is_open)
        except KeyError as exc:
            err.print(f"error: no workshop called {slug!r}")
            raise typer.Exit(1) from exc
        except ValueError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(2) from exc
    Console().print(
        f"{slug}: open tiers now {', '.join(t for t in TIER_ORDER if t in ws.open_tiers) or 'none'}"
    )


@app.command("open-tier")
def open_tier(slug: str, tier: str = typer.Argument(..., help="macro, meso or micro.")) -> None:
    """Open a tier so participants can answer it."""
    _set(slug, tier, True)


@app.command("close-tier")
def close_tier(slug: str, tier: str = typer.Argument(..., help="macro, meso or micro.")) -> None:
    """Close a tier; participants who reach it wait until it opens."""
    _set(slug, tier, False)
