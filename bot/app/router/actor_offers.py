"""The workshop's stakeholders the meso tier offers when a participant names one.

Read before a turn (never inside one: the turn's transaction holds the write lock),
at most once a second per workshop, and again after somebody names a new stakeholder
while the list is still short, so in a small workshop the next person already sees
what the previous one named.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flows.actor_step import OFFERED
from flows.messages import Option
from flows.text import Literal
from storage import workshops
from storage.store import Store
from storage.workshop_actors import named_actors

#: A cached list older than this (seconds) is read again.
FRESH = 1.0


class ActorOffers:
    """Per-workshop cache of :func:`storage.workshop_actors.named_actors` as engine options."""

    def __init__(self, store: Store, clock: Callable[[], float] = time.monotonic) -> None:
        self._store = store
        self._clock = clock
        self._lock = threading.Lock()
        #: slug → (read at, workshop id, options)
        self._by_slug: dict[str, tuple[float, int, list[Option]]] = {}
        self._by_id: dict[int, list[Option]] = {}
        self._stale: set[int] = set()

    def due(self, slug: str) -> bool:
        """Whether :meth:`refresh` should read ``slug``'s list before the next turn."""
        with self._lock:
            cached = self._by_slug.get(slug)
            if cached is None:
                return True
            at, workshop_id, options = cached
            short = len(options) < OFFERED
            return self._clock() - at >= FRESH or (short and workshop_id in self._stale)

    def refresh(self, slug: str) -> None:
        """Read the actors of workshop ``slug`` (nothing happens for an unknown slug)."""
        now = self._clock()
        with self._store.session() as session:
            ws = workshops.find_workshop(session, slug)
            if ws is None:
                return
            names = named_actors(session, ws.id, OFFERED)
        options = [Option(name, Literal(name)) for name in names]
        with self._lock:
            self._by_slug[slug] = (now, ws.id, options)
            self._by_id[ws.id] = options
            self._stale.discard(ws.id)

    def options(self, workshop_id: int) -> list[Option]:
        """The actors to offer in ``workshop_id``, as last read (value and label: the name)."""
        with self._lock:
            return self._by_id.get(workshop_id, [])

    def named(self, workshop_id: int) -> None:
        """Somebody named a stakeholder in ``workshop_id``: a short list is read again."""
        with self._lock:
            self._stale.add(workshop_id)
