"""``cityneeds import W FILE.csv``: needs from paper forms or an earlier survey."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.common import cli_actor

if TYPE_CHECKING:
    from collections.abc import Sequence

    from bot.cli.import_rows import NeedRow, Problem
    from storage.imports import ImportedNeed


def import_needs(
    workshop: str = typer.Argument(..., metavar="WORKSHOP", help="Workshop slug."),
    file: Path = typer.Argument(
        ...,
        metavar="FILE.csv",
        help="CSV with the header group,language,domain,importance,satisfaction,need "
        "(and optionally how_might_we, reference); UTF-8, Excel quoting.",
    ),
    by: str | None = typer.Option(
        None, "--by", help="Who imports, for the audit log (default: cli:<your user name>)."
    ),
) -> None:
    """Import needs, one offline participant per row; nothing is imported if any row is wrong.

    Every row is checked as chat answers are: helix group and language codes, a
    domain code or name, scales 1 to 5 and the need's text rules. Each bad row is
    printed as FILE:LINE with what is wrong and what is valid (exit status 1).
    A row with a reference code (column ``reference``, the code on the paper form)
    belongs to that resident, who can later see or delete it with
    ``cityneeds chat --reference CODE``; rows with the same code are one resident.
    Importing the same file again adds nothing.
    """
    import hashlib

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from bot.app.assisted import paper_form, resident_pseudonym
    from bot.cli.common import err, existing_workshop, fail, runtime
    from bot.cli.import_rows import NeedRules, read_rows
    from bot.core import load_core
    from bot.identity import pseudonym
    from flows.kinds import Tier
    from storage.imports import IMPORT_PLATFORM, ImportedNeed, ResidentsExist

    try:
        data = file.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {file}: {exc.strerror or exc}", 1) from exc
    core = load_core()
    macro = next(s for s in core.engine.scripts.values() if s.tier == Tier.MACRO.value)
    rows, problems = read_rows(data, NeedRules(macro, core.catalogs))

    def refuse(problems: list[Problem]) -> typer.Exit:
        for problem in problems:
            where = f"{file}:{problem.line}" if problem.line else f"{file}"
            err.print(f"{where}: {problem.message}", markup=False, highlight=False, soft_wrap=True)
        err.print(
            f"nothing imported: {len(problems)} problem(s); fix them and run the import again",
            markup=False,
            highlight=False,
        )
        return typer.Exit(1)

    if problems:
        raise refuse(problems)
    content_hash = hashlib.sha256(data).hexdigest()
    actor = by or cli_actor()
    with runtime() as rt:
        ws = existing_workshop(rt, workshop)
        secret = rt.settings.secret or rt.store.install_secret()
        helped = paper_form(file.name, actor)
        needs = [
            ImportedNeed(
                # A reference code makes the row the resident's, under the same pseudonym
                # as assisted entry, so ``chat --reference`` finds it.
                pseudonym=resident_pseudonym(rt.router.pseudonym_for, r.reference)
                if r.reference is not None
                else pseudonym(secret, IMPORT_PLATFORM, f"{ws.id}:{content_hash}:{r.line}"),
                helix=r.helix,
                locale=r.locale,
                domain=r.domain,
                importance=r.importance,
                satisfaction=r.satisfaction,
                text=r.text,
                hmw=r.hmw,
                assistance=helped if r.reference is not None else None,
            )
            for r in rows
        ]
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err,
            transient=True,
        ) as progress:
            task = progress.add_task(f"importing {file.name}", total=len(needs))
            try:
                outcome = rt.store.import_needs(
                    ws.id,
                    file_name=file.name,
                    content_hash=content_hash,
                    rows=needs,
                    actor=actor,
                    progress=lambda done: progress.update(task, completed=done),
                )
            except ResidentsExist as exc:
                raise refuse(_codes_used_before(workshop, rows, needs, exc.pseudonyms)) from exc
    if outcome.repeated:
        when = outcome.imported_at.strftime("%Y-%m-%d %H:%M UTC") if outcome.imported_at else "?"
        typer.echo(f"{file.name}: already imported on {when} by {outcome.imported_by}: 0 added")
        return
    typer.echo(
        f"{file.name}: {outcome.added} needs added to {workshop} "
        f"as {outcome.participants} offline participants (status {outcome.status.value})"
        + (
            f"; {outcome.referenced} with a reference code for my data and forget me"
            if outcome.referenced
            else ""
        )
    )


def _codes_used_before(
    workshop: str, rows: Sequence[NeedRow], needs: Sequence[ImportedNeed], taken: frozenset[str]
) -> list[Problem]:
    """A problem per reference code whose resident is in the workshop already, at its first row."""
    from bot.app.assisted import pretty
    from bot.cli.import_rows import Problem

    first: dict[str, int] = {}
    for row, need in zip(rows, needs, strict=True):
        if row.reference is not None and need.pseudonym in taken:
            first.setdefault(row.reference, row.line)
    return [
        Problem(
            line,
            f"reference {pretty(code)} already belongs to a resident of {workshop} "
            "(typed in before, or imported from another file); valid: the code printed on "
            "this resident's own form; to see or delete their answers: "
            f"cityneeds chat --workshop {workshop} --reference {pretty(code)}",
        )
        for code, line in first.items()
    ]
