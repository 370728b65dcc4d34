"""``cityneeds db``: migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.console import Console

if TYPE_CHECKING:
    from storage.store import Store

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply Alembic migrations up to REVISION (default: the newest)."""
    from bot.config import Settings
    from storage.store import Store

    settings = Settings()
    store = Store(settings.database_url)
    try:
        before = store.current_revision()
        store.upgrade() if revision == "head" else _upgrade_to(store, revision)
        Console().print(
            f"database at revision {store.current_revision()} (was {before or 'empty'})"
        )
    finally:
        store.dispose()


def _upgrade_to(store: Store, revision: str) -> None:
    from storage import migrate

    migrate.upgrade(store.engine, revision)


@app.command("current")
def current() -> None:
    """Show the database's revision and the newest one shipped."""
    from bot.config import Settings
    from storage.store import Store

    store = Store(Settings().database_url)
    try:
        Console().print(
            f"current: {store.current_revision() or 'empty'}; newest: {store.head_revision()}"
        )
    finally:
        store.dispose()
