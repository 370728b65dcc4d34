"""SQLModel tables. Validation happens in ``flows/`` before rows are built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _ts(nullable: bool = False) -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), nullable=nullable)


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: default.copy(), sa_type=JSON, nullable=False)


def _text(nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=Text, nullable=True)
    return Field(sa_type=Text, nullable=False)


class Workshop(SQLModel, table=True):
    """A city-needs workshop."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=64)
    title: str = Field(max_length=200)
    timezone: str = Field(default="UTC", max_length=64)
    languages: list[str] = _json(["en", "zh"])
    open_tiers: list[str] = _json(["macro", "meso", "micro"])
    moderation: str = Field(default="post", max_length=8)
    settings: dict[str, Any] = _json({})
    created_at: datetime | None = _ts()


class Participant(SQLModel, table=True):
    """A pseudonymous participant of one workshop."""

    __table_args__ = (UniqueConstraint("workshop_id", "pseudonym"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    pseudonym: str = Field(max_length=64)
    platform: str = Field(default="console", max_length=16)
    role: str = Field(default="citizen", max_length=16)
    helix: str | None = Field(default=None, max_length=32)
    locale: str = Field(default="en", max_length=16)
    accessibility: dict[str, Any] = _json({})
    reminders: bool = Field(default=True)
    address: str | None = Field(default=None, max_length=200)
    consent_at: datetime | None = _ts(nullable=True)
    last_seen_at: datetime | None = _ts(nullable=True)
    created_at: datetime | None = _ts()


class Conversation(SQLModel, table=True):
    """Where a participant is in the scripts; ``version`` guards concurrent turns."""

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", unique=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    script: str = Field(default="", max_length=32)
    step: str = Field(default="", max_length=64)
    state: dict[str, Any] = _json({})
    version: int = Field(default=0)
    finished: bool = Field(default=False)
    updated_at: datetime | None = _ts()
    #: The tier the participant waits for a facilitator to open (``NULL``: not waiting).
    waiting_tier: str | None = Field(default=None, max_length=16, index=True)
    #: How many times the participant began to wait; the notice "the tier is open" is
    #: keyed by it, so each wait gets one notice however often the tier is toggled.
    wait_no: int = Field(default=0)


class ProcessedDelivery(SQLModel, table=True):
    """A platform delivery already handled; the unique key dedupes retries."""

    __table_args__ = (UniqueConstraint("platform", "delivery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    delivery_id: str = Field(max_length=200)
    created_at: datetime | None = _ts()


class Domain(SQLModel, table=True):
    """A macro domain (seeded by migration from the shipped list)."""

    code: str = Field(primary_key=True, max_length=32)
    iso_theme: str = Field(max_length=200)
    sdgs: list[str] = _json([])


class Scenario(SQLModel, table=True):
    """A scenario a workshop offers in the meso tier."""

    __table_args__ = (UniqueConstraint("workshop_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    code: str = Field(max_length=64)
    title: dict[str, str] = _json({})
    description: dict[str, str] = _json({})
    domains: list[str] = _json([])


#: Contribution ids are shown to staff and kept in audit rows: SQLite must never hand
#: out an id again after ``forget me`` deleted the newest rows (PostgreSQL never does).
_NEVER_REUSE_IDS: dict[str, Any] = {"sqlite_autoincrement": True}


class _Contribution(SQLModel):
    """Columns every participant contribution has."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    seq: int = Field(default=0)
    status: str = Field(default="approved", max_length=16)
    created_at: datetime | None = _ts()


class Need(_Contribution, table=True):
    """A macro-tier need."""

    __table_args__ = (
        UniqueConstraint("participant_id", "seq", name="uq_need_participant_seq"),
        _NEVER_REUSE_IDS,
    )

    domain_code: str = Field(foreign_key="domain.code", max_length=32, index=True)
    text: str = _text()
    hmw: str | None = _text(nullable=True)
    importance: int | None = None
    satisfaction: int | None = None
    #: ``chat`` for needs given in a conversation, ``import`` for needs from a file.
    origin: str = Field(default="chat", max_length=16, sa_column_kwargs={"server_default": "chat"})


class Stakeholder(_Contribution, table=True):
    """A stakeholder named by a participant for a scenario."""

    __table_args__ = (
        UniqueConstraint("participant_id", "seq", name="uq_stakeholder_participant_seq"),
        Index("ix_stakeholder_scenario_key", "scenario_id", "key"),
        _NEVER_REUSE_IDS,
    )

    scenario_id: int = Field(foreign_key="scenario.id")
    name: str = Field(max_length=200)
    key: str = Field(max_length=200)
    helix: str | None = Field(default=None, max_length=32)
    role: str | None = Field(default=None, max_length=32)
    power: int | None = None
    interest: int | None = None
    legitimacy: bool = False
    urgency: bool = False
    vulnerable: list[str] = _json([])


class StakeholderLink(_Contribution, table=True):
    """A relation between two stakeholders within a scenario."""

    __table_args__ = (
        UniqueConstraint("participant_id", "seq", name="uq_link_participant_seq"),
        _NEVER_REUSE_IDS,
    )

    scenario_id: int = Field(foreign_key="scenario.id")
    source_id: int = Field(foreign_key="stakeholder.id")
    target_id: int = Field(foreign_key="stakeholder.id")
    relation: str = Field(max_length=32)
    weight: float = 1.0


class Requirement(_Contribution, table=True):
    """A micro-tier functional requirement as a user story."""

    __table_args__ = (
        UniqueConstraint("participant_id", "seq", name="uq_requirement_participant_seq"),
        _NEVER_REUSE_IDS,
    )

    scenario_id: int | None = Field(default=None, foreign_key="scenario.id")
    domain_code: str | None = Field(default=None, foreign_key="domain.code", max_length=32)
    module: str = Field(max_length=200)
    as_a: str = _text()
    i_want: str = _text()
    so_that: str | None = _text(nullable=True)
    moscow: str | None = Field(default=None, max_length=8)
    acceptance: str | None = _text(nullable=True)


class ModerationAction(SQLModel, table=True):
    """A moderator's decision on one contribution."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    moderator_id: int | None = Field(default=None, foreign_key="participant.id")
    item_kind: str = Field(max_length=16)
    item_id: int
    action: str = Field(max_length=16)
    reason: str | None = _text(nullable=True)
    created_at: datetime | None = _ts()


class Digest(SQLModel, table=True):
    """A digest period; the unique (workshop, period) row is the exactly-once claim."""

    __table_args__ = (UniqueConstraint("workshop_id", "period"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    period: str = Field(max_length=32)
    status: str = Field(default="draft", max_length=16)
    body: dict[str, Any] = _json({})
    platform_message_id: str | None = Field(default=None, max_length=200)
    claimed_by: str | None = Field(default=None, max_length=100)
    approved_by: str | None = Field(default=None, max_length=100)
    created_at: datetime | None = _ts()
    approved_at: datetime | None = _ts(nullable=True)
    posted_at: datetime | None = _ts(nullable=True)


class AuditLog(SQLModel, table=True):
    """Who did what, when."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int | None = Field(default=None, foreign_key="workshop.id", index=True)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=64)
    detail: dict[str, Any] = _json({})
    created_at: datetime | None = _ts()


class InstallSetting(SQLModel, table=True):
    """Per-install values such as the pseudonym secret (when not set in the environment)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=500)


class Schedule(SQLModel, table=True):
    """A recurring job of a workshop (digest or reminder) at a local time of day."""

    __table_args__ = (UniqueConstraint("workshop_id", "kind"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    kind: str = Field(max_length=16)
    hour: int
    minute: int = 0
    days: str = Field(default="*", max_length=32)
    enabled: bool = True
    created_at: datetime | None = _ts()


class PostMark(SQLModel, table=True):
    """A scheduled post a platform that cannot be read back (the console) is about to show.

    Written before printing: after a crash the mark is found and nothing is printed twice.
    """

    __table_args__ = (UniqueConstraint("event", "post_key"),)

    id: int | None = Field(default=None, primary_key=True)
    event: str = Field(max_length=32)
    post_key: str = Field(max_length=200)
    message_id: str = Field(max_length=200)
    created_at: datetime | None = _ts()


class ReminderLog(SQLModel, table=True):
    """One reminder per participant per local day; the unique key is the claim."""

    __table_args__ = (UniqueConstraint("participant_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    day: str = Field(max_length=10)
    #: When the reminder was claimed (just before the platform call).
    sent_at: datetime | None = _ts(nullable=True)
    #: When the platform accepted it; ``NULL`` while the send is in flight (or crashed).
    posted_at: datetime | None = _ts(nullable=True)
    platform_message_id: str | None = Field(default=None, max_length=200)


class ChannelBinding(SQLModel, table=True):
    """A chat channel bound to a workshop: where it runs, or where its moderators review.

    ``purpose`` is ``workshop`` (citizens answer and digests are posted) or
    ``moderators`` (drafts and review requests go there).
    """

    __table_args__ = (UniqueConstraint("platform", "channel_id", "purpose"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    platform: str = Field(max_length=16)
    channel_id: str = Field(max_length=200)
    purpose: str = Field(default="workshop", max_length=16)
    created_at: datetime | None = _ts()


class NeedImport(SQLModel, table=True):
    """A file of needs imported into a workshop; the unique content hash makes re-imports no-ops."""

    __table_args__ = (UniqueConstraint("workshop_id", "content_hash"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    content_hash: str = Field(max_length=64)
    file_name: str = Field(max_length=200)
    rows: int
    imported_by: str = Field(max_length=100)
    created_at: datetime | None = _ts()


class TextEmbedding(SQLModel, table=True):
    """A text's vector, content-addressed: by encoder (``name@version``) and text hash.

    A cache shared by every workshop: no foreign keys, rows are never updated, and a
    vector can be recomputed from its text at any time.
    """

    encoder: str = Field(primary_key=True, max_length=64)
    text_sha256: str = Field(primary_key=True, max_length=64)
    dim: int
    vector: bytes = Field(sa_type=LargeBinary, nullable=False)


class ThemeOverride(SQLModel, table=True):
    """A moderator's decision about themes, applied at every re-clustering.

    ``kind`` is ``rename`` (``subject`` a theme id, ``value`` its label) or ``move``
    (``subject`` a text key such as ``need:12``, ``value`` the theme id it is pinned to).
    """

    __table_args__ = (UniqueConstraint("workshop_id", "kind", "subject"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    kind: str = Field(max_length=16)
    subject: str = Field(max_length=64)
    value: str = Field(max_length=200)
    created_by: str = Field(max_length=100)
    created_at: datetime | None = _ts()


class Assistance(SQLModel, table=True):
    """A resident whose answers a volunteer typed in (assisted entry).

    The resident is an ordinary pseudonymous participant (platform ``assisted``); this
    row says who helped and how consent was given. The reference code the volunteer
    keeps is not stored: its pseudonym is, like every other user id.
    """

    __table_args__ = (UniqueConstraint("workshop_id", "pseudonym"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    pseudonym: str = Field(max_length=64)
    label: str = Field(max_length=200)
    volunteer: str = Field(max_length=100)
    consent_mode: str = Field(max_length=16)
    created_at: datetime | None = _ts()


class AssistSession(SQLModel, table=True):
    """A staff member typing a resident's answers in from chat (``!assist``), until they end it.

    One per staff member and platform: their direct messages with the bot are the
    resident's conversation meanwhile. ``resident`` is the resident's pseudonym;
    ``code`` is the reference code masked with a pad only the install secret gives
    (the code itself, like every user id, is not stored in the clear).
    """

    __table_args__ = (UniqueConstraint("platform", "staff"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    staff: str = Field(max_length=64)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    resident: str = Field(max_length=64)
    code: str = Field(max_length=16)
    started_at: datetime | None = _ts()


class InboxEvent(SQLModel, table=True):
    """A verified platform event, stored before it is acknowledged and kept until handled.

    ``dedupe_key`` is the platform's id for the delivery (Slack's ``event_id``, a
    trigger id, a Discord interaction id), so a redelivery finds the same row.
    """

    __table_args__ = (
        UniqueConstraint("platform", "dedupe_key"),
        Index("ix_inboxevent_platform_status", "platform", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    dedupe_key: str = Field(max_length=255)
    payload: str = _text()
    status: str = Field(default="received", max_length=16)
    attempts: int = Field(default=0)
    note: str | None = Field(default=None, max_length=200)
    received_at: datetime | None = _ts()
    finished_at: datetime | None = _ts(nullable=True)


class OutboxMessage(SQLModel, table=True):
    """A reply to send, written in the same transaction as the turn that produced it.

    ``destination`` and ``payload`` are the adapter's own (a channel and thread,
    a serialised reply); ``platform_ref`` is what the platform answered (a ``ts``).
    """

    __table_args__ = (
        UniqueConstraint("inbox_id", "seq"),
        Index("ix_outboxmessage_platform_status", "platform", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    inbox_id: int | None = Field(default=None, foreign_key="inboxevent.id", index=True)
    seq: int = Field(default=0)
    destination: str = Field(max_length=255)
    payload: str = _text()
    status: str = Field(default="pending", max_length=16)
    attempts: int = Field(default=0)
    platform_ref: str | None = Field(default=None, max_length=100)
    created_at: datetime | None = _ts()
    sent_at: datetime | None = _ts(nullable=True)


class ActorDecision(SQLModel, table=True):
    """A moderator's decision about actors or modules; undone decisions are kept, revoked.

    ``kind`` is ``stakeholder`` or ``module``; ``action`` is ``merge`` (``subject``, a
    folded name, joins the actor of ``value``), ``rename`` (the actor of ``subject`` is
    shown as ``value``) or ``apart`` (the two were split and are not suggested again).
    A split revokes merges (``revoked_at``) rather than deleting them, so the audit
    trail and the decision table tell the same story.
    """

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True)
    kind: str = Field(max_length=16)
    action: str = Field(max_length=16)
    subject: str = Field(max_length=200)
    value: str = Field(max_length=200)
    created_by: str = Field(max_length=100)
    created_at: datetime | None = _ts()
    revoked_by: str | None = Field(default=None, max_length=100)
    revoked_at: datetime | None = _ts(nullable=True)
