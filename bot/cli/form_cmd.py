"""``cityneeds form W --lang zh --out form.pdf``: the workshop's questions on paper."""

from __future__ import annotations

from pathlib import Path

import typer


def form(
    workshop: str = typer.Argument(..., metavar="WORKSHOP", help="Workshop slug."),
    lang: str = typer.Option("en", "--lang", help="Language of the form (a catalog locale)."),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="PDF file to write; default: SLUG-form-LANG.pdf here."
    ),
    copies: int = typer.Option(
        1,
        "--copies",
        min=1,
        max=500,
        help="How many forms to print, each with its own reference code (1-500).",
    ),
) -> None:
    """Print-ready PDF form with every question of the chat, for people who are not in chat.

    Tick boxes are numbered like the chat's options, so a volunteer can type the
    answers into the chat for the resident, and Part 1 (one line per area box) into
    the CSV that ``cityneeds import`` reads. Fonts are embedded. Each copy carries its
    own reference code, on every page and on a slip the resident keeps: typed into the
    CSV's ``reference`` column, or given to ``cityneeds chat --reference``, it lets the
    resident see or delete their answers later.
    """
    from bot.app.assisted import new_code
    from bot.cli.common import err, existing_workshop, fail, runtime
    from bot.core import load_core
    from bot.paper.fonts import FontMissing
    from bot.paper.form import paper_form
    from flows.library import domain_options, scenario_option

    core = load_core()
    locales = core.catalogs.locales
    if lang not in locales:
        raise fail(f"unknown language {lang!r}; valid: {', '.join(locales)}", 2)
    with runtime() as rt:
        ws = existing_workshop(rt, workshop)
        scenarios = [scenario_option(s.code, s.title) for s in rt.store.scenarios(ws.id)]
    target = out or Path(f"{ws.slug}-form-{lang}.pdf")
    try:
        _, data = paper_form(
            core.engine.scripts,
            core.catalogs,
            lang,
            workshop=ws.title,
            slug=ws.slug,
            domains=domain_options(),
            scenarios=scenarios,
            references=[new_code() for _ in range(copies)],
        )
    except FontMissing as exc:
        raise fail(str(exc), 2) from exc
    target.write_bytes(data)
    shown = f"{copies} copies, " if copies > 1 else ""
    err.print(f"wrote {target} ({shown}{len(data) // 1024} KiB)", markup=False, highlight=False)
