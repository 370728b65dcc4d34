"""One consistent, typed read of a workshop: what the map, digests and exports work from.

The types are frozen (a digest cannot change what it reads) and slotted (a
100,000-participant snapshot holds about a million rows). Storage loads them
(``storage/snapshot.py``); ``bot/testing/snapshots.py`` builds synthetic ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flows.kinds import HelixGroup, Origin, Role, Status, Tier
from flows.records import Moscow, Relation, StakeholderRole, Vulnerable


@dataclass(frozen=True, slots=True)
class WorkshopHeader:
    """The workshop a snapshot was read from."""

    id: int
    slug: str
    title: str
    timezone: str
    languages: tuple[str, ...]
    open_tiers: tuple[Tier, ...]


@dataclass(frozen=True, slots=True)
class DomainRow:
    """An urban domain (ISO 37120 theme) and the SDG targets it serves."""

    code: str
    iso_theme: str
    sdgs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """A scenario of the workshop, titled per locale."""

    id: int
    code: str
    title: dict[str, str]
    domains: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    """A participant: group, role, language, consent and how far they got.

    Attributes:
        script: The script they are in (``""`` before they started).
        finished: Whether they finished every tier.
        answered: The tiers in which they saved at least one answer that is not
            hidden (pending ones too); ``None`` when not loaded (synthetic
            snapshots), and the snapshot's contributions tell instead.
    """

    id: int
    helix: HelixGroup | None
    role: Role
    locale: str
    consented: bool
    script: str
    finished: bool
    origin: Origin = Origin.CHAT
    answered: tuple[Tier, ...] | None = None


@dataclass(frozen=True, slots=True)
class NeedRow:
    """A need as stored (scales 1-5)."""

    id: int
    participant_id: int | None
    domain: str
    text: str
    hmw: str | None
    importance: int | None
    satisfaction: int | None
    status: Status
    created_at: datetime
    origin: Origin = Origin.CHAT
    #: When a moderator last approved it (``None``: shown since it was saved).
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StakeholderRow:
    """A stakeholder as one participant named it; ``key`` merges spellings."""

    id: int
    participant_id: int | None
    scenario_id: int
    name: str
    key: str
    helix: HelixGroup | None
    role: StakeholderRole | None
    power: int | None
    interest: int | None
    legitimacy: bool
    urgency: bool
    vulnerable: tuple[Vulnerable, ...]
    status: Status
    created_at: datetime
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A relation between two stakeholder rows."""

    id: int
    participant_id: int | None
    scenario_id: int
    source_id: int
    target_id: int
    relation: Relation
    weight: float
    status: Status
    created_at: datetime
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class RequirementRow:
    """A requirement as a user story."""

    id: int
    participant_id: int | None
    scenario_id: int | None
    domain: str | None
    module: str
    as_a: str
    i_want: str
    so_that: str | None
    moscow: Moscow | None
    acceptance: str | None
    status: Status
    created_at: datetime
    approved_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ActorDecisionRow:
    """A moderator's standing decision about actors (stakeholders) or modules.

    Attributes:
        kind: ``stakeholder`` or ``module``.
        action: ``merge`` (``subject`` joins the actor of ``value``), ``rename`` (the
            actor of ``subject`` is shown as ``value``) or ``apart`` (``subject`` and
            ``value`` were split and are not suggested again).
        subject: A folded name (see ``flows.actor_names``).
        value: A folded name (merge, apart) or the name to show (rename).
    """

    id: int
    kind: str
    action: str
    subject: str
    value: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class WorkshopSnapshot:
    """Everything of one workshop a digest or an export reads, rows in id order."""

    workshop: WorkshopHeader
    domains: tuple[DomainRow, ...] = ()
    scenarios: tuple[ScenarioRow, ...] = ()
    participants: tuple[ParticipantRow, ...] = ()
    needs: tuple[NeedRow, ...] = ()
    stakeholders: tuple[StakeholderRow, ...] = ()
    links: tuple[LinkRow, ...] = ()
    requirements: tuple[RequirementRow, ...] = ()
    #: Moderators' merges, renames and splits of actors and modules still in force.
    actor_decisions: tuple[ActorDecisionRow, ...] = ()
