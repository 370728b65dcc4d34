"""Turns platform events into core turns and core replies into rendered messages."""

from bot.app.router.router import Router

__all__ = ["Router"]
