"""What the engine needs to know about the workshop, given by the caller each turn."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flows.kinds import TIER_ORDER
from flows.messages import Option


@dataclass(frozen=True)
class WorkshopContext:
    """The workshop-dependent parts of a conversation.

    Attributes:
        domains: The macro domains on offer (value = domain code).
        scenarios: The scenarios on offer in the meso tier (value = scenario code).
        open_tiers: Tiers a facilitator has opened.
        synonyms: Extra words per option value (domain synonyms, for example).
        scenario_domains: The domain codes each scenario touches (by scenario code),
            so meso offers the scenarios of the participant's chosen domains first.
        actors: Stakeholders already named in the workshop, most named first (value and
            label: the name), offered where a participant names one (``flows.actor_step``).
    """

    domains: Sequence[Option]
    scenarios: Sequence[Option]
    open_tiers: frozenset[str] = frozenset(TIER_ORDER)
    synonyms: dict[str, Sequence[str]] = field(default_factory=dict)
    scenario_domains: Mapping[str, Sequence[str]] = field(default_factory=dict)
    actors: Sequence[Option] = ()
