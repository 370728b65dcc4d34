"""Interactions that Discord delivers twice are handled once.

After a resume Discord may send an ``INTERACTION_CREATE`` again. Answering it a
second time fails with error 40060 ("already acknowledged") and discord.py logs
an "Ignoring exception" traceback for each. The gateway parser is wrapped so a
repeated interaction id is dropped before any callback runs, with one debug line.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import discord

log = logging.getLogger(__name__)

#: Interaction ids remembered (an interaction can be answered for 15 minutes at most).
KEPT = 10_000
_EVENT = "INTERACTION_CREATE"


def ignore_duplicate_interactions(client: discord.Client, kept: int = KEPT) -> None:
    """Make ``client`` drop an interaction whose id it has already seen (idempotent)."""
    parsers: dict[str, Callable[[Any], None]] = client._connection.parsers
    original = parsers[_EVENT]
    if getattr(original, "_cityneeds_dedupe", False):
        return
    seen: OrderedDict[str, None] = OrderedDict()

    def parse(data: Any) -> None:
        interaction_id = str(data.get("id")) if isinstance(data, dict) else ""
        if interaction_id in seen:
            log.debug("interaction %s delivered again: ignored as a duplicate", interaction_id)
            return
        seen[interaction_id] = None
        while len(seen) > kept:
            seen.popitem(last=False)
        original(data)

    parse._cityneeds_dedupe = True  # type: ignore[attr-defined]
    parsers[_EVENT] = parse
