"""What a chat surface (console, Slack, Discord) uses of the app, in one object.

Adapters hold a :class:`ChatApp` and nothing of storage: every database call here
runs on a worker thread, so an adapter's event loop never waits on a query.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from bot.app.binding import BindOutcome, BindRequest, bind_channel, check_bind
from bot.app.forms import requirement_form
from bot.app.places import Places
from bot.app.reach import opt_out_of_dms, remember_staff_address
from bot.app.router import Router
from flows.catalog import Catalogs
from flows.forms import FormSpec
from storage.clock import utcnow
from storage.store import Store


@dataclass(frozen=True)
class ChatApp:
    """The app layer as the adapters see it.

    Attributes:
        router: Turns and staff commands.
        store: The database (for the app layer's own calls; adapters do not use it).
        places: Which workshop a channel, thread or DM belongs to.
        form: The requirement form (fields and limits from the micro script).
        default_workshop: Where a DM goes when nothing else says.
        default_locale: The install's language.
    """

    router: Router
    store: Store
    places: Places
    form: FormSpec | None
    default_workshop: str
    default_locale: str

    @classmethod
    def build(cls, router: Router, store: Store, *, workshop: str, locale: str) -> ChatApp:
        """The app layer over a router and its store."""
        return cls(
            router=router,
            store=store,
            places=Places(store, workshop),
            form=requirement_form(router.core.engine.scripts),
            default_workshop=workshop,
            default_locale=locale,
        )

    @property
    def catalogs(self) -> Catalogs:
        """The message catalogs replies are rendered with."""
        return self.router.core.catalogs

    def pseudonym(self, platform: str, user_id: str) -> str:
        """The stored pseudonym of a platform user."""
        return self.router.pseudonym_for(platform, user_id)

    async def check_bind(self, request: BindRequest, now: datetime | None = None) -> BindOutcome:
        """:func:`bot.app.binding.check_bind` on a worker thread (a refusal is audited)."""
        return await asyncio.to_thread(check_bind, self.store, request, now or utcnow())

    async def bind(
        self,
        request: BindRequest,
        *,
        checked: BindOutcome | None = None,
        delivery_id: str | None = None,
    ) -> BindOutcome:
        """:func:`bot.app.binding.bind_channel` on a worker thread."""
        return await asyncio.to_thread(
            lambda: bind_channel(
                self.store, request, utcnow(), delivery_id=delivery_id, checked=checked
            )
        )

    async def claim_delivery(self, platform: str, delivery_id: str) -> bool:
        """Record a delivery id; ``False`` if it was seen before (a retry)."""
        return await asyncio.to_thread(self.store.claim_delivery, platform, delivery_id)

    async def opt_out_of_dms(self, platform: str, pseudonym: str) -> None:
        """Forget where ``pseudonym`` opted in to direct messages."""
        await asyncio.to_thread(opt_out_of_dms, self.store, platform, pseudonym)

    async def remember_staff_address(
        self, platform: str, workshop: str, pseudonym: str, address: str
    ) -> bool:
        """Keep a staff member's DM channel so drafts reach them."""
        return await asyncio.to_thread(
            remember_staff_address, self.store, platform, workshop, pseudonym, address
        )
