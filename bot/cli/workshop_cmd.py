"""``cityneeds workshop``: facilitator operations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

from bot.cli.common import err, existing_workshop, fail, runtime

if TYPE_CHECKING:
    from storage.schedules import ScheduleRow
    from storage.workshops import WorkshopInfo

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
    """List workshops with their open tiers and participant counts (slugs shown in full)."""
    from rich.table import Table

    from flows.kinds import TIER_ORDER

    with runtime() as rt:
        rows = rt.store.list_workshops()
    widest = max((len(ws.slug) for ws, _ in rows), default=4)
    table = Table()
    # A slug is what people type next: it is never cut or wrapped, the title wraps instead.
    table.add_column("slug", no_wrap=True, min_width=widest, overflow="ignore")
    table.add_column("title")
    table.add_column("timezone", no_wrap=True)
    table.add_column("open tiers")
    table.add_column("participants", justify="right")
    for ws, count in rows:
        tiers = ", ".join(t for t in TIER_ORDER if t in ws.open_tiers) or "none"
        table.add_row(ws.slug, ws.title, ws.timezone, tiers, str(count))
    Console(width=max(100, widest + 60)).print(table)


def _set(slug: str, tier: str, is_open: bool) -> None:
    from flows.kinds import TIER_ORDER, Tier
    from storage import tier_waits
    from storage import workshops as ws_queries
    from storage.audit import audit
    from storage.clock import utcnow

    named = Tier.parse(tier)
    if named is None:
        raise fail(f"unknown tier {tier!r}; choose one of {', '.join(TIER_ORDER)}")
    with runtime() as rt:
        existing_workshop(rt, slug)
        with rt.store.session() as session:
            ws = ws_queries.set_tier(session, slug, named.value, is_open)
            action = "tier.open" if is_open else "tier.close"
            audit(session, ws.id, "cli", action, {"tier": named.value}, utcnow())
            waiting = tier_waits.count_waiting(session, ws.id, named.value) if is_open else 0
    Console().print(
        f"{slug}: open tiers now {', '.join(t for t in TIER_ORDER if t in ws.open_tiers) or 'none'}"
    )
    if waiting:
        Console().print(
            f"waiting for {named.value}: {waiting}; each who can be reached privately gets one "
            "message from the running bot or `cityneeds scheduler run`"
        )


@app.command("open-tier")
def open_tier(
    slug: str, tier: str = typer.Argument(..., help="macro, meso or micro (any case).")
) -> None:
    """Open a tier so participants can answer it; those waiting for it get one message."""
    _set(slug, tier, True)


@app.command("close-tier")
def close_tier(
    slug: str, tier: str = typer.Argument(..., help="macro, meso or micro (any case).")
) -> None:
    """Close a tier; people in it finish the item in hand, then wait until it opens."""
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
    days: str | None = typer.Option(
        None,
        "--days",
        help="Days: * (daily), mon-fri, sat,sun … (default: keep the days the schedule has).",
    ),
    review: bool | None = typer.Option(
        None, "--review/--no-review", help="Moderators approve each digest first."
    ),
    grace: int | None = typer.Option(
        None, "--grace", min=0, help="Auto-post a draft after this many minutes."
    ),
) -> None:
    """Set the digest and reminder schedule (in the workshop's timezone), then show it all."""
    from bot.app.staff.converters import BadArgument, time_of_day
    from storage import schedules as sched
    from storage import workshops as ws_queries
    from storage.audit import audit
    from storage.clock import utcnow

    try:
        days = None if days is None else sched.normal_days(days)
        times = {
            kind: None if value in (None, "off") else time_of_day(value)
            for kind, value in (("digest", digest), ("reminder", reminders))
        }
    except (ValueError, BadArgument) as exc:
        err.print(f"error: {exc}; nothing was changed")
        raise typer.Exit(2) from None
    notes: list[str] = []
    with runtime() as rt:
        ws = existing_workshop(rt, slug)
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
                stored = sched.set_schedule(
                    session, ws.id, kind, parsed.hour, parsed.minute, now, days
                )
                if days is None:
                    notes.append(f"{kind}: the days are unchanged ({_days(stored)})")
                audit(
                    session,
                    ws.id,
                    "cli",
                    "schedule.set",
                    {"kind": kind, "time": value, "days": stored},
                    now,
                )
            changes: dict[str, object] = {}
            if review is not None:
                changes["digest_review"] = review
            if grace is not None:
                changes["digest_auto_post_minutes"] = grace
            if changes:
                ws = ws_queries.update_settings(session, ws.id, **changes)
                audit(
                    session,
                    ws.id,
                    "cli",
                    "policy.set",
                    {k: str(v) for k, v in changes.items()},
                    now,
                )
            rows = {r.kind: r for r in sched.all_schedules(session) if r.workshop_id == ws.id}
    for line in notes:
        Console().print(line, markup=False, highlight=False)
    for line in schedule_lines(ws, rows):
        Console().print(line, markup=False, highlight=False, soft_wrap=True)


def _days(days: str) -> str:
    return "every day" if days == "*" else days


def schedule_lines(ws: WorkshopInfo, rows: dict[str, ScheduleRow]) -> list[str]:
    """A workshop's schedules and digest settings, every one in full, for the CLI."""
    lines = [f"{ws.slug} (timezone {ws.timezone})"]
    for kind in ("digest", "reminder"):
        row = rows.get(kind)
        if row is None:
            lines.append(f"  {kind}: off")
        else:
            lines.append(f"  {kind}: {row.hour:02d}:{row.minute:02d}, {_days(row.days)}")
    review = bool(ws.settings.get("digest_review", True))
    grace = ws.settings.get("digest_auto_post_minutes")
    lines.append(f"  moderation of contributions: {ws.moderation}")
    lines.append(
        "  digest review: "
        + ("on (moderators approve each draft before it is posted)" if review else "off")
    )
    if not review:
        lines.append("  auto-post of drafts: not needed (digests are posted without review)")
    elif grace is None:
        lines.append("  auto-post of drafts: never (a draft waits for a moderator)")
    else:
        lines.append(f"  auto-post of drafts: after {grace} minutes without a moderator")
    return lines


@app.command("progress")
def progress(
    slug: str,
    lang: str = typer.Option(
        "en", "--lang", help="Language of the names shown: en, zh, es, fr or ar."
    ),
) -> None:
    """Participation by tier and helix group, and which groups are missing (by name)."""
    from rich.table import Table

    from bot.digest.metrics import compute_metrics
    from flows.text import Msg

    with runtime() as rt:
        ws = existing_workshop(rt, slug)
        m = compute_metrics(rt.store.snapshot(ws.id))
        catalogs = rt.router.core.catalogs
    locale = lang if lang in catalogs.locales else "en"

    def name(msg_id: str) -> str:
        return catalogs.render(Msg(msg_id), locale)

    table = Table("measure", "count")
    table.add_row("participants (consented)", str(m.participants))
    for tier, count in m.by_tier.items():
        table.add_row(f"reached {name(f'tier.{tier}')}", str(count))
    for group, count in m.by_helix.items():
        table.add_row(f"group: {name(f'helix.{group}')}", str(count))
    Console(width=100).print(table)
    if m.missing_helix:
        missing = ", ".join(name(f"helix.{g}") for g in m.missing_helix)
        Console().print(f"not heard yet: {missing}", markup=False, highlight=False, soft_wrap=True)
