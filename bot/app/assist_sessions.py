"""Assist sessions: a staff member types a resident's answers in from chat.

``!assist LABEL`` (Slack, Discord, the console desk) opens assisted entry for a new
resident (:mod:`bot.app.assisted`); from then on the staff member's plain lines in
their **direct messages with the bot** are the resident's turns, until ``!assist end``,
the resident's ``stop``, the end of the workshop, or ``forget me``. The direct
message is the place because only the staff member and the bot see it: a thread or
a channel would show the resident's answers to others. ``!`` lines there still reach
the staff desk.

The rule is kept here once, keyed by ``(platform, staff pseudonym)`` and stored, so a
restart keeps it; adapters only say whether an event came from the sender's direct
messages (:attr:`bot.app.events.InboundEvent.direct`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.app.assisted import (
    ASSISTED_PLATFORM,
    CODE_ALPHABET,
    AssistedSeat,
    normalise_code,
    pretty,
    resident_pseudonym,
)
from bot.app.events import InboundEvent
from storage import assist_sessions
from storage.clock import utcnow
from storage.store import Store


@dataclass(frozen=True)
class ActiveAssist:
    """Whom a staff member is typing for.

    Attributes:
        user_id: The resident's user id on the platform ``assisted`` (the raw code).
        code: The code as printed (``K7QM-2XDR``).
        workshop: The workshop slug the resident answers in.
    """

    user_id: str
    code: str
    workshop: str

    @property
    def platform(self) -> str:
        """Where the resident "is": the platform ``assisted``."""
        return ASSISTED_PLATFORM


class AssistSessions:
    """Open, find and end assist sessions over one store (blocking calls).

    Args:
        store: The database.
        pseudonym_of: ``(platform, user_id) -> pseudonym``, the router's keyed HMAC;
            it also derives the pad that masks stored codes.
    """

    def __init__(self, store: Store, pseudonym_of: Callable[[str, str], str]) -> None:
        self.store = store
        self.pseudonym_of = pseudonym_of

    def open(self, platform: str, staff: str, workshop_id: int, seat: AssistedSeat) -> None:
        """From now on ``staff``'s direct messages on ``platform`` are ``seat``'s turns."""
        resident = resident_pseudonym(self.pseudonym_of, seat.user_id)
        masked = self._mask(seat.user_id, resident, +1)
        with self.store.session() as session:
            assist_sessions.open_session(
                session, platform, staff, workshop_id, resident, masked, utcnow()
            )

    def find(self, platform: str, staff: str) -> ActiveAssist | None:
        """Whom ``staff`` types for on ``platform``, or ``None``."""
        with self.store.session() as session:
            row = assist_sessions.find_session(session, platform, staff)
        if row is None:
            return None
        raw = self._mask(row.code, row.resident, -1)
        if (
            normalise_code(raw) is None
            or resident_pseudonym(self.pseudonym_of, raw) != row.resident
        ):
            return None  # the install secret changed: the session cannot be reopened
        return ActiveAssist(raw, pretty(raw), row.workshop)

    def end(self, platform: str, staff: str) -> ActiveAssist | None:
        """End ``staff``'s session on ``platform``; whom they typed for, or ``None``."""
        active = self.find(platform, staff)
        with self.store.session() as session:
            assist_sessions.end_session(session, platform, staff)
        return active

    def _mask(self, code: str, resident: str, sign: int) -> str:
        """Shift each letter of ``code`` by a pad from the secret (``-1`` undoes ``+1``)."""
        pad = bytes.fromhex(self.pseudonym_of("assist-code", resident)[: 2 * len(code)])
        size = len(CODE_ALPHABET)
        out = []
        for letter, shift in zip(code, pad, strict=False):
            at = CODE_ALPHABET.find(letter)
            out.append(letter if at < 0 else CODE_ALPHABET[(at + sign * shift) % size])
        return "".join(out)


def as_resident(event: InboundEvent, active: ActiveAssist) -> InboundEvent:
    """A staff member's line (or button) as the resident's turn.

    Nothing of the staff member goes with it: not their address, admin flag or
    the platform's outbox (the resident's replies go back with the staff answer's).
    """
    return replace(
        event,
        platform=active.platform,
        user_id=active.user_id,
        workshop=active.workshop,
        address=None,
        is_platform_admin=False,
        outbox=None,
        direct=False,
    )


def resident_start(event: InboundEvent, user_id: str, workshop: str) -> InboundEvent:
    """The first turn of the resident ``user_id`` whose conversation ``!assist`` opened."""
    return InboundEvent(
        platform=ASSISTED_PLATFORM,
        user_id=user_id,
        text="",
        workshop=workshop,
        locale=event.locale,
    )
