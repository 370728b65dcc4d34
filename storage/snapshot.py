"""One consistent read of a workshop for the map, digests and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from storage.models import (
    Conversation,
    Domain,
    Need,
    Participant,
    Requirement,
    Scenario,
    Stakeholder,
    StakeholderLink,
    Workshop,
)


@dataclass
class WorkshopSnapshot:
    """Rows of one workshop as plain dicts (no ORM objects escape storage)."""

    workshop: dict[str, Any]
    domains: list[dict[str, Any]] = field(default_factory=list)
    scenarios: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    needs: list[dict[str, Any]] = field(default_factory=list)
    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)


_VISIBLE = ("approved",)


def load_snapshot(
    session: Session, workshop_id: int, *, approved_only: bool = True
) -> WorkshopSnapshot:
    """Read a workshop's participants and contributions.

    Args:
        session: Open session.
        workshop_id: Workshop to read.
        approved_only: Leave out pending and hidden contributions.

    Raises:
        KeyError: No such workshop.
    """
    ws = session.get(Workshop, workshop_id)
    if ws is None:
        raise KeyError(workshop_id)
    snap = WorkshopSnapshot(
        workshop={
            "id": ws.id,
            "slug": ws.slug,
            "title": ws.title,
            "timezone": ws.timezone,
            "languages": list(ws.languages),
            "open_tiers": list(ws.open_tiers),
        }
    )
    snap.domains = [
        {"code": d.code, "iso_theme": d.iso_theme, "sdgs": list(d.sdgs)}
        for d in session.exec(select(Domain).order_by(col(Domain.code)))
    ]
    snap.scenarios = [
        {"id": s.id, "code": s.code, "title": dict(s.title), "domains": list(s.domains)}
        for s in session.exec(
            select(Scenario).where(Scenario.workshop_id == workshop_id).order_by(col(Scenario.id))
        )
    ]
    progress = {
        c.participant_id: (c.script, c.finished)
        for c in session.exec(select(Conversation).where(Conversation.workshop_id == workshop_id))
    }
    none: tuple[str, bool] = ("", False)
    snap.participants = [
        {
            "id": p.id,
            "helix": p.helix,
            "role": p.role,
            "locale": p.locale,
            "consented": p.consent_at is not None,
            "script": progress.get(p.id or 0, none)[0],
            "finished": progress.get(p.id or 0, none)[1],
        }
        for p in session.exec(
            select(Participant)
            .where(Participant.workshop_id == workshop_id)
            .order_by(col(Participant.id))
        )
    ]

    def visible(table: Any) -> Any:
        query = select(table).where(table.workshop_id == workshop_id)
        if approved_only:
            query = query.where(col(table.status).in_(_VISIBLE))
        return session.exec(query.order_by(col(table.id)))

    snap.needs = [
        {
            "id": n.id,
            "participant_id": n.participant_id,
            "domain": n.domain_code,
            "text": n.text,
            "hmw": n.hmw,
            "importance": n.importance,
            "satisfaction": n.satisfaction,
            "status": n.status,
            "created_at": n.created_at,
        }
        for n in visible(Need)
    ]
    snap.stakeholders = [
        {
            "id": s.id,
            "participant_id": s.participant_id,
            "scenario_id": s.scenario_id,
            "name": s.name,
            "key": s.key,
            "helix": s.helix,
            "role": s.role,
            "power": s.power,
            "interest": s.interest,
            "legitimacy": s.legitimacy,
            "urgency": s.urgency,
            "vulnerable": list(s.vulnerable),
            "status": s.status,
            "created_at": s.created_at,
        }
        for s in visible(Stakeholder)
    ]
    snap.links = [
        {
            "id": link.id,
            "participant_id": link.participant_id,
            "scenario_id": link.scenario_id,
            "source_id": link.source_id,
            "target_id": link.target_id,
            "relation": link.relation,
            "weight": link.weight,
            "status": link.status,
            "created_at": link.created_at,
        }
        for link in visible(StakeholderLink)
    ]
    snap.requirements = [
        {
            "id": r.id,
            "participant_id": r.participant_id,
            "scenario_id": r.scenario_id,
            "domain": r.domain_code,
            "module": r.module,
            "as_a": r.as_a,
            "i_want": r.i_want,
            "so_that": r.so_that,
            "moscow": r.moscow,
            "acceptance": r.acceptance,
            "status": r.status,
            "created_at": r.created_at,
        }
        for r in visible(Requirement)
    ]
    return snap
