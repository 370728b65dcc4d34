"""``/cityneeds setup`` and ``/cityneeds moderators``: bind a Slack channel to a workshop.

These run on a worker thread (they block on the database).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.runtime import ensure_workshop
from storage import channels, roles, slack_staff, turns, workshops
from storage.audit import audit
from storage.store import Store
from storage.workshops import WorkshopInfo

PLATFORM = "slack"
#: Workshop slugs a channel may be bound to.
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class BindOutcome:
    """What a bind request came to: ``bound``, ``refused``, ``usage`` or ``duplicate``."""

    status: str
    workshop: WorkshopInfo | None = None


def may_bind(store: Store, slug: str, pseudonym: str, is_platform_admin: bool) -> BindOutcome:
    """Check a bind request without changing anything.

    Platform admins may bind any workshop (a missing one is created); a
    facilitator may bind their own workshop; everyone else is refused.
    """
    if not SLUG.match(slug):
        return BindOutcome("usage")
    with store.session() as session:
        ws = workshops.find_workshop(session, slug)
        role = roles.role_of(session, ws.id, pseudonym)[0] if ws is not None else "citizen"
    if is_platform_admin or (ws is not None and role == "facilitator"):
        return BindOutcome("allowed", ws)
    return BindOutcome("refused", ws)


def bind(
    store: Store,
    *,
    slug: str,
    channel: str,
    purpose: str,
    pseudonym: str,
    is_platform_admin: bool,
    delivery_id: str | None,
    now: datetime,
) -> BindOutcome:
    """Bind ``channel`` to workshop ``slug`` for ``purpose`` (after :func:`may_bind` allowed it).

    The delivery is claimed in the same transaction as the binding, so a
    retried request binds once. A platform admin becomes a facilitator of the
    workshop (as the staff desk does on their first staff command).
    """
    ws = workshops_or_create(store, slug, is_platform_admin)
    if ws is None:
        return BindOutcome("refused")
    with store.session() as session:
        if delivery_id is not None and not turns.claim_delivery(
            session, PLATFORM, delivery_id, now
        ):
            return BindOutcome("duplicate", ws)
        channels.bind(session, ws.id, PLATFORM, channel, purpose, now)
        if is_platform_admin and roles.role_of(session, ws.id, pseudonym)[0] != "facilitator":
            roles.set_role(session, ws.id, pseudonym, PLATFORM, "facilitator", now)
            audit(session, ws.id, pseudonym, "role.bootstrap", {"role": "facilitator"}, now)
        audit(
            session,
            ws.id,
            pseudonym,
            "channel.bind",
            {"platform": PLATFORM, "channel": channel, "purpose": purpose},
            now,
        )
    return BindOutcome("bound", ws)


def workshops_or_create(store: Store, slug: str, may_create: bool) -> WorkshopInfo | None:
    """The workshop ``slug``; created with the whole scenario library if allowed and missing."""
    found = store.find_workshop(slug)
    if found is not None or not may_create:
        return found
    return ensure_workshop(store, slug)


def remember_staff_address(store: Store, slug: str, pseudonym: str, address: str) -> bool:
    """Keep a staff member's DM channel so drafts reach them (:mod:`storage.slack_staff`)."""
    with store.session() as session:
        ws = workshops.find_workshop(session, slug)
        if ws is None:
            return False
        return slack_staff.remember_staff_address(session, ws.id, pseudonym, PLATFORM, address)
