"""Workshops: the scenario library they start with, and finding one by a name someone typed.

Only ``workshop create`` and a staff ``setup`` create workshops (and the configured
default workshop may be created on first start); everywhere else an unknown name
is refused with the closest existing names (:class:`NoSuchWorkshop`).
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from flows.library import scenario_library
from storage.store import Store
from storage.workshops import ScenarioSeed, WorkshopExists, WorkshopInfo

#: How many close names a refusal suggests, and how close (0–100) they must be.
SUGGESTIONS = 3
CLOSE_ENOUGH = 60.0


class NoSuchWorkshop(LookupError):
    """A workshop name that matches no workshop.

    Attributes:
        slug: The name as typed.
        closest: The existing names closest to it, best first (may be empty).
        known: Every existing name, oldest first.
    """

    def __init__(self, slug: str, closest: list[str], known: list[str]) -> None:
        super().__init__(slug)
        self.slug = slug
        self.closest = closest
        self.known = known

    def __str__(self) -> str:
        if self.closest:
            return f"no workshop called {self.slug!r}; did you mean {', '.join(self.closest)}?"
        names = ", ".join(self.known) or "none yet"
        return f"no workshop called {self.slug!r} (workshops: {names})"


def closest_slugs(slug: str, known: list[str], limit: int = SUGGESTIONS) -> list[str]:
    """The names in ``known`` closest to ``slug`` (a typo, a different case), best first."""
    if not known:
        return []
    lowered = {name.lower(): name for name in known}
    found = process.extract(
        slug.lower(), list(lowered), scorer=fuzz.WRatio, limit=limit, score_cutoff=CLOSE_ENOUGH
    )
    return [lowered[match] for match, _score, _index in found]


def require_workshop(store: Store, slug: str) -> WorkshopInfo:
    """The workshop ``slug``; never creates one.

    Blocks on the database: async callers run it on a worker thread.

    Raises:
        NoSuchWorkshop: There is none; it names the closest existing workshops.
    """
    found = store.find_workshop(slug)
    if found is not None:
        return found
    known = [ws.slug for ws, _count in store.list_workshops()]
    raise NoSuchWorkshop(slug, closest_slugs(slug, known), known)


def library_seeds(codes: list[str] | None = None) -> list[ScenarioSeed]:
    """Scenario seeds from the shipped library, optionally only ``codes``."""
    return [
        ScenarioSeed(s.code, s.title, s.description, s.domains)
        for s in scenario_library()
        if codes is None or s.code in codes
    ]


def ensure_workshop(store: Store, slug: str, title: str | None = None) -> WorkshopInfo:
    """Return the workshop ``slug``, creating it with the whole scenario library if missing.

    Only for the configured default workshop at start-up, ``workshop create`` and a
    staff ``setup``; a name a person typed elsewhere goes through :func:`require_workshop`.
    Blocks on the database: async callers run it on a worker thread.
    """
    found = store.find_workshop(slug)
    if found is not None:
        return found
    try:
        return store.create_workshop(slug, title or slug, scenarios=library_seeds())
    except WorkshopExists:
        found = store.find_workshop(slug)
        assert found is not None
        return found
