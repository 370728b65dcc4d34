"""``cityneeds chat``: the console adapter."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from bot.cli.common import existing_workshop, runtime

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from storage.workshops import WorkshopInfo


def chat(
    user: str | None = typer.Option(
        None, "--user", help="Who is typing (stored only as a pseudonym)."
    ),
    workshop: str | None = typer.Option(
        None,
        "--workshop",
        help="Workshop slug (default: where you last answered, else CITYNEEDS_WORKSHOP or 'city').",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language for a new participant: en, zh, es, fr or ar."
    ),
    echo: bool = typer.Option(False, "--echo", help="Echo each input line (for transcripts)."),
    ack: bool = typer.Option(
        False,
        "--ack",
        help="Print 'ok N' once input line N is stored (the greeting, too, comes only once "
        "the conversation is stored).",
    ),
    admin: bool = typer.Option(
        False,
        "--admin",
        help="You run this install: your first staff command makes you the workshop's "
        "facilitator (like a Slack or Discord admin).",
    ),
    on_behalf_of: str | None = typer.Option(
        None,
        "--on-behalf-of",
        help="Assisted entry: type a resident's answers for them (a label such as "
        "'Library desk, Mrs L.'); prints a reference code for the paper form.",
    ),
    consent: str = typer.Option(
        "spoken", "--consent", help="Assisted entry: how the resident consented: spoken or paper."
    ),
    by: str | None = typer.Option(
        None, "--by", help="Assisted entry: who assists (default: cli:<your user name>)."
    ),
    reference: str | None = typer.Option(
        None,
        "--reference",
        help="An assisted resident's reference code: opens their answers again (for my "
        "data or forget me); with --on-behalf-of, a new resident under the code printed "
        "on their paper form.",
    ),
) -> None:
    """Answer the workshop on the console: each stdin line is one message; works on a pipe.

    With ``--on-behalf-of`` a volunteer answers for a resident who is not in chat;
    ``--reference CODE`` opens that resident's answers again.
    """
    from bot.cli.common import fail

    if on_behalf_of is not None or reference is not None:
        raise typer.Exit(_assisted(workshop, lang, echo, ack, on_behalf_of, consent, by, reference))
    if user is None:
        raise fail("say who is typing: --user NAME (or --on-behalf-of LABEL for assisted entry)")
    # Programs driving the console with --ack read the greeting as "the start is stored".
    shown = None if admin or ack else greet_someone_new(user, workshop, lang)
    from bot.adapters.console.adapter import console_workshop, run_console

    with runtime() as rt:
        slug = console_workshop(rt.app.places, rt.router, user, workshop)
        _chat_workshop(rt, slug)
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
            shown=shown,
        )
    raise typer.Exit(code)


def greet_someone_new(user: str, workshop: str | None, lang: str | None) -> str | None:
    """Greet a person the database has never seen before the store is loaded.

    Loading SQLAlchemy and the models takes about a second on a small machine; a new
    participant's greeting needs neither. Only the standard library's ``sqlite3`` looks
    at the database here, read-only; when in doubt nothing is written and the ordinary
    path greets. :func:`run_console` later compares the router's own first reply with
    what was written here.

    Returns:
        The text written, or ``None`` when nothing was.
    """
    from bot.adapters.console.transcript import PLATFORM, transcript
    from bot.config import Settings
    from bot.identity import pseudonym
    from storage.first_contact import certainly_new

    settings = Settings()

    def of(secret: str) -> str:
        return pseudonym(secret, PLATFORM, user)

    if not certainly_new(settings.database_url, settings.secret, of, workshop, settings.workshop):
        return None
    from bot.app.opening import first_words
    from bot.core import load_core

    text = transcript(first_words(load_core(), lang or settings.locale, settings.locale))
    sys.stdout.write(text)
    sys.stdout.flush()
    return text


def _chat_workshop(rt: Runtime, slug: str) -> WorkshopInfo:
    """The workshop to chat in; only the configured default is created (a typo never is)."""
    from bot.app.workshops import ensure_workshop

    if slug == rt.settings.workshop:
        ensure_workshop(rt.store, slug)
    return existing_workshop(rt, slug)


def _assisted(
    workshop: str | None,
    lang: str | None,
    echo: bool,
    ack: bool,
    label: str | None,
    consent: str,
    by: str | None,
    reference: str | None,
) -> int:
    """Run an assisted resident's conversation; the reference code is printed before and after."""
    from bot.adapters.console import run_console
    from bot.app.assisted import (
        ASSISTED_PLATFORM,
        CONSENT_MODES,
        normalise_code,
        open_assisted,
        reopen_assisted,
    )
    from bot.cli.common import cli_actor, fail
    from flows.text import Literal, Msg

    if consent not in CONSENT_MODES:
        raise fail(f"unknown --consent {consent!r}; valid: {', '.join(CONSENT_MODES)}")
    with runtime() as rt:
        slug = workshop or rt.settings.workshop
        ws = _chat_workshop(rt, slug)
        catalogs = rt.router.core.catalogs
        locale = lang if lang in catalogs.locales else rt.settings.locale

        def say(msg_id: str, **params: str) -> None:
            shown = {k: Literal(v) for k, v in params.items()}
            sys.stdout.write(catalogs.render(Msg(msg_id, dict(shown)), locale) + "\n")

        seat = None
        if reference is not None:
            if normalise_code(reference) is None:
                raise fail(f"{reference.strip()[:20]!r} is not a reference code (like K7QM-2XDR)")
            seat = reopen_assisted(rt.store, rt.router.pseudonym_for, ws.id, reference)
            if seat is None and label is None:
                say("assist.unknown", code=reference.strip()[:20])
                return 1
            if seat is not None:
                say("assist.resume", code=seat.code, label=seat.info.label)
        if seat is None:
            # A new resident: under the code printed on their paper form, if given.
            assert label is not None
            seat = open_assisted(
                rt.store,
                rt.router.pseudonym_for,
                ws.id,
                label,
                by or cli_actor(),
                consent,
                code=reference,
            )
            say("assist.start", code=seat.code, label=seat.info.label)
        code = run_console(
            rt.router,
            user=seat.user_id,
            workshop=slug,
            stdin=sys.stdin,
            stdout=sys.stdout,
            locale=lang,
            echo=echo,
            ack=ack,
            platform=ASSISTED_PLATFORM,
        )
        say("assist.end", code=seat.code)
    return code
