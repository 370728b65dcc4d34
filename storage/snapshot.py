"""Load the typed snapshot of a workshop (``flows.snapshot``) from the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import func
from sqlmodel import Session, col, select

from flows.kinds import HelixGroup, Origin, Role, Status, Tier
from flows.library import with_library_texts
from flows.records import Moscow, Relation, StakeholderRole, Vulnerable
from flows.snapshot import (
    DomainRow,
    LinkRow,
    NeedRow,
    ParticipantRow,
    RequirementRow,
    ScenarioRow,
    StakeholderRow,
    WorkshopHeader,
    WorkshopSnapshot,
)
from storage.actor_decisions import in_force
from storage.models import (
    Conversation,
    Domain,
    ModerationAction,
    Need,
    Participant,
    Requirement,
    Scenario,
    Stakeholder,
    StakeholderLink,
    Workshop,
)

_VISIBLE = (Status.APPROVED.value,)
_E = TypeVar("_E", bound=StrEnum)


def _lookup(kind: type[_E]) -> Callable[[str | None], _E | None]:
    """A fast ``value → member`` conversion for columns holding an enum's values."""
    members: dict[str | None, _E | None] = {m.value: m for m in kind}
    members[None] = None

    def convert(value: str | None) -> _E | None:
        try:
            return members[value]
        except KeyError:
            return kind(str(value))  # raises the enum's own ValueError

    return convert


_helix = _lookup(HelixGroup)
_role = _lookup(StakeholderRole)
_moscow = _lookup(Moscow)
_STATUS = {s.value: s for s in Status}
_RELATION = {r.value: r for r in Relation}
_PARTICIPANT_ROLE = {r.value: r for r in Role}
_VULNERABLE = {v.value: v for v in Vulnerable}


def _created(value: datetime | None) -> datetime:
    assert value is not None, "contribution rows always have created_at"
    return value


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
    if ws is None or ws.id is None:
        raise KeyError(workshop_id)
    header = WorkshopHeader(
        id=ws.id,
        slug=ws.slug,
        title=ws.title,
        timezone=ws.timezone,
        languages=tuple(ws.languages),
        open_tiers=tuple(Tier(t) for t in ws.open_tiers),
    )
    domains = tuple(
        DomainRow(code=d.code, iso_theme=d.iso_theme, sdgs=tuple(d.sdgs))
        for d in session.exec(select(Domain).order_by(col(Domain.code)))
    )
    scenarios = tuple(
        ScenarioRow(
            id=s.id or 0,
            code=s.code,
            title=with_library_texts(s.code, s.title),
            domains=tuple(s.domains),
        )
        for s in session.exec(
            select(Scenario).where(Scenario.workshop_id == workshop_id).order_by(col(Scenario.id))
        )
    )
    progress = {
        c.participant_id: (c.script, c.finished)
        for c in session.exec(select(Conversation).where(Conversation.workshop_id == workshop_id))
    }
    none: tuple[str, bool] = ("", False)
    answered = _answered(session, workshop_id)
    participants = tuple(
        ParticipantRow(
            id=p.id or 0,
            helix=_helix(p.helix),
            role=_PARTICIPANT_ROLE[p.role],
            locale=p.locale,
            consented=p.consent_at is not None,
            script=progress.get(p.id or 0, none)[0],
            finished=progress.get(p.id or 0, none)[1],
            origin=_origin(p.platform),
            answered=answered.get(p.id or 0, ()),
        )
        for p in session.exec(
            select(Participant)
            .where(Participant.workshop_id == workshop_id)
            .order_by(col(Participant.id))
        )
    )

    assisted = {p.id for p in participants if p.origin is Origin.ASSISTED}
    approved = _approved_at(session, workshop_id)

    def visible(table: Any) -> Any:
        query = select(table).where(table.workshop_id == workshop_id)
        if approved_only:
            query = query.where(col(table.status).in_(_VISIBLE))
        return session.exec(query.order_by(col(table.id)))

    needs = tuple(
        NeedRow(
            id=n.id or 0,
            participant_id=n.participant_id,
            domain=n.domain_code,
            text=n.text,
            hmw=n.hmw,
            importance=n.importance,
            satisfaction=n.satisfaction,
            status=_STATUS[n.status],
            created_at=_created(n.created_at),
            approved_at=approved.get(("need", n.id or 0)),
            origin=Origin.ASSISTED if n.participant_id in assisted else _origin(n.origin),
        )
        for n in visible(Need)
    )
    stakeholders = tuple(
        StakeholderRow(
            id=s.id or 0,
            participant_id=s.participant_id,
            scenario_id=s.scenario_id,
            name=s.name,
            key=s.key,
            helix=_helix(s.helix),
            role=_role(s.role),
            power=s.power,
            interest=s.interest,
            legitimacy=s.legitimacy,
            urgency=s.urgency,
            vulnerable=tuple(_VULNERABLE[v] for v in s.vulnerable),
            status=_STATUS[s.status],
            created_at=_created(s.created_at),
            approved_at=approved.get(("stakeholder", s.id or 0)),
        )
        for s in visible(Stakeholder)
    )
    shown = {s.id for s in stakeholders}
    links = tuple(
        LinkRow(
            id=link.id or 0,
            participant_id=link.participant_id,
            scenario_id=link.scenario_id,
            source_id=link.source_id,
            target_id=link.target_id,
            relation=_RELATION[link.relation],
            weight=link.weight,
            status=_STATUS[link.status],
            created_at=_created(link.created_at),
            approved_at=approved.get(("link", link.id or 0)),
        )
        for link in visible(StakeholderLink)
        # A relation shows only between stakeholders that show (both ends approved).
        if not approved_only or {link.source_id, link.target_id} <= shown
    )
    requirements = tuple(
        RequirementRow(
            id=r.id or 0,
            participant_id=r.participant_id,
            scenario_id=r.scenario_id,
            domain=r.domain_code,
            module=r.module,
            as_a=r.as_a,
            i_want=r.i_want,
            so_that=r.so_that,
            moscow=_moscow(r.moscow),
            acceptance=r.acceptance,
            status=_STATUS[r.status],
            created_at=_created(r.created_at),
            approved_at=approved.get(("requirement", r.id or 0)),
        )
        for r in visible(Requirement)
    )
    return WorkshopSnapshot(
        workshop=header,
        domains=domains,
        scenarios=scenarios,
        participants=participants,
        needs=needs,
        stakeholders=stakeholders,
        links=links,
        requirements=requirements,
        actor_decisions=in_force(session, workshop_id),
    )


