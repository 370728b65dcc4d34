"""Pausing Python's cyclic garbage collector while building large, acyclic structures."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block, then restore it.

    Building a 100,000-participant map allocates millions of dicts that form no
    cycles; the collector's repeated full scans of them took half the time
    (measured in ``bench/digest.py``). Reference counting still frees memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
