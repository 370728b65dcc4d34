"""``cityneeds``: demo, chat, workshops, digests, scripts and the database."""

from __future__ import annotations

import typer

from bot.cli import (
    db_cmd,
    demo_cmd,
    digest_cmd,
    doctor_cmd,
    export_cmd,
    flows_cmd,
    form_cmd,
    import_cmd,
    run_cmd,
    scenario_cmd,
    scheduler_cmd,
    workshop_cmd,
)
from bot.cli.chat_cmd import chat

app = typer.Typer(
    name="cityneeds",
    help="Run city-needs workshops (macro, meso, micro tiers) in chat.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
app.command("demo")(demo_cmd.demo)
app.command("chat")(chat)
app.command("digest")(digest_cmd.digest)
app.command("export")(export_cmd.export)
app.command("import")(import_cmd.import_needs)
app.command("form")(form_cmd.form)
app.command("doctor")(doctor_cmd.doctor)
app.add_typer(workshop_cmd.app, name="workshop")
app.add_typer(flows_cmd.app, name="flows")
app.add_typer(db_cmd.app, name="db")
app.add_typer(scheduler_cmd.app, name="scheduler")
app.add_typer(run_cmd.app, name="run")
app.add_typer(scenario_cmd.app, name="scenario")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="cityneeds")


if __name__ == "__main__":
    main()
