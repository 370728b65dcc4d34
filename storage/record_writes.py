"""Store the engine's typed records: one small writer per record kind.

Each writer turns one :mod:`flows.records` model into a row, idempotent on
``(participant, seq)``; consent and profile records change the participant
row instead (through the turn's pending ``changes``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session

from flows.kinds import Status
from flows.records import (
    ConsentRecord,
    LinkRecord,
    NeedRecord,
    ProfileRecord,
    Record,
    RequirementRecord,
    StakeholderRecord,
)
from storage.keys import stakeholder_key
from storage.models import Need, Requirement, Stakeholder, StakeholderLink
from storage.upsert import insert_ignore
from storage.workshops import ScenarioInfo

_NEED: Table = Need.__table__  # type: ignore[attr-defined]
_STAKEHOLDER: Table = Stakeholder.__table__  # type: ignore[attr-defined]
_LINK: Table = StakeholderLink.__table__  # type: ignore[attr-defined]
_REQUIREMENT: Table = Requirement.__table__  # type: ignore[attr-defined]
_CONFLICT = ["participant_id", "seq"]


@dataclass(frozen=True)
class RecordContext:
    """Where the records of one turn go.

    Attributes:
        workshop_id: The workshop.
        participant_id: The participant who contributed.
        consent_at: The participant's current consent time (``None`` if never given).
        status: Moderation status of new contributions.
        now: The turn's time.
        scenarios: The workshop's scenarios (records name them by code).
    """

    workshop_id: int
    participant_id: int
    consent_at: object
    status: Status
    now: datetime
    scenarios: list[ScenarioInfo]

    def row(self, seq: int) -> dict[str, Any]:
        """The columns every contribution row shares."""
        return {
            "workshop_id": self.workshop_id,
            "participant_id": self.participant_id,
            "seq": seq,
            "status": self.status.value,
            "created_at": self.now,
        }

    def scenario_id(self, code: str | None) -> int | None:
        """Id of the scenario with this code, or ``None``."""
        return next((s.id for s in self.scenarios if s.code == code), None)

    def known_scenario(self, code: str) -> int:
        """Id of the scenario with this code.

        Raises:
            ValueError: No scenario has this code.
        """
        found = self.scenario_id(code)
        if found is None:
            raise ValueError(f"unknown scenario {code!r}")
        return found


def store_record(
    session: Session, ctx: RecordContext, record: Record, changes: dict[str, Any]
) -> None:
    """Store one record (see the module docstring).

    Args:
        session: The turn's session.
        ctx: Where the record goes.
        record: The engine's record.
        changes: Pending participant column updates of this turn (consent, helix).

    Raises:
        ValueError: The record names an unknown scenario or stakeholder.
    """
    match record:
        case ConsentRecord():
            if record.given and ctx.consent_at is None:
                changes["consent_at"] = ctx.now
        case ProfileRecord():
            changes["helix"] = None if record.helix is None else record.helix.value
        case NeedRecord():
            _need(session, ctx, record)
        case StakeholderRecord():
            _stakeholder(session, ctx, record)
        case LinkRecord():
            _link(session, ctx, record)
        case RequirementRecord():
            _requirement(session, ctx, record)


def _need(session: Session, ctx: RecordContext, need: NeedRecord) -> None:
    row = ctx.row(need.seq) | {
        "domain_code": need.domain,
        "text": need.text,
        "hmw": need.hmw,
        "importance": need.importance,
        "satisfaction": need.satisfaction,
    }
    insert_ignore(session, _NEED, row, _CONFLICT)


def _stakeholder(session: Session, ctx: RecordContext, sh: StakeholderRecord) -> None:
    row = ctx.row(sh.seq) | {
        "scenario_id": ctx.known_scenario(sh.scenario),
        "name": sh.name,
        "key": stakeholder_key(sh.name),
        "helix": None if sh.helix is None else sh.helix.value,
        "role": None if sh.role is None else sh.role.value,
        "power": sh.power,
        "interest": sh.interest,
        "legitimacy": "legitimacy" in sh.salience,
        "urgency": "urgency" in sh.salience,
        "vulnerable": [v.value for v in sh.vulnerable],
    }
    insert_ignore(session, _STAKEHOLDER, row, _CONFLICT)


def _link(session: Session, ctx: RecordContext, link: LinkRecord) -> None:
    scenario_id = ctx.known_scenario(link.scenario)
    source = _stakeholder_id(session, ctx.participant_id, scenario_id, link.source)
    target = _stakeholder_id(session, ctx.participant_id, scenario_id, link.target)
    if source is None or target is None:
        raise ValueError("a link names a stakeholder this participant has not added")
    row = ctx.row(link.seq) | {
        "scenario_id": scenario_id,
        "source_id": source,
        "target_id": target,
        "relation": link.relation.value,
        "weight": 1.0,
    }
    insert_ignore(session, _LINK, row, _CONFLICT)


def _requirement(session: Session, ctx: RecordContext, req: RequirementRecord) -> None:
    row = ctx.row(req.seq) | {
        "scenario_id": ctx.scenario_id(req.scenario),
        "domain_code": req.domain,
        "module": req.module,
        "as_a": req.as_a,
        "i_want": req.i_want,
        "so_that": req.so_that,
        "moscow": None if req.moscow is None else req.moscow.value,
        "acceptance": req.acceptance,
    }
    insert_ignore(session, _REQUIREMENT, row, _CONFLICT)


def _stakeholder_id(
    session: Session, participant_id: int, scenario_id: int, name: str
) -> int | None:
    row = session.execute(
        select(_STAKEHOLDER.c.id)
        .where(
            _STAKEHOLDER.c.participant_id == participant_id,
            _STAKEHOLDER.c.scenario_id == scenario_id,
            _STAKEHOLDER.c.name == name,
        )
        .order_by(_STAKEHOLDER.c.id.desc())
    ).first()
    return None if row is None else int(row[0])
