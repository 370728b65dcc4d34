"""The console adapter: stdin lines in, replies out."""

from bot.adapters.console.adapter import run_console

__all__ = ["run_console"]
