"""``cityneeds chat``: the console adapter."""

from __future__ import annotations

import sys

import typer

from bot.cli.common import existing_workshop, runtime


def chat(
    user: str = typer.Option(..., "--user", help="Who is typing (stored only as a pseudonym)."),
    workshop: str | None = typer.Option(
        None,
        "--workshop",
        help="Workshop slug (default: where you last answered, else CITYNEEDS_WORKSHOP or 'city').",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language for a new participant: en or zh."
    ),
    echo: bool = typer.Option(False, "--echo", help="Echo each input line (for transcripts)."),
    ack: bool = typer.Option(False, "--ack", help="Print 'ok N' once input line N is stored."),
    admin: bool = typer.Option(
        False,
        "--admin",
        help="You run this install: your first staff command makes you the workshop's "
        "facilitator (like a Slack or Discord admin).",
    ),
) -> None:
    """Answer the workshop on the console: each stdin line is one message; works on a pipe."""
    from bot.adapters.console import run_console
    from bot.adapters.console.adapter import console_workshop
    from bot.app.workshops import ensure_workshop

    with runtime() as rt:
        slug = console_workshop(rt.app.places, rt.router, user, workshop)
        if slug == rt.settings.workshop:
            ensure_workshop(rt.store, slug)  # the configured default, created on first start
        else:
            existing_workshop(rt, slug)  # a typo never creates a workshop
        code = run_console(
            rt.router,
            user=user,
            workshop=slug,
            stdin=sys.stdin,
            stdout=sys.stdout,
            locale=lang,
            echo=echo,
            ack=ack,
            admin=admin,
        )
    raise typer.Exit(code)
