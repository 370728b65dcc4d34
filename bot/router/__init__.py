"""Turns platform events into core turns and core replies into rendered messages."""

from bot.router.events import InboundEvent, RouterResponse
from bot.router.router import Router

__all__ = ["InboundEvent", "Router", "RouterResponse"]
