"""Synthetic, seeded workshop snapshots of any size, for digest tests and benchmarks.

The shape follows what the scripts store: each participant rates two or three
domains, most name stakeholders for one scenario (from a shared vocabulary with
spelling variants and a long tail of unique names), some link them, and many
write one or two requirements. The same ``(participants, seed)`` always gives
the same snapshot.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flows.kinds import TIER_ORDER, HelixGroup, Role, Status
from flows.library import default_domains, scenario_library
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
from storage.keys import stakeholder_key

HELIX = (HelixGroup.GOVERNMENT, HelixGroup.INDUSTRY, HelixGroup.ACADEMIA, HelixGroup.CIVIL_SOCIETY)
ROLES = tuple(StakeholderRole)
RELATIONS = tuple(Relation)
MOSCOW = tuple(Moscow)
VULNERABLE = (
    Vulnerable.OLDER_PEOPLE,
    Vulnerable.DISABLED_PEOPLE,
    Vulnerable.CHILDREN,
    Vulnerable.LOW_INCOME,
    Vulnerable.MIGRANTS,
)
#: Stakeholder names everybody uses, by helix group.
COMMON_STAKEHOLDERS = {
    HelixGroup.GOVERNMENT: (
        "City council",
        "Health department",
        "Transport authority",
        "Social services",
    ),
    HelixGroup.INDUSTRY: ("Bus operator", "Telecom company", "Energy utility", "Water company"),
    HelixGroup.ACADEMIA: ("University hospital", "Urban lab", "Technical university"),
    HelixGroup.CIVIL_SOCIETY: ("Residents' association", "Senior citizens' club", "Food bank"),
}
NEEDS = (
    "The nearest bus stop is too far for people who walk with a stick.",
    "I cannot book a doctor without a smartphone.",
    "Rents have doubled and young families are moving away.",
    "The river floods our street every spring and nobody warns us.",
    "There is nowhere cool to go during heat waves.",
)
MODULES = ("Clinic booking", "Flood alerts", "Bus on demand", "Cool rooms finder", "Heating aid")
START = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def synthetic_snapshot(
    participants: int, seed: int = 7, *, title: str = "Synthetic workshop"
) -> WorkshopSnapshot:
    """Build a snapshot of ``participants`` simulated citizens (seeded, reproducible)."""
    rng = random.Random(seed)
    domains = default_domains()
    library = scenario_library()
    header = WorkshopHeader(
        id=1,
        slug="synthetic",
        title=title,
        timezone="UTC",
        languages=("en", "zh"),
        open_tiers=TIER_ORDER,
    )
    domain_rows = tuple(DomainRow(d.code, d.iso_theme, tuple(d.sdgs)) for d in domains)
    scenarios = tuple(
        ScenarioRow(i, s.code, dict(s.title), tuple(s.domains))
        for i, s in enumerate(library, start=1)
    )
    people: list[ParticipantRow] = []
    needs: list[NeedRow] = []
    stakeholders: list[StakeholderRow] = []
    links: list[LinkRow] = []
    requirements: list[RequirementRow] = []
    approved = Status.APPROVED
    # Popular domains and scenarios come up more often, as in real workshops.
    domain_weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(domains))]
    scenario_weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(library))]

    for pid in range(1, participants + 1):
        helix = HELIX[pid % 4]
        reached = rng.random()
        script = "macro" if reached < 0.15 else "meso" if reached < 0.35 else "micro"
        finished = reached >= 0.55
        at = START + timedelta(seconds=pid * 7)
        locale = "zh" if pid % 3 == 2 else "en"
        people.append(ParticipantRow(pid, helix, Role.CITIZEN, locale, True, script, finished))
        picked = {d.code for d in rng.choices(domains, weights=domain_weights, k=3)}
        for code in sorted(picked):
            text = f"{rng.choice(NEEDS)} ({pid})"
            importance, satisfaction = rng.randint(2, 5), rng.randint(1, 4)
            needs.append(
                NeedRow(
                    len(needs) + 1, pid, code, text, None, importance, satisfaction, approved, at
                )
            )
        if script == "macro":
            continue
        scenario = rng.choices(scenarios, weights=scenario_weights, k=1)[0]
        named: list[int] = []
        for _ in range(rng.randint(2, 3)):
            group = rng.choice(HELIX)
            if rng.random() < 0.1:
                name = f"Neighbourhood group {rng.randint(1, participants)}"
            else:
                name = rng.choice(COMMON_STAKEHOLDERS[group])
            sid = len(stakeholders) + 1
            named.append(sid)
            flags = rng.random()
            # Each common stakeholder has a typical power and interest that people share.
            typical = random.Random(name)
            power = min(5, max(1, typical.randint(1, 5) + rng.choice((-1, 0, 0, 1))))
            interest = min(5, max(1, typical.randint(1, 5) + rng.choice((-1, 0, 0, 1))))
            stakeholders.append(
                StakeholderRow(
                    id=sid,
                    participant_id=pid,
                    scenario_id=scenario.id,
                    name=name,
                    key=stakeholder_key(name),
                    helix=group,
                    role=rng.choice(ROLES),
                    power=power,
                    interest=interest,
                    legitimacy=flags < 0.6,
                    urgency=flags > 0.5,
                    vulnerable=(rng.choice(VULNERABLE),) if flags < 0.2 else (),
                    status=approved,
                    created_at=at,
                )
            )
        if len(named) >= 2:
            source, target = rng.sample(named, 2)
            relation = rng.choice(RELATIONS)
            links.append(
                LinkRow(
                    len(links) + 1, pid, scenario.id, source, target, relation, 1.0, approved, at
                )
            )
        if script != "micro":
            continue
        for _ in range(rng.randint(1, 2)):
            requirements.append(
                RequirementRow(
                    id=len(requirements) + 1,
                    participant_id=pid,
                    scenario_id=scenario.id,
                    domain=rng.choice(scenario.domains),
                    module=rng.choice(MODULES),
                    as_a="a resident over 70",
                    i_want="to book a visit by phone",
                    so_that="I can see a doctor without help",
                    moscow=rng.choices(MOSCOW, weights=(5, 3, 2, 1), k=1)[0],
                    acceptance="Given I phone, when I ask, then I get a time within a week",
                    status=approved,
                    created_at=at,
                )
            )
    return WorkshopSnapshot(
        workshop=header,
        domains=domain_rows,
        scenarios=scenarios,
        participants=tuple(people),
        needs=tuple(needs),
        stakeholders=tuple(stakeholders),
        links=tuple(links),
        requirements=tuple(requirements),
    )


def add_contribution(
    snap: WorkshopSnapshot,
    text: str,
    *,
    domain: str = "mobility",
    created_at: datetime = START,
) -> WorkshopSnapshot:
    """``snap`` plus one participant whose need, stakeholder and requirement all carry ``text``.

    Used to check that hostile or unusual text is escaped in every output.

    Args:
        snap: The snapshot to extend (it is not changed).
        text: The contributed text.
        domain: Domain of the need.
        created_at: When the contributions arrived.
    """
    pid = len(snap.participants) + 1
    scenario = snap.scenarios[0]
    at = created_at
    approved = Status.APPROVED
    person = ParticipantRow(pid, HelixGroup.CIVIL_SOCIETY, Role.CITIZEN, "en", True, "micro", True)
    need = NeedRow(
        id=max((n.id for n in snap.needs), default=0) + 1,
        participant_id=pid,
        domain=domain,
        text=text,
        hmw=None,
        importance=5,
        satisfaction=1,
        status=approved,
        created_at=at,
    )
    stakeholder = StakeholderRow(
        id=max((s.id for s in snap.stakeholders), default=0) + 1,
        participant_id=pid,
        scenario_id=scenario.id,
        name=text[:200],
        key=stakeholder_key(text[:200]),
        helix=HelixGroup.CIVIL_SOCIETY,
        role=StakeholderRole.AFFECTED,
        power=5,
        interest=5,
        legitimacy=True,
        urgency=True,
        vulnerable=(),
        status=approved,
        created_at=at,
    )
    requirement = RequirementRow(
        id=max((r.id for r in snap.requirements), default=0) + 1,
        participant_id=pid,
        scenario_id=scenario.id,
        domain="mobility",
        module=text[:200],
        as_a=text,
        i_want=text,
        so_that=None,
        moscow=Moscow.MUST,
        acceptance=None,
        status=approved,
        created_at=at,
    )
    return replace(
        snap,
        participants=(*snap.participants, person),
        needs=(*snap.needs, need),
        stakeholders=(*snap.stakeholders, stakeholder),
        requirements=(*snap.requirements, requirement),
    )


class SnapshotBuilder:
    """A small hand-made snapshot, row by row, for tests that check numbers by value.

    Domains and scenarios are the shipped library's (scenario ids from 1, in
    library order); participants, needs, stakeholders and links are added
    with the methods below, each returning the new row's id.

    Args:
        title: The workshop's title.
        at: When every contribution arrived.
    """

    def __init__(self, title: str = "Hand-made workshop", *, at: datetime = START) -> None:
        self.header = WorkshopHeader(1, "hand-made", title, "UTC", ("en",), TIER_ORDER)
        self.domains = tuple(
            DomainRow(d.code, d.iso_theme, tuple(d.sdgs)) for d in default_domains()
        )
        self.scenarios = tuple(
            ScenarioRow(i, s.code, dict(s.title), tuple(s.domains))
            for i, s in enumerate(scenario_library(), start=1)
        )
        self.at = at
        self.participants: list[ParticipantRow] = []
        self.needs: list[NeedRow] = []
        self.stakeholders: list[StakeholderRow] = []
        self.links: list[LinkRow] = []
        self.requirements: list[RequirementRow] = []

    def participant(
        self,
        helix: HelixGroup | None = HelixGroup.CIVIL_SOCIETY,
        *,
        script: str = "micro",
        finished: bool = False,
        consented: bool = True,
        locale: str = "en",
    ) -> int:
        """Add a citizen; ``script`` is the tier they are in, ``locale`` their language."""
        pid = len(self.participants) + 1
        row = ParticipantRow(pid, helix, Role.CITIZEN, locale, consented, script, finished)
        self.participants.append(row)
        return pid

    def need(
        self,
        participant: int,
        domain: str,
        importance: int | None,
        satisfaction: int | None,
        text: str = "A need",
    ) -> int:
        """Add a need rated ``importance`` and ``satisfaction`` (1-5, or unrated)."""
        nid = len(self.needs) + 1
        row = NeedRow(
            nid, participant, domain, text, None, importance, satisfaction, Status.APPROVED, self.at
        )
        self.needs.append(row)
        return nid

    def stakeholder(
        self,
        participant: int,
        name: str,
        *,
        scenario: int = 1,
        power: int | None = None,
        interest: int | None = None,
        legitimacy: bool = False,
        urgency: bool = False,
        helix: HelixGroup | None = None,
        role: StakeholderRole | None = None,
    ) -> int:
        """Add a stakeholder as one participant named it (merged by normalised name)."""
        sid = len(self.stakeholders) + 1
        self.stakeholders.append(
            StakeholderRow(
                id=sid,
                participant_id=participant,
                scenario_id=scenario,
                name=name,
                key=stakeholder_key(name),
                helix=helix,
                role=role,
                power=power,
                interest=interest,
                legitimacy=legitimacy,
                urgency=urgency,
                vulnerable=(),
                status=Status.APPROVED,
                created_at=self.at,
            )
        )
        return sid

    def link(
        self,
        participant: int,
        source: int,
        target: int,
        relation: Relation = Relation.COLLABORATES,
        *,
        scenario: int = 1,
    ) -> int:
        """Add a relation between two stakeholder rows (by id)."""
        lid = len(self.links) + 1
        row = LinkRow(
            lid, participant, scenario, source, target, relation, 1.0, Status.APPROVED, self.at
        )
        self.links.append(row)
        return lid

    def requirement(
        self,
        participant: int,
        module: str,
        moscow: Moscow | None,
        *,
        scenario: int = 1,
        domain: str | None = None,
        i_want: str = "something",
        acceptance: str | None = None,
    ) -> int:
        """Add a requirement for ``module`` with a MoSCoW priority (a user story)."""
        rid = len(self.requirements) + 1
        self.requirements.append(
            RequirementRow(
                id=rid,
                participant_id=participant,
                scenario_id=scenario,
                domain=domain,
                module=module,
                as_a="a resident",
                i_want=i_want,
                so_that=None,
                moscow=moscow,
                acceptance=acceptance,
                status=Status.APPROVED,
                created_at=self.at,
            )
        )
        return rid

    def build(self) -> WorkshopSnapshot:
        """The snapshot of everything added so far."""
        return WorkshopSnapshot(
            workshop=self.header,
            domains=self.domains,
            scenarios=self.scenarios,
            participants=tuple(self.participants),
            needs=tuple(self.needs),
            stakeholders=tuple(self.stakeholders),
            links=tuple(self.links),
            requirements=tuple(self.requirements),
        )
