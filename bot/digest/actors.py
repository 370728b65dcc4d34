"""One actor per stakeholder of the workshop, whatever the scenario, spelling or merge.

Stakeholder rows are folded by name (``StakeholderRow.key``); moderators' decisions in
the snapshot (``actor_decisions``) then merge folded names into one actor, rename it,
or keep two apart. Everything that counts or draws stakeholders (metrics, graph,
exports, pictures) reads actors from :func:`resolve`, so a merge shows everywhere at
once. Requirement modules (micro) are resolved the same way.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import fmean

from flows.actor_names import actor_key, module_key
from flows.kinds import HelixGroup
from flows.snapshot import ActorDecisionRow, StakeholderRow, WorkshopSnapshot

STAKEHOLDER, MODULE = "stakeholder", "module"
MERGE, RENAME, APART = "merge", "rename", "apart"


@dataclass(frozen=True)
class ActorPart:
    """What participants said about one actor in one scenario.

    Attributes:
        scenario: The scenario's code.
        mentions: How many stakeholder rows name the actor there.
        roles: The roles given (beneficiary, provider…), sorted.
        power: Mean power (1-5), ``None`` when nobody rated it.
        interest: Mean interest (1-5).
        legitimacy: How many mentions ticked legitimacy.
        urgency: How many mentions ticked urgency.
    """

    scenario: str
    mentions: int
    roles: tuple[str, ...]
    power: float | None
    interest: float | None
    legitimacy: int
    urgency: int


@dataclass(frozen=True)
class Actor:
    """A stakeholder of the workshop: every row naming it, in every scenario.

    Attributes:
        id: Stable id: the folded name the others were merged into.
        name: The name shown (a moderator's rename, else the most used spelling).
        keys: Every folded name that belongs to the actor.
        names: Every spelling participants typed, most used first.
        mentions: Rows naming the actor.
        helix: The group most rows gave it.
        parts: Per-scenario detail, most mentioned first.
        rows: Ids of the stakeholder rows.
    """

    id: str
    name: str
    keys: tuple[str, ...]
    names: tuple[str, ...]
    mentions: int
    helix: HelixGroup | None
    parts: tuple[ActorPart, ...]
    rows: tuple[int, ...] = ()

    @property
    def scenarios(self) -> tuple[str, ...]:
        """The scenarios it is named in, most mentioned first."""
        return tuple(p.scenario for p in self.parts)


@dataclass(frozen=True)
class Module:
    """A requirement module (micro), merged across spellings and moderators' merges."""

    id: str
    name: str
    keys: tuple[str, ...]
    names: tuple[str, ...]
    requirements: int


@dataclass(frozen=True)
class ActorView:
    """The actors and modules of one snapshot, and how rows map onto them."""

    actors: tuple[Actor, ...]
    modules: tuple[Module, ...]
    actor_of_row: dict[int, str] = field(default_factory=dict)
    module_of_key: dict[str, str] = field(default_factory=dict)
    #: Folded-name pairs moderators split, per kind (never suggested again).
    apart: frozenset[tuple[str, str, str]] = frozenset()
    #: Module id → shown name.
    module_names: dict[str, str] = field(default_factory=dict)

    def actor(self, actor_id: str) -> Actor | None:
        """The actor with this id."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def find_actor(self, name: str) -> Actor | None:
        """The actor a typed name means: one of its folded names, or its shown name."""
        key = actor_key(name)
        for actor in self.actors:
            if key in actor.keys or actor_key(actor.name) == key:
                return actor
        return None

    def find_module(self, name: str) -> Module | None:
        """The module a typed name means."""
        key = module_key(name)
        for module in self.modules:
            if key in module.keys or module_key(module.name) == key:
                return module
        return None

    def module_name(self, name: str) -> str:
        """The shown name of the module a requirement's ``module`` belongs to."""
        module_id = self.module_of_key.get(module_key(name))
        shown = self.module_names.get(module_id or "")
        return shown if shown is not None else " ".join(name.split())

    def kept_apart(self, kind: str, first: Iterable[str], second: Iterable[str]) -> bool:
        """Whether a moderator split any folded name of ``first`` from one of ``second``."""
        others = tuple(second)
        return any(
            (kind, a, b) in self.apart or (kind, b, a) in self.apart for a in first for b in others
        )


class _Union:
    """Folded names joined by merges; the merge target's root is the actor's id."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def root(self, key: str) -> str:
        path = []
        while self.parent.get(key, key) != key:
            path.append(key)
            key = self.parent[key]
        for step in path:
            self.parent[step] = key
        return key

    def join(self, subject: str, target: str) -> None:
        a, b = self.root(subject), self.root(target)
        if a != b:
            self.parent[a] = b


def _decisions(
    rows: Iterable[ActorDecisionRow], kind: str
) -> tuple[_Union, list[tuple[str, str]], set[tuple[str, str, str]]]:
    union, renames, apart = _Union(), [], set()
    for d in rows:
        if d.kind != kind:
            continue
        if d.action == MERGE:
            union.join(d.subject, d.value)
        elif d.action == RENAME:
            renames.append((d.subject, d.value))
        elif d.action == APART:
            apart.add((kind, d.subject, d.value))
    return union, renames, apart


def _most_used(names: list[str]) -> tuple[str, ...]:
    """Spellings, most used first (first seen wins ties)."""
    counts = Counter(names)
    first = {n: i for i, n in reversed(list(enumerate(names)))}
    return tuple(sorted(counts, key=lambda n: (-counts[n], first[n])))


def resolve(snap: WorkshopSnapshot) -> ActorView:
    """The actors and modules of ``snap``, with the moderators' decisions applied."""
    code_of = {s.id: s.code for s in snap.scenarios}
    union, renames, apart = _decisions(snap.actor_decisions, STAKEHOLDER)
    groups: dict[str, list[StakeholderRow]] = defaultdict(list)
    for row in snap.stakeholders:
        groups[union.root(row.key)].append(row)
    shown = {union.root(subject): name for subject, name in renames}
    actors = []
    of_row: dict[int, str] = {}
    for actor_id, rows in groups.items():
        for row in rows:
            of_row[row.id] = actor_id
        names = _most_used([r.name for r in rows])
        # A merge keeps the target's name ("A joins B" shows B), in its most used spelling.
        own = _most_used([r.name for r in rows if r.key == actor_id]) or names
        helix = Counter(r.helix for r in rows if r.helix).most_common(1)
        actors.append(
            Actor(
                id=actor_id,
                name=shown.get(actor_id, own[0]),
                keys=tuple(dict.fromkeys(r.key for r in rows)),
                names=names,
                mentions=len(rows),
                helix=helix[0][0] if helix else None,
                parts=_parts(rows, code_of),
                rows=tuple(r.id for r in rows),
            )
        )
    actors.sort(key=lambda a: (-a.mentions, a.name.casefold(), a.id))
    modules, module_of_key, module_apart = _modules(snap)
    return ActorView(
        actors=tuple(actors),
        modules=modules,
        actor_of_row=of_row,
        module_of_key=module_of_key,
        apart=frozenset(apart | module_apart),
        module_names={m.id: m.name for m in modules},
    )


def _parts(rows: list[StakeholderRow], code_of: dict[int, str]) -> tuple[ActorPart, ...]:
    by_scenario: dict[str, list[StakeholderRow]] = defaultdict(list)
    for row in rows:
        by_scenario[code_of.get(row.scenario_id, "?")].append(row)
    parts = []
    for scenario, mine in by_scenario.items():
        power = [r.power for r in mine if r.power is not None]
        interest = [r.interest for r in mine if r.interest is not None]
        parts.append(
            ActorPart(
                scenario=scenario,
                mentions=len(mine),
                roles=tuple(sorted({r.role.value for r in mine if r.role})),
                power=fmean(power) if power else None,
                interest=fmean(interest) if interest else None,
                legitimacy=sum(r.legitimacy for r in mine),
                urgency=sum(r.urgency for r in mine),
            )
        )
    parts.sort(key=lambda p: (-p.mentions, p.scenario))
    return tuple(parts)


def _modules(
    snap: WorkshopSnapshot,
) -> tuple[tuple[Module, ...], dict[str, str], set[tuple[str, str, str]]]:
    union, renames, apart = _decisions(snap.actor_decisions, MODULE)
    groups: dict[str, list[str]] = defaultdict(list)
    keys_of: dict[str, list[str]] = defaultdict(list)
    own: dict[str, list[str]] = defaultdict(list)
    for r in snap.requirements:
        key = module_key(r.module)
        root = union.root(key)
        groups[root].append(" ".join(r.module.split()))
        keys_of[root].append(key)
        if key == root:
            own[root].append(" ".join(r.module.split()))
    shown = {union.root(subject): name for subject, name in renames}
    modules = []
    of_key: dict[str, str] = {}
    for module_id, names in groups.items():
        keys = tuple(dict.fromkeys(keys_of[module_id]))
        for key in keys:
            of_key[key] = module_id
        spellings = _most_used(names)
        name = (_most_used(own[module_id]) or spellings)[0]  # a merge keeps the target's name
        modules.append(Module(module_id, shown.get(module_id, name), keys, spellings, len(names)))
    modules.sort(key=lambda m: (-m.requirements, m.name.casefold(), m.id))
    return tuple(modules), of_key, apart
