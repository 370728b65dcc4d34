"""The console adapter: stdin lines in, replies out.

``run_console`` is imported on first use: :mod:`bot.adapters.console.transcript` is
read by ``cityneeds chat`` before the store (and SQLAlchemy) is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.adapters.console.adapter import run_console

__all__ = ["run_console"]


def __getattr__(name: str) -> Any:
    if name == "run_console":
        from bot.adapters.console.adapter import run_console

        return run_console
    raise AttributeError(name)
