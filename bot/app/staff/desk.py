"""The staff desk: finds the command, checks the role, runs the typed call, audits refusals.

The commands themselves live in the registry (:mod:`bot.app.staff.registry`), one module per
area: tiers, schedule, policy, roles, moderation, digest, settings, assist.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.app.binding import Seat, seat_of
from bot.app.events import Attachment, InboundEvent
from bot.scheduler.digests import DigestService

# Each module declares its commands in STAFF when imported; this order is the help's order.
# isort: off
from bot.app.staff import help as _help  # noqa: F401
from bot.app.staff import tiers as _tiers  # noqa: F401
from bot.app.staff import schedule as _schedule  # noqa: F401
from bot.app.staff import policy as _policy  # noqa: F401
from bot.app.staff import roles as _roles  # noqa: F401
from bot.app.staff import moderation as _moderation  # noqa: F401
from bot.app.staff import themes as _themes  # noqa: F401
from bot.app.staff import actors as _actors  # noqa: F401
from bot.app.staff import digest as _digest  # noqa: F401
from bot.app.staff import settings as _settings  # noqa: F401
from bot.app.staff import assist as _assist  # noqa: F401

# isort: on
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import parse_staff
from bot.app.staff.registry import STAFF, Ctx, ResidentStart, StaffCall, StaffServices
from flows.catalog import Catalogs
from flows.text import Literal, Msg, Param
from storage import workshops
from storage.audit import audit
from storage.clock import utcnow
from storage.store import Store
from storage.workshops import WorkshopInfo

#: Which roles may run each command (``{"open": ("facilitator",), …}``), from the registry.
PERMISSIONS: dict[str, tuple[str, ...]] = {c.name: tuple(r.value for r in c.roles) for c in STAFF}


@dataclass(frozen=True)
class StaffAnswer:
    """What a staff command answers: lines of text, and files for the person who asked."""

    lines: list[str]
    files: tuple[Attachment, ...] = ()
    residents: tuple[ResidentStart, ...] = ()


class StaffDesk:
    """Runs staff commands for one store.

    Args:
        store: The database.
        catalogs: Message catalogs for replies.
        pseudonym: ``(platform, user_id) -> pseudonym``, the router's HMAC.
        digests: The digest service (for ``!digest``); optional for setups without posting.
        on_schedule_change: Called after ``!schedule`` so the scheduler rebuilds its jobs.
        clock: Time source.
    """

    def __init__(
        self,
        store: Store,
        catalogs: Catalogs,
        *,
        pseudonym: Callable[[str, str], str],
        digests: DigestService | None = None,
        on_schedule_change: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.catalogs = catalogs
        self.pseudonym = pseudonym
        self.digests = digests
        self.on_schedule_change = on_schedule_change
        self.clock = clock
        self.services = StaffServices(store, catalogs, pseudonym, digests, self._rebuild)

    async def handle(self, event: InboundEvent) -> StaffAnswer:
        """Run the ``!`` line in ``event.text``; return the rendered reply lines and any files."""
        return await self.run(event, None)

    async def run(self, event: InboundEvent, call: StaffCall[Any] | None) -> StaffAnswer:
        """Run a typed call (``None``: parse ``event.text``) for the sender of ``event``."""
        files: list[Attachment] = []
        residents: list[ResidentStart] = []
        lines = await self._run(event, call, files, residents)
        return StaffAnswer(lines, tuple(files), tuple(residents))

    async def _run(
        self,
        event: InboundEvent,
        call: StaffCall[Any] | None,
        files: list[Attachment],
        residents: list[ResidentStart],
    ) -> list[str]:
        locale = self._locale(event)
        typed = parse_staff(event.text)
        actor = self.pseudonym(event.platform, event.user_id)
        now = self.clock()
        # The database work runs in the worker pool, never on the event loop.
        found = await asyncio.to_thread(self._find_seat, event, actor, now)
        if found is None:
            return [self._t("error.no_workshop", locale)]
        ws, seat = found
        out: list[str] = []
        if seat.bootstrapped:
            out.append(self._t("staff.bootstrap", locale, workshop=Literal(ws.slug)))
        command = call.command if call is not None else STAFF.get(typed.name)
        if command is None:
            commands = ", ".join(f"!{name}" for name in STAFF.names())
            name = Literal(typed.name[:40])
            return [*out, self._t("staff.unknown", locale, command=name, commands=commands)]
        if seat.role not in command.roles:
            detail = {"command": command.name, "role": seat.role}
            await asyncio.to_thread(self._audit, ws.id, actor, detail, now)
            roles_named = " / ".join(r.value for r in command.roles)
            return [
                self._t(
                    "staff.refused",
                    locale,
                    roles=roles_named,
                    command=Literal(f"!{command.name}"),
                )
            ]
        if call is None:
            call = command.from_text(typed)
        ctx = Ctx(
            self.services,
            ws,
            actor,
            seat.participant_id,
            event.platform,
            locale,
            now,
            files,
            event.user_id,
            residents,
        )
        try:
            if call.error is not None:
                raise call.error
            out.extend(await command.run(ctx, call.args))
        except BadArgument as error:
            out.extend(await self._refuse(ctx, command.name, command.usage, error))
        return out

    def _find_seat(
        self, event: InboundEvent, actor: str, now: datetime
    ) -> tuple[WorkshopInfo, Seat] | None:
        """The workshop of ``event`` and the sender's seat in it (``None``: no such workshop)."""
        with self.store.session() as session:
            ws = workshops.find_workshop(session, event.workshop)
            if ws is None:
                return None
            seat = seat_of(
                session,
                ws.id,
                actor,
                event.platform,
                is_platform_admin=event.is_platform_admin,
                now=now,
            )
        return ws, seat

    def _audit(self, workshop_id: int, actor: str, detail: dict[str, Any], now: datetime) -> None:
        with self.store.session() as session:
            audit(session, workshop_id, actor, "refused", detail, now)

    async def _refuse(self, x: Ctx, name: str, usage: str, error: BadArgument) -> list[str]:
        """The reply to a bad argument, and its audit row; nothing else changes."""
        detail = {"command": name, "argument": error.argument, "value": error.value[:60]}
        await asyncio.to_thread(self._audit, x.ws.id, x.actor, detail, x.now)
        lines = [self.catalogs.render(error.message, x.locale)] if error.message else []
        if error.usage:
            lines.append(x.usage(usage))
        return lines

    # ------------------------------------------------------------- helpers
    def _locale(self, event: InboundEvent) -> str:
        return event.locale if event.locale in self.catalogs.locales else "en"

    def _t(self, msg_id: str, locale: str, **params: Param) -> str:
        return self.catalogs.render(Msg(msg_id, dict(params)), locale)

    def _rebuild(self) -> None:
        if self.on_schedule_change is not None:
            self.on_schedule_change()
