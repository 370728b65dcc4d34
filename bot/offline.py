"""Refuse every Python-level connection and name lookup, to prove code works offline.

The doctor checks that the text encoder loads with the network blocked; tests wrap code
that must never reach the network (see :mod:`bot.testing.network`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def network_blocked(reason: str = "network blocked") -> Iterator[None]:
    """Every connection attempt or name lookup raises ``OSError(reason)`` while held."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError(reason)

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
