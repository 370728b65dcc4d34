"""Wire settings, storage, the core and the router together."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from bot.app.chat import ChatApp
from bot.app.language_offer import fasttext_guess
from bot.app.router import Router
from bot.app.staff.desk import StaffDesk
from bot.app.workshops import ensure_workshop, library_seeds
from bot.config import Settings
from bot.core import load_core
from bot.identity import pseudonym
from bot.scheduler.digests import DigestService
from bot.scheduler.poster import ConsolePoster, Poster
from bot.scheduler.reminders import ReminderService
from bot.scheduler.service import SchedulerService
from storage.clock import utcnow
from storage.store import Store

#: Kept importable from here for existing callers; the rule lives in :mod:`bot.app.workshops`.
__all__ = ["Runtime", "ensure_workshop", "library_seeds", "open_runtime"]


@dataclass
class Runtime:
    """A running app: the store, the router, the staff desk, the scheduler and the app layer."""

    settings: Settings
    store: Store
    router: Router
    digests: DigestService
    scheduler: SchedulerService
    staff: StaffDesk
    app: ChatApp

    def close(self) -> None:
        """Stop the scheduler and release threads and connections."""
        self.scheduler.shutdown()
        self._release()

    async def aclose(self) -> None:
        """:meth:`close` from async code: the blocking part runs on a worker thread."""
        self.scheduler.shutdown()  # its jobs live in this loop
        await asyncio.to_thread(self._release)

    def _release(self) -> None:
        self.router.close()
        self.store.dispose()


def open_store(settings: Settings) -> Store:
    """A store for ``settings`` with its connect timeout (no connection is made yet)."""
    return Store(settings.database_url, connect_timeout=settings.db_connect_timeout)


def open_runtime(
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    poster: Poster | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Runtime:
    """Open the database (upgrading an empty one) and build everything around it.

    Args:
        settings: Configuration (read from the environment by default).
        store: An already open store (tests pass one per database).
        poster: Where scheduled digests, drafts and reminders go (console by default).
        clock: Time source for the scheduler and the staff desk (the wall clock by default).
    """
    settings = settings or Settings()
    clock = clock or utcnow
    store = store or open_store(settings)
    store.ensure_schema()
    secret = settings.secret or store.install_secret()
    core = load_core()
    out = poster or ConsolePoster(store=store)
    digests = DigestService(store, core.catalogs, out, clock=clock)
    reminders = ReminderService(store, core.catalogs, out, clock=clock)
    scheduler = SchedulerService(store, digests, reminders, clock=clock)
    staff = StaffDesk(
        store,
        core.catalogs,
        pseudonym=partial(pseudonym, secret),
        digests=digests,
        on_schedule_change=scheduler.rebuild,
        clock=clock,
    )
    router = Router(
        store,
        core,
        secret=secret,
        default_locale=settings.locale,
        workers=settings.worker_threads,
        clock=clock,
        staff=staff,
        guess_language=fasttext_guess if settings.offer_language else None,
    )
    return Runtime(
        settings=settings,
        store=store,
        router=router,
        digests=digests,
        scheduler=scheduler,
        staff=staff,
        app=ChatApp.build(router, store, workshop=settings.workshop, locale=settings.locale),
    )
