"""``cityneeds scheduler run``: digests and reminders for console-only setups."""

from __future__ import annotations

import asyncio
import contextlib

import typer

from bot.cli.common import runtime

app = typer.Typer(help="The digest and reminder scheduler.", no_args_is_help=True)


@app.command("run")
def run(once: bool = typer.Option(False, "--once", help="Run one tick and exit.")) -> None:
    """Run the scheduler, printing digests, drafts and reminders to stdout (Ctrl-C stops)."""
    with runtime() as rt:

        async def main() -> None:
            if once:
                await rt.scheduler.tick()
                return
            rt.scheduler.start()
            try:
                await asyncio.Event().wait()
            finally:
                rt.scheduler.shutdown()

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())
