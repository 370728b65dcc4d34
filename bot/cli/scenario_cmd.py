"""``cityneeds scenario``: the scenario library workshops are built from."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(help="The scenario library.", no_args_is_help=True)


@app.command("list")
def list_(
    lang: str = typer.Option(
        "en", "--lang", help="Language of titles and domains: en, zh, es, fr or ar."
    ),
) -> None:
    """List every scenario of the shipped library: code, title and domains.

    The codes are what ``workshop create --scenario`` and ``!scenario add`` take.
    """
    from rich.table import Table

    from bot.core import load_core
    from flows.library import scenario_library
    from flows.text import Msg

    catalogs = load_core().catalogs
    locale = lang if lang in catalogs.locales else "en"
    library = scenario_library()
    widest = max((len(s.code) for s in library), default=4)
    table = Table()
    table.add_column("code", no_wrap=True, min_width=widest, overflow="ignore")
    table.add_column("title")
    table.add_column("domains")
    for s in library:
        title = s.title.get(locale) or s.title.get("en") or s.code
        domains = ", ".join(catalogs.render(Msg(f"domain.{d}"), locale) for d in s.domains)
        table.add_row(s.code, title, domains)
    Console(width=max(100, widest + 70)).print(table)