#: The tier each kind of contribution is an answer in.
_TIER_OF: tuple[tuple[Any, Tier], ...] = (
    (Need, Tier.MACRO),
    (Stakeholder, Tier.MESO),
    (StakeholderLink, Tier.MESO),
    (Requirement, Tier.MICRO),
)


def _answered(session: Session, workshop_id: int) -> dict[int, tuple[Tier, ...]]:
    """Participant id → the tiers they saved a (not hidden) answer in, in tier order."""
    tiers: dict[int, set[Tier]] = {}
    for table, tier in _TIER_OF:
        ids = session.exec(
            select(table.participant_id)
            .where(
                table.workshop_id == workshop_id,
                col(table.participant_id).is_not(None),
                col(table.status) != Status.HIDDEN.value,
            )
            .distinct()
        ).all()
        for pid in ids:
            tiers.setdefault(int(pid), set()).add(tier)
    order = list(Tier)
    return {pid: tuple(sorted(found, key=order.index)) for pid, found in tiers.items()}


def _approved_at(session: Session, workshop_id: int) -> dict[tuple[str, int], datetime]:
    """``(kind, id)`` → when a moderator last let it show (approved, or unhidden)."""
    rows = session.exec(
        select(
            ModerationAction.item_kind,
            ModerationAction.item_id,
            func.max(ModerationAction.created_at),
        )
        .where(
            ModerationAction.workshop_id == workshop_id,
            col(ModerationAction.action).in_(("approve", "unhide")),
        )
        .group_by(col(ModerationAction.item_kind), col(ModerationAction.item_id))
    ).all()
    return {(kind, int(item)): at for kind, item, at in rows if at is not None}


def _origin(value: str) -> Origin:
    """Imported and assisted rows say so (need origin, participant platform); the rest is chat."""
    if value == Origin.IMPORT.value:
        return Origin.IMPORT
    if value == Origin.ASSISTED.value:
        return Origin.ASSISTED
    return Origin.CHAT
