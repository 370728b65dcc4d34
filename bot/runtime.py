"""Wire settings, storage, the core and the router together."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Settings
from bot.core import load_core
from bot.router import Router
from flows.library import scenario_library
from storage.store import Store
from storage.workshops import ScenarioSeed, WorkshopExists, WorkshopInfo


@dataclass
class Runtime:
    """A running app: the store and the router over it."""

    settings: Settings
    store: Store
    router: Router

    def close(self) -> None:
        """Release threads and connections."""
        self.router.close()
        self.store.dispose()


def library_seeds(codes: list[str] | None = None) -> list[ScenarioSeed]:
    """Scenario seeds from the shipped library, optionally only ``codes``."""
    return [
        ScenarioSeed(s.code, s.title, s.description, s.domains)
        for s in scenario_library()
        if codes is None or s.code in codes
    ]


def ensure_workshop(store: Store, slug: str, title: str | None = None) -> WorkshopInfo:
    """Return the workshop ``slug``, creating it with the whole scenario library if missing."""
    found = store.find_workshop(slug)
    if found is not None:
        return found
    try:
        return store.create_workshop(slug, title or slug, scenarios=library_seeds())
    except WorkshopExists:
        found = store.find_workshop(slug)
        assert found is not None
        return found


def open_runtime(settings: Settings | None = None, *, store: Store | None = None) -> Runtime:
    """Open the database (upgrading an empty one) and build the router."""
    settings = settings or Settings()
    store = store or Store(settings.database_url)
    store.ensure_schema()
    secret = settings.secret or store.install_secret()
    router = Router(
        store,
        load_core(),
        secret=secret,
        default_locale=settings.locale,
        workers=settings.worker_threads,
    )
    return Runtime(settings=settings, store=store, router=router)
