"""The router: identity, per-user ordering, one storage transaction per turn, rendering."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.app.assist_sessions import ActiveAssist, AssistSessions, as_resident, resident_start
from bot.app.events import InboundEvent, RouterResponse
from bot.app.language_offer import Guesser, first_need, offer_for
from bot.app.opening import initial_locale
from bot.app.ordering import KeyedOrder
from bot.app.router import tier_gate
from bot.app.router.actor_offers import ActorOffers
from bot.app.router.my_data import render_my_data
from bot.app.staff.parse import is_staff_text
from bot.core import Core
from bot.identity import pseudonym
from flows.context import WorkshopContext
from flows.library import domain_options, domain_synonyms, scenario_option
from flows.messages import EffectKind, Inbound, InboundKind, Option, Outcome, Reply, ReplyKind
from flows.records import StakeholderRecord
from flows.render import RenderedReply, render_reply
from flows.state import ConversationState
from flows.text import Literal, Msg, Param
from storage.clock import utcnow
from storage.inbox import complete
from storage.store import Store
from storage.turns import TurnRequest, TurnResult, TurnView, TurnWrite, UnknownWorkshop

if TYPE_CHECKING:
    from bot.app.staff.desk import StaffDesk
    from bot.app.staff.registry import ResidentStart, StaffCall

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _TurnValue:
    outcome: Outcome
    participant_id: int
    #: The conversation finished, paused or was erased in this turn.
    closed: bool = False


class Router:
    """Routes inbound events through the engine and storage.

    Messages from one user are handled in order; different users run
    concurrently on a bounded thread pool (storage calls block).

    Args:
        store: The database.
        core: Engine and catalogs.
        secret: Pseudonym HMAC secret.
        default_locale: Locale for new participants when the event has none.
        workers: Threads for storage calls.
        clock: Time source for stored timestamps.
        staff: The staff desk that answers ``!`` commands (none: they are ordinary text).
        guess_language: Guesses the language of a first need when the platform gave no
            locale, to offer a switch (see :mod:`bot.app.language_offer`); ``None``: never.
    """

    def __init__(
        self,
        store: Store,
        core: Core,
        *,
        secret: str,
        default_locale: str = "en",
        workers: int = 8,
        clock: Callable[[], datetime] = utcnow,
        staff: StaffDesk | None = None,
        guess_language: Guesser | None = None,
    ) -> None:
        self.store = store
        self._guess_language = guess_language
        self.core = core
        self._secret = secret
        self._clock = clock
        self._default_locale = default_locale
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cityneeds-db")
        #: One user's turns one at a time, in arrival order.
        self._order = KeyedOrder()
        self._domains = domain_options()
        self._synonyms: dict[str, Sequence[str]] = dict(domain_synonyms())
        self._scenario_options: dict[
            int, tuple[object, list[Option], dict[str, tuple[str, ...]]]
        ] = {}
        #: Stakeholders already named in each workshop, offered in the meso tier.
        self._offers = ActorOffers(store)
        #: Facilitator and moderator commands (``!open meso``); ``None`` for a citizen-only router.
        self.staff = staff
        #: Staff members typing a resident's answers in from their direct messages.
        self.assists = AssistSessions(store, self.pseudonym_for)

    def close(self) -> None:
        """Stop the worker threads."""
        self._executor.shutdown(wait=True)

    def pseudonym_for(self, platform: str, user_id: str) -> str:
        """The stored pseudonym of a platform user."""
        return pseudonym(self._secret, platform, user_id)

    # ----------------------------------------------------------------- async
    async def handle(self, event: InboundEvent) -> RouterResponse:
        """Handle one message or button press (staff commands go to the staff desk).

        In a staff member's direct messages while they assist a resident, plain lines
        and buttons are the resident's (:mod:`bot.app.assist_sessions`).
        """
        active = await self._assisting(event)
        if active is not None:
            if is_staff_text(event.text) and not event.button_step:
                return await self.staff_call(replace(event, workshop=active.workshop))
            response = await self._serialised(as_resident(event, active), start=False)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, self._after_resident, event, active, response
            )
        if self.staff is not None and is_staff_text(event.text) and not event.button_step:
            return await self.staff_call(event)
        return await self._serialised(event, start=False)

    async def staff_call(
        self, event: InboundEvent, call: StaffCall[Any] | None = None
    ) -> RouterResponse:
        """Run a staff command (``None``: the ``!`` line in ``event.text``) as a response.

        A resident's conversation the command opens (``!assist``) follows its lines,
        and the response is then private. A delivery id handled already runs nothing.
        """
        response, residents = await self._staff(event, call)
        for start in residents:
            opened = await self._serialised(
                resident_start(event, start.user_id, start.workshop), start=True
            )
            response = _followed(response, opened)
        return response

    async def _staff(
        self, event: InboundEvent, call: StaffCall[Any] | None = None
    ) -> tuple[RouterResponse, tuple[ResidentStart, ...]]:
        assert self.staff is not None
        locale = self._initial_locale(event.locale or self._default_locale)
        if event.delivery_id is not None:
            loop = asyncio.get_running_loop()
            fresh = await loop.run_in_executor(
                self._executor, self.store.claim_delivery, event.platform, event.delivery_id
            )
            if not fresh:
                return RouterResponse(duplicate=True, locale=locale), ()
        answer = await self.staff.run(event, call)
        replies = [
            RenderedReply(text=line, kind=ReplyKind.INFO, body=line) for line in answer.lines
        ]
        response = RouterResponse(replies=replies, locale=locale, files=list(answer.files))
        return response, answer.residents

    async def _assisting(self, event: InboundEvent) -> ActiveAssist | None:
        """Whom the sender types for, if this is their direct message and they assist."""
        if not event.direct or self.staff is None:
            return None
        loop = asyncio.get_running_loop()
        staff = self.pseudonym_for(event.platform, event.user_id)
        return await loop.run_in_executor(self._executor, self.assists.find, event.platform, staff)

    def _after_resident(
        self, event: InboundEvent, active: ActiveAssist, response: RouterResponse
    ) -> RouterResponse:
        """A resident's turn, private; if it closed their conversation, assisting ends too.

        (``forget me`` erased the session with the resident; the code is shown all the same.)
        """
        if response.duplicate:
            return response
        if response.closed:
            self.assists.end(event.platform, self.pseudonym_for(event.platform, event.user_id))
            text = self.core.catalogs.render(
                Msg("assist.chat_end", {"code": Literal(active.code)}), response.locale
            )
            line = RenderedReply(text=text, kind=ReplyKind.INFO, body=text)
            response = replace(response, replies=[*response.replies, line])
        return replace(response, private=True)

    async def submit_form(
        self, event: InboundEvent, answers: Sequence[tuple[str, str]]
    ) -> RouterResponse:
        """Answer several steps in a row, as a modal or form does, each as its own turn.

        ``answers`` are ``(step, value)`` pairs in script order, starting at the
        participant's current step. Each answer is one stored turn (with the
        delivery id ``<event.delivery_id>:<step>``, so a resubmitted form is
        deduplicated step by step). An empty value skips an optional step. The
        form stops at the first answer that is rejected or whose step is no
        longer the current one; the replies of that turn are returned, so the
        participant sees the error and can go on typing. A staff member's form in
        their direct messages while they assist a resident is the resident's.
        """
        active = await self._assisting(event)
        staff_event = event
        if active is not None:
            event = as_resident(event, active)
        response = RouterResponse(locale=event.locale or self._default_locale)
        for step, value in answers:
            delivery = f"{event.delivery_id}:{step}" if event.delivery_id else None
            if value.strip():
                turn = replace(event, text=value, button_step=step, delivery_id=delivery)
            else:
                turn = replace(event, text="skip", button_step=None, delivery_id=delivery)
            # Several turns, one reply: the caller stores the last response itself.
            turn = replace(turn, outbox=None)
            current = _current_step(response)
            if current is not None and current != step:
                break
            response = await self._serialised(turn, start=False)
            if response.duplicate:
                continue
            if any(r.kind == ReplyKind.ERROR for r in response.replies):
                break
        if active is not None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, self._after_resident, staff_event, active, response
            )
        return response

    async def start(self, event: InboundEvent) -> RouterResponse:
        """Greet a participant, or resume one where they left off."""
        return await self._serialised(event, start=True)

    async def _serialised(self, event: InboundEvent, *, start: bool) -> RouterResponse:
        async with self._order.hold((event.platform, event.user_id)):
            return await self._turn(event, start)

    async def _turn(self, event: InboundEvent, start: bool) -> RouterResponse:
        locale_hint = event.locale or self._default_locale
        stored: list[RouterResponse] = []
        try:
            if self._offers.due(event.workshop):
                await asyncio.to_thread(self._offers.refresh, event.workshop)
            job = self._job(event, start, locale_hint, stored)
            result = await self.store.submit_turn_async(job)
        except Exception as exc:
            return self._failed(exc, event, locale_hint)
        if stored and not result.duplicate:
            return stored[-1]  # rendered inside the transaction (a batch retry renders again)
        given = event.locale is not None
        if result.value is not None and (
            _needs_storage(result.value.outcome) or self._may_offer(result.value.outcome, given)
        ):
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._executor, self._respond, result, locale_hint, given
            )
        return self._respond(result, locale_hint, given)

    # ------------------------------------------------------------------ sync
    def handle_sync(self, event: InboundEvent, start: bool = False) -> RouterResponse:
        """Handle one event on the calling thread (adapters without an event loop use this)."""
        active = self.assisting_now(event) if not start else None
        if active is not None and not (is_staff_text(event.text) and not event.button_step):
            resident = self.handle_sync(as_resident(event, active))
            return self._after_resident(event, active, resident)
        if active is not None:
            event = replace(event, workshop=active.workshop)
        if (
            not start
            and not event.button_step
            and self.staff is not None
            and is_staff_text(event.text)
        ):
            response, residents = asyncio.run(self._staff(event))
            for opening in residents:
                opened = self.handle_sync(
                    resident_start(event, opening.user_id, opening.workshop), start=True
                )
                response = _followed(response, opened)
            return response
        locale_hint = event.locale or self._default_locale
        try:
            if self._offers.due(event.workshop):
                self._offers.refresh(event.workshop)
            result = self.store.run_turn(self._job(event, start, locale_hint))
        except Exception as exc:
            return self._failed(exc, event, locale_hint)
        return self._respond(result, locale_hint, event.locale is not None)

    def assisting_now(self, event: InboundEvent) -> ActiveAssist | None:
        """Whom the sender of ``event`` types for in their direct messages (blocking)."""
        if not event.direct or self.staff is None:
            return None
        return self.assists.find(event.platform, self.pseudonym_for(event.platform, event.user_id))

    def _job(
        self,
        event: InboundEvent,
        start: bool,
        locale_hint: str,
        stored: list[RouterResponse] | None = None,
    ) -> TurnRequest[_TurnValue]:
        """One storage turn: who, where, and how the engine decides.

        With ``event.outbox`` the replies are rendered inside the transaction and
        stored with the turn (appended to ``stored`` too, so they are not rendered twice).
        """
        inbound = Inbound(
            event.text,
            InboundKind.BUTTON if event.button_step else InboundKind.TEXT,
            event.button_step,
        )

        def decide(view: TurnView) -> tuple[TurnWrite, _TurnValue]:
            state = (
                ConversationState.model_validate(view.state)
                if view.state
                else ConversationState(locale=self._initial_locale(locale_hint))
            )
            ctx = self._context(view)
            engine = self.core.engine
            gate = tier_gate.before_turn(state, self._tier, ctx.open_tiers)
            state = gate.state
            before = (state.finished, state.paused)
            outcome = engine.start(state, ctx) if start else engine.handle(state, inbound, ctx)
            outcome = tier_gate.after_turn(outcome, gate, self._tier, ctx.open_tiers)
            new = outcome.state
            if any(isinstance(r, StakeholderRecord) for r in outcome.records):
                self._offers.named(view.workshop.id)
            locale = next(
                (e.value for e in outcome.effects if e.kind == EffectKind.SET_LOCALE), None
            )
            if view.is_new:
                locale = locale or new.locale
            reminders = next(
                (e.value == "on" for e in outcome.effects if e.kind == EffectKind.SET_REMINDERS),
                None,
            )
            write = TurnWrite(
                state=new.model_dump(mode="json"),
                script=new.script,
                step=new.step,
                finished=new.finished,
                records=outcome.records,
                revisions=outcome.revisions,
                locale=locale,
                forget=any(e.kind == EffectKind.FORGET_ME for e in outcome.effects),
                reminders=reminders,
                waiting_tier=new.waiting_tier,
            )
            closed = (
                write.forget or (new.finished and not before[0]) or (new.paused and not before[1])
            )
            return write, _TurnValue(outcome, view.participant_id, closed)

        now = self._clock()
        also: Callable[[Session, _TurnValue], None] | None = None
        sink = event.outbox
        if sink is not None:

            def also(session: Session, value: _TurnValue) -> None:
                response = self._respond(
                    TurnResult(duplicate=False, value=value), locale_hint, event.locale is not None
                )
                if complete(session, sink.inbox_id, sink.compose(response), now) is None:
                    return  # the row was closed before: a second handling queues nothing
                if stored is not None:
                    stored.append(replace(response, stored=True))

        return TurnRequest(
            workshop_slug=event.workshop,
            pseudonym=self.pseudonym_for(event.platform, event.user_id),
            platform=event.platform,
            delivery_id=event.delivery_id,
            decide=decide,
            now=now,
            default_locale=self._initial_locale(locale_hint),
            address=event.address,
            also=also,
        )

    def _failed(self, exc: Exception, event: InboundEvent, locale_hint: str) -> RouterResponse:
        if isinstance(exc, UnknownWorkshop):
            return self._error("error.no_workshop", locale_hint)
        # The transaction (or this turn's savepoint) rolled back and the delivery was
        # not recorded, so a retry is processed afresh: nothing the participant sent
        # is lost.
        log.error("turn failed for %s on %s", event.platform, event.workshop, exc_info=exc)
        return self._error("error.internal", locale_hint)

    def _may_offer(self, outcome: Outcome, locale_given: bool) -> bool:
        """Whether this turn may offer a language (the guess then runs off the event loop)."""
        return (
            self._guess_language is not None
            and not locale_given
            and first_need(outcome.records) is not None
        )

    def _respond(
        self, result: TurnResult[_TurnValue], locale_hint: str, locale_given: bool = True
    ) -> RouterResponse:
        if result.duplicate or result.value is None:
            return RouterResponse(duplicate=True, locale=locale_hint)
        outcome = result.value.outcome
        locale = outcome.state.locale
        replies = [render_reply(r, locale, self.core.catalogs) for r in outcome.replies]
        extra = self._effects(outcome, result.value.participant_id, locale)
        # What a command shows (``my data``, ``status``) comes before the question shown again.
        at = len(replies) - 1 if replies and replies[-1].kind == ReplyKind.PROMPT else len(replies)
        replies[at:at] = extra
        guess = self._guess_language
        if guess is not None and self._may_offer(outcome, locale_given):
            needs = self.store.contribution_counts(result.value.participant_id)["needs"]
            offer = offer_for(outcome.records, needs, locale, self.core.catalogs.locales, guess)
            if offer is not None:  # said in the language it offers, so its reader can read it
                message, language = offer
                shown = render_reply(Reply(message, ReplyKind.INFO), language, self.core.catalogs)
                last = replies[-1] if replies else None
                replies.insert(
                    len(replies) - 1 if last and last.kind == ReplyKind.PROMPT else len(replies),
                    shown,
                )
        return RouterResponse(
            replies=replies,
            locale=locale,
            participant_id=result.value.participant_id,
            closed=result.value.closed,
        )

    # --------------------------------------------------------------- helpers
    def _initial_locale(self, hint: str) -> str:
        return initial_locale(hint, self.core.catalogs.locales, self._default_locale)

    def _context(self, view: TurnView) -> WorkshopContext:
        # The store hands out the same scenario list while its cache is fresh;
        # keep the options built from it instead of rebuilding them every turn.
        cached = self._scenario_options.get(view.workshop.id)
        if cached is None or cached[0] is not view.scenarios:
            options = [scenario_option(s.code, s.title) for s in view.scenarios]
            touched = {s.code: s.domains for s in view.scenarios}
            cached = (view.scenarios, options, touched)
            self._scenario_options[view.workshop.id] = cached
        return WorkshopContext(
            domains=self._domains,
            scenarios=cached[1],
            open_tiers=view.workshop.open_tiers,
            synonyms=self._synonyms,
            scenario_domains=cached[2],
            actors=self._offers.options(view.workshop.id),
        )

    def _effects(self, outcome: Outcome, participant_id: int, locale: str) -> list[RenderedReply]:
        catalogs = self.core.catalogs
        extra: list[RenderedReply] = []
        for effect in outcome.effects:
            if effect.kind == EffectKind.SHOW_MY_DATA:
                text = render_my_data(self.store.participant_data(participant_id), catalogs, locale)
                extra.append(RenderedReply(text=text, kind=ReplyKind.INFO, body=text))
            elif effect.kind == EffectKind.SHOW_STATUS:
                counts = self.store.contribution_counts(participant_id)
                state = outcome.state
                where = (
                    Msg("status.finished")
                    if state.finished
                    else Msg(f"tier.{self._tier(state.script)}")
                )
                nouns = {"links": "relations"}
                params: dict[str, Param] = {
                    name: Msg(f"count.{nouns.get(name, name)}", {"count": n})
                    for name, n in counts.items()
                }
                reply = Reply(Msg("status.text", {"where": where, **params}), ReplyKind.INFO)
                extra.append(render_reply(reply, locale, catalogs))
        return extra

    def _tier(self, script_id: str) -> str:
        script = self.core.engine.scripts.get(script_id)
        return script.tier if script else "onboarding"

    def _error(self, msg_id: str, locale: str) -> RouterResponse:
        loc = self._initial_locale(locale)
        reply = render_reply(Reply(Msg(msg_id), ReplyKind.ERROR), loc, self.core.catalogs)
        return RouterResponse(replies=[reply], locale=loc)


def _followed(response: RouterResponse, opened: RouterResponse) -> RouterResponse:
    """A staff answer followed by the resident's conversation it opened: private."""
    return replace(
        response,
        replies=[*response.replies, *opened.replies],
        locale=opened.locale,
        participant_id=opened.participant_id,
        private=True,
    )


def _current_step(response: RouterResponse) -> str | None:
    return next((r.step for r in reversed(response.replies) if r.step), None)


def _needs_storage(outcome: Outcome) -> bool:
    """Whether rendering this outcome reads the database (``my data``, ``status``)."""
    return any(e.kind in (EffectKind.SHOW_MY_DATA, EffectKind.SHOW_STATUS) for e in outcome.effects)
