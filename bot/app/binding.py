"""Binding a channel to a workshop, and the first facilitator of a workshop.

One rule for every platform:

* a platform administrator (Slack workspace admin, Discord server admin, the
  console's ``--admin``) may bind any workshop; a missing one is created with the
  scenario library, and the administrator becomes its facilitator (the
  *bootstrap*: someone has to be first);
* a facilitator of an existing workshop may bind it;
* everyone else is refused, and the refusal is audited like the binding is.

These functions block on the database; async callers run them on a worker thread.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session

from bot.app.workshops import ensure_workshop
from flows.kinds import Role
from storage import channels, roles, turns, workshops
from storage.audit import audit
from storage.store import Store
from storage.workshops import WorkshopInfo

#: Workshop slugs a channel may be bound to.
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
FACILITATOR = Role.FACILITATOR


class BindStatus(StrEnum):
    """What a bind request came to."""

    ALLOWED = "allowed"
    BOUND = "bound"
    REFUSED = "refused"
    USAGE = "usage"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class BindRequest:
    """Someone asks to bind a channel (or a thread's parent) to a workshop.

    Attributes:
        platform: ``slack``, ``discord`` or ``console``.
        slug: The workshop, as typed (checked against :data:`SLUG`).
        channel: The platform's channel id.
        purpose: ``workshop`` (citizens answer there) or ``moderators``.
        actor: The asker's pseudonym.
        is_platform_admin: The platform says the asker administers the workspace or server.
    """

    platform: str
    slug: str
    channel: str
    purpose: str
    actor: str
    is_platform_admin: bool


@dataclass(frozen=True)
class BindOutcome:
    """The answer to a :class:`BindRequest`.

    Attributes:
        status: What happened.
        workshop: The workshop, when it exists (or was created).
        bootstrapped: The asker became the workshop's facilitator by binding it.
    """

    status: BindStatus
    workshop: WorkshopInfo | None = None
    bootstrapped: bool = False


@dataclass(frozen=True)
class Seat:
    """Someone's role in a workshop once the bootstrap rule has been applied.

    Attributes:
        role: ``citizen``, ``moderator`` or ``facilitator``.
        participant_id: Their participant row, if they have one.
        bootstrapped: They were made facilitator just now, as a platform administrator.
    """

    role: str
    participant_id: int | None
    bootstrapped: bool = False


def seat_of(
    session: Session,
    workshop_id: int,
    actor: str,
    platform: str,
    *,
    is_platform_admin: bool,
    now: datetime,
) -> Seat:
    """The actor's role, making a platform administrator the facilitator on first use.

    The bootstrap is audited (``role.bootstrap``) in the caller's transaction.
    """
    role, participant_id = roles.role_of(session, workshop_id, actor)
    if not is_platform_admin or role == FACILITATOR:
        return Seat(role, participant_id)
    participant_id = roles.set_role(session, workshop_id, actor, platform, FACILITATOR, now)
    audit(session, workshop_id, actor, "role.bootstrap", {"role": FACILITATOR}, now)
    return Seat(FACILITATOR, participant_id, bootstrapped=True)


def check_bind(store: Store, request: BindRequest, now: datetime) -> BindOutcome:
    """Whether ``request`` may bind, changing nothing but the audit of a refusal.

    Returns ``usage`` for a slug that is not one, ``refused`` (audited) for someone
    who is neither a platform administrator nor the workshop's facilitator, else
    ``allowed`` with the workshop if it exists already.
    """
    if not SLUG.match(request.slug):
        return BindOutcome(BindStatus.USAGE)
    with store.session() as session:
        ws = workshops.find_workshop(session, request.slug)
        role = roles.role_of(session, ws.id, request.actor)[0] if ws is not None else "citizen"
        if request.is_platform_admin or (ws is not None and role == FACILITATOR):
            return BindOutcome(BindStatus.ALLOWED, ws)
        audit(
            session,
            ws.id if ws is not None else None,
            request.actor,
            "refused",
            {
                "command": "setup",
                "platform": request.platform,
                "workshop": request.slug,
                "purpose": request.purpose,
                "role": role,
            },
            now,
        )
    return BindOutcome(BindStatus.REFUSED, ws)


def bind_channel(
    store: Store,
    request: BindRequest,
    now: datetime,
    *,
    delivery_id: str | None = None,
    checked: BindOutcome | None = None,
) -> BindOutcome:
    """Bind the channel for ``request``: create the workshop, bootstrap, bind, audit.

    Args:
        store: The database.
        request: Who binds what.
        now: The time stored.
        delivery_id: Claimed in the binding's transaction, so a retried request binds once.
        checked: The :func:`check_bind` answer, when the caller asked before (Slack
            posts the channel's notice in between); checked here otherwise.
    """
    check = checked or check_bind(store, request, now)
    if check.status != BindStatus.ALLOWED:
        return check
    ws = check.workshop or ensure_workshop(store, request.slug)
    with store.session() as session:
        if delivery_id is not None and not turns.claim_delivery(
            session, request.platform, delivery_id, now
        ):
            return BindOutcome(BindStatus.DUPLICATE, ws)
        seat = seat_of(
            session,
            ws.id,
            request.actor,
            request.platform,
            is_platform_admin=request.is_platform_admin,
            now=now,
        )
        channels.bind(session, ws.id, request.platform, request.channel, request.purpose, now)
        audit(
            session,
            ws.id,
            request.actor,
            "channel.bind",
            {"platform": request.platform, "channel": request.channel, "purpose": request.purpose},
            now,
        )
    return BindOutcome(BindStatus.BOUND, ws, bootstrapped=seat.bootstrapped)
