"""Shared CLI plumbing: settings, opening the database, friendly failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.runtime import Runtime
    from storage.store import Store
    from storage.workshops import WorkshopInfo

err = Console(stderr=True)


def cli_actor() -> str:
    """Who runs this command, for audit rows: ``cli:<user name>``."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in a bare container
        return "cli"


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print ``error: message`` on stderr (no markup is read from it); the exit to raise."""
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    return typer.Exit(code)


def open_failure(exc: BaseException, url: str, timeout: float | None = None) -> str:
    """One line saying the database at ``url`` cannot be opened and why; never the password.

    Args:
        exc: What opening it raised.
        url: The database URL (shown masked).
        timeout: The connect timeout in force, named when the server did not answer.
    """
    from storage.database import masked_url, scrub

    cause = getattr(exc, "orig", None) or exc
    reason = scrub(" ".join(str(cause).split()), url) or type(cause).__name__
    if timeout is not None and "timeout" in reason.lower():
        reason += (
            f" (no answer within {timeout:g} s; set CITYNEEDS_DB_CONNECT_TIMEOUT to wait longer)"
        )
    return f"cannot open the database {masked_url(url)!r}: {reason}"


def open_store(settings: Settings) -> Store:
    """A store for ``settings`` with its connect timeout (no connection is made yet)."""
    from bot.runtime import open_store as open_runtime_store

    return open_runtime_store(settings)


@contextmanager
def database_errors(url: str, timeout: float | None = None) -> Iterator[None]:
    """Turn a database that cannot be opened or upgraded into one clear line and exit code 2.

    For commands that work on the database itself (``cityneeds db``).
    """
    from sqlalchemy.exc import SQLAlchemyError

    from storage.database import scrub
    from storage.store import SchemaOutOfDate, SchemaUpgradeError

    try:
        yield
    except (SchemaOutOfDate, SchemaUpgradeError) as exc:
        raise fail(scrub(str(exc), url)) from exc
    except SQLAlchemyError as exc:  # the URL is wrong, the server is down or silent
        raise fail(open_failure(exc, url, timeout)) from exc


@contextmanager
def runtime(database_url: str | None = None) -> Iterator[Runtime]:
    """Open the app, turning setup problems into one clear line and exit code 2."""
    from bot.config import Settings
    from bot.runtime import open_runtime
    from storage.database import scrub
    from storage.store import SchemaOutOfDate, SchemaUpgradeError

    settings = Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    url = settings.database_url
    store: Store | None = None
    try:
        store = open_store(settings)
        rt = open_runtime(settings, store=store)
    except (SchemaOutOfDate, SchemaUpgradeError) as exc:
        _dispose(store)
        raise fail(scrub(str(exc), url)) from exc
    except Exception as exc:  # the database URL is wrong or the server is down
        _dispose(store)
        raise fail(open_failure(exc, url, settings.db_connect_timeout)) from exc
    try:
        yield rt
    finally:
        rt.close()


def _dispose(store: Store | None) -> None:
    if store is not None:
        store.dispose()


def existing_workshop(rt: Runtime, slug: str) -> WorkshopInfo:
    """The workshop ``slug``, or exit 1 naming the closest existing ones (nothing is created)."""
    from bot.app.workshops import NoSuchWorkshop, require_workshop

    try:
        return require_workshop(rt.store, slug)
    except NoSuchWorkshop as exc:
        raise fail(str(exc), 1) from None
