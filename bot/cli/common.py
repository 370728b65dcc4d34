"""Shared CLI plumbing: settings, opening the database, friendly failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from bot.runtime import Runtime

err = Console(stderr=True)


@contextmanager
def runtime(database_url: str | None = None) -> Iterator[Runtime]:
    """Open the app, turning setup problems into one clear line and exit code 2."""
    from bot.config import Settings
    from bot.runtime import open_runtime
    from storage.store import SchemaOutOfDate

    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    try:
        rt = open_runtime(settings)
    except SchemaOutOfDate as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    except Exception as exc:  # the database URL is wrong or the server is down
        err.print(f"[red]error:[/red] cannot open the database {settings.database_url!r}: {exc}")
        raise typer.Exit(2) from exc
    try:
        yield rt
    finally:
        rt.close()
