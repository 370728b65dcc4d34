"""Workshops the chat surfaces create on demand: with the whole scenario library."""

from __future__ import annotations

from flows.library import scenario_library
from storage.store import Store
from storage.workshops import ScenarioSeed, WorkshopExists, WorkshopInfo


def library_seeds(codes: list[str] | None = None) -> list[ScenarioSeed]:
    """Scenario seeds from the shipped library, optionally only ``codes``."""
    return [
        ScenarioSeed(s.code, s.title, s.description, s.domains)
        for s in scenario_library()
        if codes is None or s.code in codes
    ]


def ensure_workshop(store: Store, slug: str, title: str | None = None) -> WorkshopInfo:
    """Return the workshop ``slug``, creating it with the whole scenario library if missing.

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
