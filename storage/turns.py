"""One participant turn as one transaction: dedupe, load, decide, store records, save state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy import Table, select, update
from sqlmodel import Session

from flows.kinds import Role, Status
from flows.records import Record
from storage.digests import redraft_unposted
from storage.models import Conversation, Participant, ProcessedDelivery, Workshop
from storage.participants import erase_participant
from storage.record_writes import RecordContext, store_record
from storage.turn_sql import turn_sql
from storage.upsert import insert_ignore
from storage.workshops import ScenarioInfo, WorkshopInfo, scenarios_of

T = TypeVar("T")
#: ``last_seen_at`` is rewritten at most this often (it drives reminders, not audits).
LAST_SEEN_RESOLUTION = timedelta(seconds=60)

_WORKSHOP: Table = Workshop.__table__  # type: ignore[attr-defined]
_PARTICIPANT: Table = Participant.__table__  # type: ignore[attr-defined]
_CONVERSATION: Table = Conversation.__table__  # type: ignore[attr-defined]
_DELIVERY: Table = ProcessedDelivery.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class TurnView:
    """What a turn decision may read."""

    workshop: WorkshopInfo
    scenarios: list[ScenarioInfo]
    participant_id: int
    pseudonym: str
    role: Role
    locale: str
    state: dict[str, Any]
    is_new: bool


@dataclass
class TurnWrite:
    """What a turn decision asks to store.

    Attributes:
        state: The new conversation state (JSON-able).
        script: Current script id (kept in a column for progress queries).
        step: Current step id.
        finished: Whether the participant finished every tier.
        records: Contributions to insert (idempotent on ``(participant, seq)``).
        locale: New locale for the participant, if it changed.
        forget: Erase the participant's data (``forget me``).
        reminders: Turn reminders on or off, if the participant asked.
    """

    state: dict[str, Any]
    script: str
    step: str
    finished: bool
    records: Sequence[Record] = field(default_factory=list)
    locale: str | None = None
    forget: bool = False
    reminders: bool | None = None


@dataclass(frozen=True)
class TurnResult(Generic[T]):
    """The outcome of :func:`run_turn`: ``duplicate`` when the delivery was seen before."""

    duplicate: bool
    value: T | None = None


@dataclass(frozen=True)
class TurnRequest(Generic[T]):
    """One participant turn to run: who, where, and how the decision is made.

    Attributes:
        workshop_slug: The workshop.
        pseudonym: The participant's pseudonym.
        platform: Where the message came from (kept on a new participant).
        delivery_id: The platform's delivery id, to drop retried deliveries.
        decide: Reads the :class:`TurnView`, returns what to write and a value for
            the caller (the engine runs here, inside the transaction).
        now: The turn's time.
        default_locale: Locale of a new participant.
        address: Where the platform can reach the participant privately.
        also: More writes in the turn's own transaction, given the decision's
            value (an adapter's outbox: the replies are stored with the turn).
    """

    workshop_slug: str
    pseudonym: str
    platform: str
    delivery_id: str | None
    decide: Callable[[TurnView], tuple[TurnWrite, T]]
    now: datetime
    default_locale: str = "en"
    address: str | None = None
    also: Callable[[Session, T], None] | None = None


class UnknownWorkshop(LookupError):
    """The turn names a workshop that does not exist."""


def run_turn(
    session: Session,
    request: TurnRequest[T],
    *,
    scenarios: Callable[[Session, int], list[ScenarioInfo]] = scenarios_of,
) -> TurnResult[T]:
    """Run one turn inside the caller's transaction.

    The delivery is recorded first, so a retried delivery is recognised before
    any side effect; the conversation row is locked (``FOR UPDATE`` on
    PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock).
    Plain Core statements, not the ORM unit of work: this is the hot path.

    Raises:
        UnknownWorkshop: ``workshop_slug`` does not exist.
    """
    sql = turn_sql(session)
    workshop_slug, pseudonym, platform = request.workshop_slug, request.pseudonym, request.platform
    delivery_id, now, address = request.delivery_id, request.now, request.address
    if delivery_id is not None and not sql.claim_delivery(session, platform, delivery_id, now):
        return TurnResult(duplicate=True)
    # Turns of one group commit share a transaction, and none changes a workshop:
    # read each workshop once per transaction.
    known: dict[str, dict[str, Any] | None] = session.info.setdefault("cityneeds.workshops", {})
    if workshop_slug not in known:
        known[workshop_slug] = sql.workshop(session, workshop_slug)
    ws_row = known[workshop_slug]
    if ws_row is None:
        raise UnknownWorkshop(workshop_slug)
    workshop = _workshop_info(ws_row)
    found = sql.person(session, workshop.id, pseudonym)
    is_new = False
    if found is None:
        is_new = _create_participant(
            session, workshop.id, pseudonym, platform, request.default_locale, now
        )
        found = sql.person(session, workshop.id, pseudonym)
        assert found is not None
    person, conversation = found
    participant_id = int(person["id"])
    view = TurnView(
        workshop=workshop,
        scenarios=scenarios(session, workshop.id),
        participant_id=participant_id,
        pseudonym=pseudonym,
        role=Role(person["role"]),
        locale=str(person["locale"]),
        state=conversation["state"],
        is_new=is_new,
    )
    write, value = request.decide(view)
    changes: dict[str, Any] = {}
    if _stale(person["last_seen_at"], now):
        changes["last_seen_at"] = now
    if write.forget:
        anonymise = bool(workshop.settings.get("anonymise_on_forget"))
        erase_participant(session, participant_id, anonymise=anonymise)
        changes.update(helix=None, consent_at=None, address=None)
        redraft_unposted(session, workshop.id)
    if write.records:
        ctx = RecordContext(
            workshop_id=workshop.id,
            participant_id=participant_id,
            consent_at=person["consent_at"],
            status=Status.APPROVED if workshop.moderation == "post" else Status.PENDING,
            now=now,
            scenarios=view.scenarios,
        )
        for record in write.records:
            store_record(session, ctx, record, changes)
    if write.locale and write.locale != person["locale"]:
        changes["locale"] = write.locale
    if write.reminders is not None:
        changes["reminders"] = write.reminders
    if address is not None and address != person["address"]:
        changes["address"] = address
    if changes:
        session.execute(
            update(_PARTICIPANT).where(_PARTICIPANT.c.id == participant_id).values(**changes)
        )
    sql.save_conversation(
        session,
        int(conversation["id"]),
        state=write.state,
        script=write.script,
        step=write.step,
        finished=write.finished,
        now=now,
    )
    if request.also is not None:
        request.also(session, value)
    return TurnResult(duplicate=False, value=value)


def _stale(seen: Any, now: datetime) -> bool:
    """Whether ``last_seen_at`` is worth rewriting (it is kept to the minute, not the turn)."""
    if seen is None:
        return True
    if isinstance(seen, str):
        seen = datetime.fromisoformat(seen)
    if seen.tzinfo is None:
        seen = seen.replace(tzinfo=UTC)
    return bool(now - seen >= LAST_SEEN_RESOLUTION)


def _workshop_info(row: dict[str, Any]) -> WorkshopInfo:
    return WorkshopInfo(
        id=int(row["id"]),
        slug=str(row["slug"]),
        title=str(row["title"]),
        timezone=str(row["timezone"]),
        languages=tuple(row["languages"] or ()),
        open_tiers=frozenset(row["open_tiers"] or ()),
        moderation=str(row["moderation"]),
        settings=dict(row["settings"] or {}),
    )


def _create_participant(
    session: Session,
    workshop_id: int,
    pseudonym: str,
    platform: str,
    locale: str,
    now: datetime,
) -> bool:
    """Insert the participant and their conversation; ``False`` if another turn just did."""
    new_id = insert_ignore(
        session,
        _PARTICIPANT,
        {
            "workshop_id": workshop_id,
            "pseudonym": pseudonym,
            "platform": platform,
            "role": Role.CITIZEN.value,
            "locale": locale,
            "accessibility": {},
            "reminders": True,
            "created_at": now,
        },
        ["workshop_id", "pseudonym"],
    )
    person = session.execute(
        select(_PARTICIPANT.c.id).where(
            _PARTICIPANT.c.workshop_id == workshop_id, _PARTICIPANT.c.pseudonym == pseudonym
        )
    ).one()
    insert_ignore(
        session,
        _CONVERSATION,
        {
            "participant_id": person[0],
            "workshop_id": workshop_id,
            "script": "",
            "step": "",
            "state": {},
            "version": 0,
            "finished": False,
            "updated_at": now,
        },
        ["participant_id"],
    )
    return new_id is not None


def claim_delivery(session: Session, platform: str, delivery_id: str, now: datetime) -> bool:
    """Record a delivery outside a turn (staff commands); ``False`` if it was seen before."""
    return (
        insert_ignore(
            session,
            _DELIVERY,
            {"platform": platform, "delivery_id": delivery_id, "created_at": now},
            ["platform", "delivery_id"],
        )
        is not None
    )
