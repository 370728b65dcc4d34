"""What is stored about one participant: show it (``my data``) and erase it (``forget me``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from storage.assist_sessions import forget_resident
from storage.assistance import AssistanceInfo, assistance_of, forget_assistance
from storage.models import (
    Need,
    Participant,
    Requirement,
    Scenario,
    Stakeholder,
    StakeholderLink,
)


@dataclass
class ParticipantData:
    """Everything stored about one participant, as plain values."""

    pseudonym: str
    role: str
    helix: str | None
    locale: str
    consent: bool
    assisted: AssistanceInfo | None = None
    needs: list[dict[str, Any]] = field(default_factory=list)
    stakeholders: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)
    requirements: list[dict[str, Any]] = field(default_factory=list)


def participant_data(session: Session, participant_id: int) -> ParticipantData:
    """Collect every stored row that belongs to ``participant_id``.

    Raises:
        KeyError: No such participant.
    """
    person = session.get(Participant, participant_id)
    if person is None:
        raise KeyError(participant_id)
    titles = {
        s.id: s.title
        for s in session.exec(select(Scenario).where(Scenario.workshop_id == person.workshop_id))
    }
    data = ParticipantData(
        pseudonym=person.pseudonym,
        role=person.role,
        helix=person.helix,
        locale=person.locale,
        consent=person.consent_at is not None,
        assisted=assistance_of(session, person.workshop_id, person.pseudonym),
    )
    owned = col(Need.participant_id) == participant_id
    for need in session.exec(select(Need).where(owned).order_by(col(Need.seq))):
        data.needs.append(
            {
                "domain": need.domain_code,
                "text": need.text,
                "hmw": need.hmw,
                "importance": need.importance,
                "satisfaction": need.satisfaction,
                "status": need.status,
            }
        )
    names: dict[int, str] = {}
    for sh in session.exec(
        select(Stakeholder)
        .where(Stakeholder.participant_id == participant_id)
        .order_by(col(Stakeholder.seq))
    ):
        names[sh.id or 0] = sh.name
        data.stakeholders.append(
            {
                "scenario": titles.get(sh.scenario_id, {}),
                "name": sh.name,
                "helix": sh.helix,
                "role": sh.role,
                "power": sh.power,
                "interest": sh.interest,
                "legitimacy": sh.legitimacy,
                "urgency": sh.urgency,
                "vulnerable": list(sh.vulnerable),
            }
        )
    for link in session.exec(
        select(StakeholderLink)
        .where(StakeholderLink.participant_id == participant_id)
        .order_by(col(StakeholderLink.seq))
    ):
        data.links.append(
            {
                "source": names.get(link.source_id, "?"),
                "relation": link.relation,
                "target": names.get(link.target_id, "?"),
            }
        )
    for req in session.exec(
        select(Requirement)
        .where(Requirement.participant_id == participant_id)
        .order_by(col(Requirement.seq))
    ):
        data.requirements.append(
            {
                "scenario": titles.get(req.scenario_id or 0, {}),
                "domain": req.domain_code,
                "module": req.module,
                "as_a": req.as_a,
                "i_want": req.i_want,
                "so_that": req.so_that,
                "moscow": req.moscow,
                "acceptance": req.acceptance,
            }
        )
    return data


def erase_participant(session: Session, participant_id: int, *, anonymise: bool = False) -> None:
    """Delete (or anonymise) everything ``participant_id`` contributed.

    Anonymising keeps the contributions but cuts them from the participant; either
    way the participant's profile is cleared. Links that point at the participant's
    stakeholders are removed even when another participant drew them.
    """
    person = session.get(Participant, participant_id)
    if person is not None:  # who helped, and the label naming the resident, go too
        forget_assistance(session, person.workshop_id, person.pseudonym)
        forget_resident(session, person.workshop_id, person.pseudonym)
    if anonymise:
        for table in (Need, Stakeholder, StakeholderLink, Requirement):
            session.execute(
                update(table)
                .where(col(table.participant_id) == participant_id)
                .values(participant_id=None)
            )
        return
    mine = select(Stakeholder.id).where(Stakeholder.participant_id == participant_id)
    session.execute(
        delete(StakeholderLink).where(
            or_(
                col(StakeholderLink.participant_id) == participant_id,
                col(StakeholderLink.source_id).in_(mine),
                col(StakeholderLink.target_id).in_(mine),
            )
        )
    )
    for table in (Stakeholder, Need, Requirement):
        session.execute(delete(table).where(col(table.participant_id) == participant_id))


def contribution_counts(session: Session, participant_id: int) -> dict[str, int]:
    """How many needs, stakeholders, links and requirements a participant has stored."""
    counts: dict[str, int] = {}
    for name, table in (
        ("needs", Need),
        ("stakeholders", Stakeholder),
        ("links", StakeholderLink),
        ("requirements", Requirement),
    ):
        counts[name] = len(
            session.exec(select(table.id).where(col(table.participant_id) == participant_id)).all()
        )
    return counts
