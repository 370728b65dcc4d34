"""One participant turn as one transaction: dedupe, load, decide, store records, save state."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlmodel import Session, col, select

from flows.messages import Record, RecordKind
from storage.digests import redraft_unposted
from storage.keys import stakeholder_key
from storage.models import (
    Conversation,
    Need,
    Participant,
    ProcessedDelivery,
    Requirement,
    Scenario,
    Stakeholder,
    StakeholderLink,
    Workshop,
)
from storage.participants import erase_participant
from storage.upsert import insert_ignore
from storage.workshops import ScenarioInfo, WorkshopInfo, info, scenarios_of

T = TypeVar("T")


@dataclass(frozen=True)
class TurnView:
    """What a turn decision may read."""

    workshop: WorkshopInfo
    scenarios: list[ScenarioInfo]
    participant_id: int
    pseudonym: str
    role: str
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


class UnknownWorkshop(LookupError):
    """The turn names a workshop that does not exist."""


def run_turn(
    session: Session,
    *,
    workshop_slug: str,
    pseudonym: str,
    platform: str,
    delivery_id: str | None,
    decide: Callable[[TurnView], tuple[TurnWrite, T]],
    now: datetime,
    default_locale: str = "en",
    address: str | None = None,
    scenarios: Callable[[Session, int], list[ScenarioInfo]] = scenarios_of,
) -> TurnResult[T]:
    """Run one turn inside the caller's transaction.

    The delivery is recorded first, so a retried delivery is recognised before
    any side effect; the conversation row is locked (``FOR UPDATE`` on
    PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` already holds the write lock).

    Raises:
        UnknownWorkshop: ``workshop_slug`` does not exist.
    """
    if delivery_id is not None:
        inserted = insert_ignore(
            session,
            ProcessedDelivery.__table__,  # type: ignore[attr-defined]
            {"platform": platform, "delivery_id": delivery_id, "created_at": now},
            ["platform", "delivery_id"],
        )
        if inserted is None:
            return TurnResult(duplicate=True)
    ws_row = session.exec(select(Workshop).where(Workshop.slug == workshop_slug)).first()
    if ws_row is None or ws_row.id is None:
        raise UnknownWorkshop(workshop_slug)
    workshop = info(ws_row)
    participant, conversation, is_new = _participant(
        session, workshop.id, pseudonym, platform, default_locale, now
    )
    assert participant.id is not None
    view = TurnView(
        workshop=workshop,
        scenarios=scenarios(session, workshop.id),
        participant_id=participant.id,
        pseudonym=pseudonym,
        role=participant.role,
        locale=participant.locale,
        state=dict(conversation.state),
        is_new=is_new,
    )
    write, value = decide(view)
    if write.forget:
        anonymise = bool(workshop.settings.get("anonymise_on_forget"))
        erase_participant(session, participant.id, anonymise=anonymise)
        participant.helix = None
        participant.consent_at = None
        participant.address = None
        redraft_unposted(session, workshop.id)
    status = "approved" if workshop.moderation == "post" else "pending"
    for record in write.records:
        _store_record(session, workshop.id, participant, record, status, now, view.scenarios)
    if write.locale:
        participant.locale = write.locale
    if write.reminders is not None:
        participant.reminders = write.reminders
    if address is not None:
        participant.address = address
    participant.last_seen_at = now
    conversation.state = write.state
    conversation.script = write.script
    conversation.step = write.step
    conversation.finished = write.finished
    conversation.version += 1
    conversation.updated_at = now
    session.add(participant)
    session.add(conversation)
    session.flush()
    return TurnResult(duplicate=False, value=value)


def _participant(
    session: Session,
    workshop_id: int,
    pseudonym: str,
    platform: str,
    locale: str,
    now: datetime,
) -> tuple[Participant, Conversation, bool]:
    is_new = False
    participant = _locked(
        session,
        select(Participant).where(
            Participant.workshop_id == workshop_id, Participant.pseudonym == pseudonym
        ),
    )
    if participant is None:
        new_id = insert_ignore(
            session,
            Participant.__table__,  # type: ignore[attr-defined]
            {
                "workshop_id": workshop_id,
                "pseudonym": pseudonym,
                "platform": platform,
                "role": "citizen",
                "locale": locale,
                "accessibility": {},
                "reminders": True,
                "created_at": now,
            },
            ["workshop_id", "pseudonym"],
        )
        is_new = new_id is not None
        participant = _locked(
            session,
            select(Participant).where(
                Participant.workshop_id == workshop_id, Participant.pseudonym == pseudonym
            ),
        )
    assert participant is not None and participant.id is not None
    conversation = _locked(
        session, select(Conversation).where(Conversation.participant_id == participant.id)
    )
    if conversation is None:
        insert_ignore(
            session,
            Conversation.__table__,  # type: ignore[attr-defined]
            {
                "participant_id": participant.id,
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
        conversation = _locked(
            session, select(Conversation).where(Conversation.participant_id == participant.id)
        )
    assert conversation is not None
    return participant, conversation, is_new


def _locked(session: Session, statement: Any) -> Any:
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return session.exec(statement).first()


def _scenario_id(scenarios: list[ScenarioInfo], code: object) -> int | None:
    return next((s.id for s in scenarios if s.code == code), None)


def _store_record(
    session: Session,
    workshop_id: int,
    participant: Participant,
    record: Record,
    status: str,
    now: datetime,
    scenarios: list[ScenarioInfo],
) -> None:
    assert participant.id is not None
    data = record.data
    base: dict[str, Any] = {
        "workshop_id": workshop_id,
        "participant_id": participant.id,
        "seq": record.seq,
        "status": status,
        "created_at": now,
    }
    conflict = ["participant_id", "seq"]
    if record.kind == RecordKind.CONSENT:
        if data.get("given"):
            participant.consent_at = participant.consent_at or now
        return
    if record.kind == RecordKind.PROFILE:
        participant.helix = data.get("helix")
        return
    if record.kind == RecordKind.NEED:
        insert_ignore(
            session,
            Need.__table__,  # type: ignore[attr-defined]
            base
            | {
                "domain_code": data["domain"],
                "text": data["text"],
                "hmw": data.get("hmw"),
                "importance": data.get("importance"),
                "satisfaction": data.get("satisfaction"),
            },
            conflict,
        )
        return
    scenario_id = _scenario_id(scenarios, data.get("scenario"))
    if record.kind == RecordKind.STAKEHOLDER:
        if scenario_id is None:
            raise ValueError(f"unknown scenario {data.get('scenario')!r}")
        salience = set(data.get("salience") or [])
        insert_ignore(
            session,
            Stakeholder.__table__,  # type: ignore[attr-defined]
            base
            | {
                "scenario_id": scenario_id,
                "name": data["name"],
                "key": stakeholder_key(str(data["name"])),
                "helix": data.get("helix"),
                "role": data.get("role"),
                "power": data.get("power"),
                "interest": data.get("interest"),
                "legitimacy": "legitimacy" in salience,
                "urgency": "urgency" in salience,
                "vulnerable": list(data.get("vulnerable") or []),
            },
            conflict,
        )
        return
    if record.kind == RecordKind.LINK:
        if scenario_id is None:
            raise ValueError(f"unknown scenario {data.get('scenario')!r}")
        source = _stakeholder_id(session, participant.id, scenario_id, str(data["source"]))
        target = _stakeholder_id(session, participant.id, scenario_id, str(data["target"]))
        if source is None or target is None:
            raise ValueError("a link names a stakeholder this participant has not added")
        insert_ignore(
            session,
            StakeholderLink.__table__,  # type: ignore[attr-defined]
            base
            | {
                "scenario_id": scenario_id,
                "source_id": source,
                "target_id": target,
                "relation": data["relation"],
                "weight": 1.0,
            },
            conflict,
        )
        return
    if record.kind == RecordKind.REQUIREMENT:
        insert_ignore(
            session,
            Requirement.__table__,  # type: ignore[attr-defined]
            base
            | {
                "scenario_id": scenario_id,
                "domain_code": data.get("domain"),
                "module": data["module"],
                "as_a": data["as_a"],
                "i_want": data["i_want"],
                "so_that": data.get("so_that"),
                "moscow": data.get("moscow"),
                "acceptance": data.get("acceptance"),
            },
            conflict,
        )
        return
    raise ValueError(f"unknown record kind {record.kind!r}")


def _stakeholder_id(
    session: Session, participant_id: int, scenario_id: int, name: str
) -> int | None:
    row = session.exec(
        select(Stakeholder.id)
        .where(
            Stakeholder.participant_id == participant_id,
            Stakeholder.scenario_id == scenario_id,
            Stakeholder.name == name,
        )
        .order_by(col(Stakeholder.id).desc())
    ).first()
    return None if row is None else int(row)


def scenario_exists(session: Session, workshop_id: int, code: str) -> bool:
    """Whether the workshop offers the scenario ``code``."""
    return (
        session.exec(
            select(Scenario.id).where(Scenario.workshop_id == workshop_id, Scenario.code == code)
        ).first()
        is not None
    )


def claim_delivery(session: Session, platform: str, delivery_id: str, now: datetime) -> bool:
    """Record a delivery outside a turn (staff commands); ``False`` if it was seen before."""
    return (
        insert_ignore(
            session,
            ProcessedDelivery.__table__,  # type: ignore[attr-defined]
            {"platform": platform, "delivery_id": delivery_id, "created_at": now},
            ["platform", "delivery_id"],
        )
        is not None
    )
