"""Workshop queries: create, find, list, open and close tiers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, func, select

from flows.kinds import TIER_ORDER, Tier
from flows.library import with_library_texts
from storage.clock import utcnow
from storage.models import Participant, Scenario, Workshop


@dataclass(frozen=True)
class WorkshopInfo:
    """A workshop as the rest of the app sees it."""

    id: int
    slug: str
    title: str
    timezone: str
    languages: tuple[str, ...]
    open_tiers: frozenset[str]
    moderation: str
    settings: dict[str, Any]


@dataclass(frozen=True)
class ScenarioInfo:
    """A scenario offered by a workshop."""

    id: int
    code: str
    title: dict[str, str]
    description: dict[str, str]
    domains: tuple[str, ...]


@dataclass(frozen=True)
class ScenarioSeed:
    """What is needed to attach a scenario to a workshop."""

    code: str
    title: dict[str, str]
    description: dict[str, str]
    domains: tuple[str, ...]


class WorkshopExists(Exception):
    """A workshop with that slug already exists."""


def info(row: Workshop) -> WorkshopInfo:
    """Convert a row to :class:`WorkshopInfo`."""
    assert row.id is not None
    return WorkshopInfo(
        id=row.id,
        slug=row.slug,
        title=row.title,
        timezone=row.timezone,
        languages=tuple(row.languages),
        open_tiers=frozenset(row.open_tiers),
        moderation=row.moderation,
        settings=dict(row.settings),
    )


def create_workshop(
    session: Session,
    slug: str,
    title: str,
    *,
    timezone: str = "UTC",
    languages: Iterable[str] = ("en", "zh"),
    open_tiers: Iterable[str] = TIER_ORDER,
    moderation: str = "post",
    scenarios: Iterable[ScenarioSeed] = (),
    now: datetime | None = None,
) -> WorkshopInfo:
    """Create a workshop with its scenarios.

    Raises:
        WorkshopExists: The slug is taken.
    """
    if session.exec(select(Workshop).where(Workshop.slug == slug)).first() is not None:
        raise WorkshopExists(slug)
    row = Workshop(
        slug=slug,
        title=title,
        timezone=timezone,
        languages=list(languages),
        open_tiers=[t for t in TIER_ORDER if t in set(open_tiers)],
        moderation=moderation,
        created_at=now or utcnow(),
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    for seed in scenarios:
        session.add(
            Scenario(
                workshop_id=row.id,
                code=seed.code,
                title=dict(seed.title),
                description=dict(seed.description),
                domains=list(seed.domains),
            )
        )
    session.flush()
    return info(row)


def find_workshop(session: Session, slug: str) -> WorkshopInfo | None:
    """The workshop with ``slug``, if any."""
    row = session.exec(select(Workshop).where(Workshop.slug == slug)).first()
    return None if row is None else info(row)


def list_workshops(session: Session) -> list[tuple[WorkshopInfo, int]]:
    """All workshops with their participant counts, oldest first."""
    counts = dict(
        session.exec(
            select(Participant.workshop_id, func.count(col(Participant.id))).group_by(
                col(Participant.workshop_id)
            )
        ).all()
    )
    rows = session.exec(select(Workshop).order_by(col(Workshop.id))).all()
    return [(info(row), int(counts.get(row.id or 0, 0))) for row in rows]


def set_tier(session: Session, slug: str, tier: str, is_open: bool) -> WorkshopInfo:
    """Open or close one tier (named in any case: ``Meso`` is ``meso``).

    Raises:
        KeyError: No such workshop.
        ValueError: No such tier.
    """
    named = Tier.parse(tier)
    if named is None:
        raise ValueError(f"unknown tier {tier!r}; expected one of {', '.join(TIER_ORDER)}")
    tier = named.value
    row = session.exec(select(Workshop).where(Workshop.slug == slug)).first()
    if row is None:
        raise KeyError(slug)
    tiers = set(row.open_tiers)
    if is_open:
        tiers.add(tier)
    else:
        tiers.discard(tier)
    row.open_tiers = [t for t in TIER_ORDER if t in tiers]
    session.add(row)
    session.flush()
    return info(row)


def scenarios_of(session: Session, workshop_id: int) -> list[ScenarioInfo]:
    """The scenarios a workshop offers, in the order they were attached."""
    rows = session.exec(
        select(Scenario).where(Scenario.workshop_id == workshop_id).order_by(col(Scenario.id))
    ).all()
    return [
        ScenarioInfo(
            id=r.id or 0,
            code=r.code,
            title=with_library_texts(r.code, r.title),
            description=with_library_texts(r.code, r.description, "description"),
            domains=tuple(r.domains),
        )
        for r in rows
    ]


def update_settings(session: Session, workshop_id: int, **changes: Any) -> WorkshopInfo:
    """Merge ``changes`` into a workshop's settings (moderation policy, digest options…).

    ``moderation`` is a column of its own and is set directly.

    Raises:
        KeyError: No such workshop.
    """
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise KeyError(workshop_id)
    if "moderation" in changes:
        row.moderation = str(changes.pop("moderation"))
    settings = dict(row.settings)
    settings.update(changes)
    row.settings = settings
    session.add(row)
    session.flush()
    return info(row)


def add_scenario(session: Session, workshop_id: int, seed: ScenarioSeed) -> bool:
    """Attach a scenario; ``False`` if the workshop already has it."""
    exists = session.exec(
        select(Scenario).where(Scenario.workshop_id == workshop_id, Scenario.code == seed.code)
    ).first()
    if exists is not None:
        return False
    session.add(
        Scenario(
            workshop_id=workshop_id,
            code=seed.code,
            title=dict(seed.title),
            description=dict(seed.description),
            domains=list(seed.domains),
        )
    )
    return True


def workshop_by_id(session: Session, workshop_id: int) -> WorkshopInfo | None:
    """The workshop with primary key ``workshop_id``, if any."""
    row = session.get(Workshop, workshop_id)
    return None if row is None else info(row)


def set_locale_settings(
    session: Session,
    workshop_id: int,
    *,
    timezone: str | None = None,
    languages: Iterable[str] | None = None,
) -> WorkshopInfo:
    """Change a workshop's timezone and/or offered languages (validated by the caller).

    Raises:
        KeyError: No such workshop.
    """
    row = session.get(Workshop, workshop_id)
    if row is None:
        raise KeyError(workshop_id)
    if timezone is not None:
        row.timezone = timezone
    if languages is not None:
        row.languages = list(languages)
    session.add(row)
    session.flush()
    return info(row)
