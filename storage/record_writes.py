"""Store the engine's typed records: one small writer per record kind.

Each writer turns one :mod:`flows.records` model into a row, idempotent on
``(participant, seq)``; consent and profile records change the participant
row instead (through the turn's pending ``changes``). An edited record
(``back`` after a save) replaces its row: see :func:`revise_record`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert, select, update
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
from storage.models import AuditLog, Need, Requirement, Stakeholder, StakeholderLink
from storage.upsert import insert_ignore
from storage.workshops import ScenarioInfo

_NEED: Table = Need.__table__  # type: ignore[attr-defined]
_STAKEHOLDER: Table = Stakeholder.__table__  # type: ignore[attr-defined]
_LINK: Table = StakeholderLink.__table__  # type: ignore[attr-defined]
_REQUIREMENT: Table = Requirement.__table__  # type: ignore[attr-defined]
_AUDIT: Table = AuditLog.__table__  # type: ignore[attr-defined]
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
        case _:
            table, columns = _columns(session, ctx, record)
            insert_ignore(session, table, ctx.row(record.seq) | columns, _CONFLICT)


def revise_record(
    session: Session, ctx: RecordContext, record: Record, changes: dict[str, Any]
) -> None:
    """Replace a record the participant saved earlier and has just edited (after ``back``).

    The row with the record's ``(participant, seq)`` is updated in place, so an
    edit never adds a second row and keeps the row's id (links still point at an
    edited stakeholder). Under pre-moderation the edited row goes back to
    ``pending`` so a moderator sees the new text before it counts; under
    post-moderation it keeps its status (a hidden row stays hidden). Either
    way the edit is audited with the status before and after. A row that is
    gone (removed by staff) is stored afresh.

    Raises:
        ValueError: The record names an unknown scenario or stakeholder.
    """
    if isinstance(record, ConsentRecord | ProfileRecord):
        store_record(session, ctx, record, changes)
        return
    table, columns = _columns(session, ctx, record)
    where = (table.c.participant_id == ctx.participant_id, table.c.seq == record.seq)
    found = session.execute(select(table.c.id, table.c.status).where(*where)).first()
    if found is None:
        insert_ignore(session, table, ctx.row(record.seq) | columns, _CONFLICT)
        return
    item_id, before = int(found[0]), str(found[1])
    after = Status.PENDING.value if ctx.status == Status.PENDING else before
    session.execute(update(table).where(*where).values(**columns, status=after))
    # A Core insert, not ``session.add``: the turn's savepoint must hold the row at once.
    session.execute(
        insert(_AUDIT).values(
            workshop_id=ctx.workshop_id,
            actor=f"participant:{ctx.participant_id}",
            action="contribution.edit",
            detail={"kind": record.kind.value, "id": item_id, "from": before, "to": after},
            created_at=ctx.now,
        )
    )


def _columns(session: Session, ctx: RecordContext, record: Record) -> tuple[Table, dict[str, Any]]:
    """The table of a contribution record and its own columns (not the shared ones)."""
    match record:
        case NeedRecord():
            return _NEED, {
                "domain_code": record.domain,
                "text": record.text,
                "hmw": record.hmw,
                "importance": record.importance,
                "satisfaction": record.satisfaction,
            }
        case StakeholderRecord():
            return _STAKEHOLDER, {
                "scenario_id": ctx.known_scenario(record.scenario),
                "name": record.name,
                "key": stakeholder_key(record.name),
                "helix": None if record.helix is None else record.helix.value,
                "role": None if record.role is None else record.role.value,
                "power": record.power,
                "interest": record.interest,
                "legitimacy": "legitimacy" in record.salience,
                "urgency": "urgency" in record.salience,
                "vulnerable": [v.value for v in record.vulnerable],
            }
        case LinkRecord():
            return _LINK, _link_columns(session, ctx, record)
        case RequirementRecord():
            return _REQUIREMENT, {
                "scenario_id": ctx.scenario_id(record.scenario),
                "domain_code": record.domain,
                "module": record.module,
                "as_a": record.as_a,
                "i_want": record.i_want,
                "so_that": record.so_that,
                "moscow": None if record.moscow is None else record.moscow.value,
                "acceptance": record.acceptance,
            }
    raise ValueError(f"{record.kind} is not a contribution row")


def _link_columns(session: Session, ctx: RecordContext, link: LinkRecord) -> dict[str, Any]:
    scenario_id = ctx.known_scenario(link.scenario)
    source = _stakeholder_id(session, ctx.participant_id, scenario_id, link.source)
    target = _stakeholder_id(session, ctx.participant_id, scenario_id, link.target)
    if source is None or target is None:
        raise ValueError("a link names a stakeholder this participant has not added")
    return {
        "scenario_id": scenario_id,
        "source_id": source,
        "target_id": target,
        "relation": link.relation.value,
        "weight": 1.0,
    }


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
