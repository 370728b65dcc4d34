"""The contributions the core asks storage to keep: one typed record per kind.

A script step with ``record: need`` and ``fields: {domain: $item, ...}`` emits a
:class:`NeedRecord`; the loader checks every script's ``fields:`` against the
model of its ``record:`` (see :func:`record_fields`), so a renamed field is a
load error and not a silently missing column. The closed sets the scripts offer
for these records (MoSCoW, relations, stakeholder roles, salience, vulnerable
groups) are defined here, next to the records that carry them.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import ClassVar, TypeVar

from flows.kinds import HelixGroup


class RecordKind(StrEnum):
    """Kinds of data the core asks storage to keep."""

    CONSENT = "consent"
    PROFILE = "profile"
    NEED = "need"
    STAKEHOLDER = "stakeholder"
    LINK = "link"
    REQUIREMENT = "requirement"


class Moscow(StrEnum):
    """MoSCoW priority of a requirement, in priority order."""

    MUST = "must"
    SHOULD = "should"
    COULD = "could"
    WONT = "wont"


class Relation(StrEnum):
    """How one stakeholder relates to another."""

    FUNDS = "funds"
    REGULATES = "regulates"
    SERVES = "serves"
    SHARES_DATA = "shares_data"
    COLLABORATES = "collaborates"
    CONFLICTS = "conflicts"


class StakeholderRole(StrEnum):
    """The part a stakeholder plays in a scenario."""

    BENEFICIARY = "beneficiary"
    PROVIDER = "provider"
    OPERATOR = "operator"
    REGULATOR = "regulator"
    FUNDER = "funder"
    AFFECTED = "affected"


class Salience(StrEnum):
    """Mitchell salience attributes a participant may tick (power is the 1-5 scale)."""

    LEGITIMACY = "legitimacy"
    URGENCY = "urgency"


class Vulnerable(StrEnum):
    """Groups a stakeholder may leave behind."""

    OLDER_PEOPLE = "older_people"
    DISABLED_PEOPLE = "disabled_people"
    LOW_INCOME = "low_income"
    CHILDREN = "children"
    MIGRANTS = "migrants"
    DIGITAL_DIVIDE = "digital_divide"


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """The participant answered the consent question.

    Attributes:
        seq: Per-conversation sequence; storage keeps ``(participant, seq)``
            unique so a replayed turn cannot store a record twice.
        given: Whether consent was given.
    """

    kind: ClassVar[RecordKind] = RecordKind.CONSENT
    seq: int
    given: bool


@dataclass(frozen=True, slots=True)
class ProfileRecord:
    """The participant named their quadruple-helix group."""

    kind: ClassVar[RecordKind] = RecordKind.PROFILE
    seq: int
    helix: HelixGroup | None


@dataclass(frozen=True, slots=True)
class NeedRecord:
    """A need in one domain, rated for importance and satisfaction (1-5)."""

    kind: ClassVar[RecordKind] = RecordKind.NEED
    seq: int
    domain: str
    text: str
    hmw: str | None
    importance: int | None
    satisfaction: int | None


@dataclass(frozen=True, slots=True)
class StakeholderRecord:
    """A stakeholder of a scenario, with power and interest (1-5) and salience."""

    kind: ClassVar[RecordKind] = RecordKind.STAKEHOLDER
    seq: int
    scenario: str
    name: str
    helix: HelixGroup | None
    role: StakeholderRole | None
    power: int | None
    interest: int | None
    salience: tuple[Salience, ...]
    vulnerable: tuple[Vulnerable, ...]


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """A relation between two stakeholders the participant named (by name)."""

    kind: ClassVar[RecordKind] = RecordKind.LINK
    seq: int
    scenario: str
    source: str
    relation: Relation
    target: str


@dataclass(frozen=True, slots=True)
class RequirementRecord:
    """A requirement as a user story, with its MoSCoW priority."""

    kind: ClassVar[RecordKind] = RecordKind.REQUIREMENT
    seq: int
    scenario: str | None
    module: str
    domain: str | None
    as_a: str
    i_want: str
    so_that: str | None
    moscow: Moscow | None
    acceptance: str | None


#: Any record the engine emits.
Record = (
    ConsentRecord | ProfileRecord | NeedRecord | StakeholderRecord | LinkRecord | RequirementRecord
)

_E = TypeVar("_E", bound=StrEnum)


def _text(value: object) -> str:
    if value is None:
        raise ValueError("a required field has no answer")
    return str(value)


def _opt_text(value: object) -> str | None:
    return None if value is None else str(value)


def _opt_int(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _enum(kind: type[_E], value: object) -> _E:
    return kind(str(value))


def _opt_enum(kind: type[_E], value: object) -> _E | None:
    return None if value is None else kind(str(value))


def _enums(kind: type[_E], value: object) -> tuple[_E, ...]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise ValueError(f"expected a list, got {value!r}")
    return tuple(kind(str(v)) for v in value)


_Values = Mapping[str, object]

_BUILDERS: dict[RecordKind, Callable[[int, _Values], Record]] = {
    RecordKind.CONSENT: lambda seq, v: ConsentRecord(seq, bool(v["given"])),
    RecordKind.PROFILE: lambda seq, v: ProfileRecord(seq, _opt_enum(HelixGroup, v["helix"])),
    RecordKind.NEED: lambda seq, v: NeedRecord(
        seq,
        domain=_text(v["domain"]),
        text=_text(v["text"]),
        hmw=_opt_text(v["hmw"]),
        importance=_opt_int(v["importance"]),
        satisfaction=_opt_int(v["satisfaction"]),
    ),
    RecordKind.STAKEHOLDER: lambda seq, v: StakeholderRecord(
        seq,
        scenario=_text(v["scenario"]),
        name=_text(v["name"]),
        helix=_opt_enum(HelixGroup, v["helix"]),
        role=_opt_enum(StakeholderRole, v["role"]),
        power=_opt_int(v["power"]),
        interest=_opt_int(v["interest"]),
        salience=_enums(Salience, v["salience"]),
        vulnerable=_enums(Vulnerable, v["vulnerable"]),
    ),
    RecordKind.LINK: lambda seq, v: LinkRecord(
        seq,
        scenario=_text(v["scenario"]),
        source=_text(v["source"]),
        relation=_enum(Relation, v["relation"]),
        target=_text(v["target"]),
    ),
    RecordKind.REQUIREMENT: lambda seq, v: RequirementRecord(
        seq,
        scenario=_opt_text(v["scenario"]),
        module=_text(v["module"]),
        domain=_opt_text(v["domain"]),
        as_a=_text(v["as_a"]),
        i_want=_text(v["i_want"]),
        so_that=_opt_text(v["so_that"]),
        moscow=_opt_enum(Moscow, v["moscow"]),
        acceptance=_opt_text(v["acceptance"]),
    ),
}

_TYPES: dict[RecordKind, type] = {
    RecordKind.CONSENT: ConsentRecord,
    RecordKind.PROFILE: ProfileRecord,
    RecordKind.NEED: NeedRecord,
    RecordKind.STAKEHOLDER: StakeholderRecord,
    RecordKind.LINK: LinkRecord,
    RecordKind.REQUIREMENT: RequirementRecord,
}
_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields(model) if f.name != "seq") for kind, model in _TYPES.items()
}


@dataclass(frozen=True)
class FieldType:
    """What a record field holds, as the loader checks it against the step that answers it.

    Attributes:
        whole_number: The field is a 1-5 style scale (answered by a ``scale`` step).
        closed_set: The values the field accepts, when it is an enum (or a list of one).
        required: The record cannot be built without it (so its step may not be skipped).
    """

    whole_number: bool
    closed_set: frozenset[str] | None
    required: bool = False


def _field_type(hint: object, *, optional: bool = False) -> FieldType:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        if len(inner) == 1:
            return _field_type(inner[0], optional=True)
        return FieldType(False, None)
    if typing.get_origin(hint) is tuple and args:
        return _field_type(args[0], optional=True)  # a list may be empty
    if isinstance(hint, type) and issubclass(hint, StrEnum):
        return FieldType(False, frozenset(m.value for m in hint), not optional)
    return FieldType(hint is int, None, not optional and hint is str)


_FIELD_TYPES: dict[tuple[RecordKind, str], FieldType] = {
    (kind, name): _field_type(hint)
    for kind, model in _TYPES.items()
    for name, hint in typing.get_type_hints(model).items()
    if name in _FIELDS[kind]
}


def field_type(kind: RecordKind, name: str) -> FieldType:
    """The type of field ``name`` of a ``kind`` record (see :class:`FieldType`).

    Raises:
        KeyError: The record has no such field.
    """
    return _FIELD_TYPES[(kind, name)]


def record_fields(kind: RecordKind) -> tuple[str, ...]:
    """The fields a script's ``fields:`` must map for a ``record:`` of this kind, in model order."""
    return _FIELDS[kind]


def build_record(kind: RecordKind, seq: int, values: _Values) -> Record:
    """Build the typed record of ``kind`` from a step's collected answers.

    Args:
        kind: The step's ``record:``.
        seq: The conversation's next sequence number.
        values: Field name → answer, exactly the fields of :func:`record_fields`
            (the loader guarantees this for the shipped and checked scripts).

    Raises:
        KeyError: A field of the model has no value.
        ValueError: A value is not of the field's type or closed set.
    """
    return _BUILDERS[kind](seq, values)
