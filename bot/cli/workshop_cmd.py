"""``cityneeds workshop``: facilitator operations."""

from __future__ import annotations

import typer
from rich.console import Console

from bot.cli.common import err, runtime

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

    from bot.app.workshops import library_seeds
    from flows.kinds import TIER_ORDER
    from flows.library import scenario_library
    from storage.workshops import WorkshopExists

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
    from rich.table import Table

    from flows.kinds import TIER_ORDER

    with runtime() as rt:
        rows = rt.store.list_workshops()
    table = Table("slug", "title", "timezone", "open tiers", "participants")
    for ws, count in rows:
        tiers = ", ".join(t for t in TIER_ORDER if t in ws.open_tiers) or "none"
        table.add_row(ws.slug, ws.title, ws.timezone, tiers, str(count))
    Console().print(table)


def _set(slug: str, tier: str, is_open: bool) -> None:
    from flows.kinds import TIER_ORDER

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


@app.command("schedule")
def schedule(
    slug: str,
    digest: str | None = typer.Option(
        None, "--digest", help="Daily digest time HH:MM (local), or 'off'."
    ),
    reminders: str | None = typer.Option(
        None, "--reminders", help="Daily reminder time HH:MM, or 'off'."
    ),
    days: str = typer.Option("*", "--days", help="Days: * (daily), mon-fri, sat,sun …"),
    review: bool | None = typer.Option(
        None, "--review/--no-review", help="Moderators approve each digest first."
    ),
    grace: int | None = typer.Option(
        None, "--grace", min=0, help="Auto-post a draft after this many minutes."
    ),
) -> None:
    """Set the digest and reminder schedule (in the workshop's timezone)."""
    from rich.table import Table

    from bot.app.staff.converters import BadArgument, time_of_day
    from storage import schedules as sched
    from storage import workshops as ws_queries
    from storage.audit import audit
    from storage.clock import utcnow

    try:
        days = sched.normal_days(days)
        times = {
            kind: None if value in (None, "off") else time_of_day(value)
            for kind, value in (("digest", digest), ("reminder", reminders))
        }
    except (ValueError, BadArgument) as exc:
        err.print(f"error: {exc}; nothing was changed")
        raise typer.Exit(2) from None
    with runtime() as rt:
        ws = rt.store.find_workshop(slug)
        if ws is None:
            err.print(f"error: no workshop called {slug!r}")
            raise typer.Exit(1)
        now = utcnow()
        with rt.store.session() as session:
            for kind, value in (("digest", digest), ("reminder", reminders)):
                if value is None:
                    continue
                if value == "off":
                    sched.disable(session, ws.id, kind)
                    audit(session, ws.id, "cli", "schedule.off", {"kind": kind}, now)
                    continue
                parsed = times[kind]
                assert parsed is not None
                sched.set_schedule(session, ws.id, kind, parsed.hour, parsed.minute, now, days)
                audit(
                    session,
                    ws.id,
                    "cli",
                    "schedule.set",
                    {"kind": kind, "time": value, "days": days},
                    now,
                )
            changes: dict[str, object] = {}
            if review is not None:
                changes["digest_review"] = review
            if grace is not None:
                changes["digest_auto_post_minutes"] = grace
            if changes:
                ws_queries.update_settings(session, ws.id, **changes)
                audit(
                    session,
                    ws.id,
                    "cli",
                    "policy.set",
                    {k: str(v) for k, v in changes.items()},
                    now,
                )
            rows = [r for r in sched.all_schedules(session) if r.workshop_id == ws.id]
    table = Table("job", "time", "days", "timezone")
    for r in rows:
        table.add_row(r.kind, f"{r.hour:02d}:{r.minute:02d}", r.days, r.timezone)
    Console().print(table)


@app.command("progress")
def progress(slug: str) -> None:
    """Participation by tier and helix group, and which groups are missing."""
    from rich.table import Table

    from bot.digest.metrics import compute_metrics

    with runtime() as rt:
        ws = rt.store.find_workshop(slug)
        if ws is None:
            err.print(f"error: no workshop called {slug!r}")
            raise typer.Exit(1)
        m = compute_metrics(rt.store.snapshot(ws.id))
    table = Table("measure", "count")
    table.add_row("participants (consented)", str(m.participants))
    for tier, count in m.by_tier.items():
        table.add_row(f"reached {tier}", str(count))
    for group, count in m.by_helix.items():
        table.add_row(f"group: {group}", str(count))
    Console().print(table)
    if m.missing_helix:
        Console().print(f"not heard yet: {', '.join(m.missing_helix)}")
