"""Idempotency keys of scheduled posts: how a post is recognised on its platform."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

#: Slack message metadata ``event_type`` of a digest and of a reminder.
DIGEST_EVENT = "cityneeds_digest"
REMINDER_EVENT = "cityneeds_reminder"
#: Slack message metadata ``event_type`` of a notice that a tier someone waits for is open.
TIER_OPEN_EVENT = "cityneeds_tier_open"
#: Discord accepts nonces of at most 25 characters.
NONCE_CHARS = 25


@dataclass(frozen=True)
class PostKey:
    """The identity of one scheduled post (a digest period, a participant's day).

    Attributes:
        event: What it is (:data:`DIGEST_EVENT` or :data:`REMINDER_EVENT`).
        value: Unique among posts of that kind (``"12:2026-12-01"``).
    """

    event: str
    value: str

    def nonce(self, part: int = 0) -> str:
        """The Discord ``nonce`` of part ``part`` (same key and part, same nonce)."""
        raw = f"{self.event}:{self.value}:{part}".encode()
        return hashlib.sha256(raw).hexdigest()[:NONCE_CHARS]

    @property
    def marker(self) -> str:
        """A short reference shown in the post where the platform has no hidden field."""
        return f"ref {self.nonce()[:10]}"


def digest_key(workshop_id: int, period: str) -> PostKey:
    """The key of a workshop's digest of ``period``."""
    return PostKey(DIGEST_EVENT, f"{workshop_id}:{period}")


def reminder_key(participant_id: int, day: str) -> PostKey:
    """The key of a participant's reminder of ``day``."""
    return PostKey(REMINDER_EVENT, f"{participant_id}:{day}")


def tier_open_key(participant_id: int, day: str) -> PostKey:
    """The key of the notice of a participant's wait (``day`` from ``storage.tier_waits``)."""
    return PostKey(TIER_OPEN_EVENT, f"{participant_id}:{day}")
