"""``cityneeds run slack|discord``: run the bot on a chat platform (tokens from env or .env)."""

from __future__ import annotations

import typer

from bot.cli.common import err

app = typer.Typer(help="Run the bot on Slack or Discord.", no_args_is_help=True)


@app.command("slack")
def slack(
    mode: str = typer.Option(
        "auto",
        "--mode",
        help="socket (Socket Mode, no public URL), http (Events API), or auto: socket "
        "when SLACK_APP_TOKEN is set.",
    ),
    host: str = typer.Option("0.0.0.0", "--host", help="HTTP mode: address to listen on."),
    port: int = typer.Option(3000, "--port", help="HTTP mode: port to listen on."),
) -> None:
    """Run the Slack app (SLACK_BOT_TOKEN plus SLACK_APP_TOKEN or SLACK_SIGNING_SECRET)."""
    from bot.adapters.slack.main import run_slack
    from bot.config import ConfigError, Settings

    try:
        code = run_slack(Settings(), mode=mode, host=host, port=port)
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    raise typer.Exit(code)


@app.command("discord")
def discord() -> None:
    """Run the Discord bot (DISCORD_TOKEN)."""
    from bot.adapters.discord.main import run_discord
    from bot.config import ConfigError, Settings

    try:
        code = run_discord(Settings())
    except ConfigError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    raise typer.Exit(code)
