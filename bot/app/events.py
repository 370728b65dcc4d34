"""The router's own request and response types (adapters translate to and from these)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flows.render import RenderedReply

if TYPE_CHECKING:
    from storage.inbox import Outgoing


@dataclass(frozen=True)
class TurnOutbox:
    """Where a turn's replies go: stored with the turn, in its own transaction.

    Attributes:
        inbox_id: The inbox row of the event (closed in the same transaction).
        compose: Turns the router's response into the adapter's outgoing
            messages (pure: it runs inside the transaction).
    """

    inbox_id: int
    compose: Callable[[RouterResponse], Sequence[Outgoing]]


@dataclass(frozen=True)
class InboundEvent:
    """One message or button press, platform-neutral.

    Attributes:
        platform: ``console``, ``slack``, ``discord`` or ``sim``.
        user_id: The platform's user id (never stored; only its pseudonym is).
        text: Typed text, or the value of a pressed button.
        workshop: Workshop slug.
        delivery_id: Platform delivery id used to drop retried deliveries.
        button_step: For button presses, the step the button belonged to.
        locale: The platform's locale for the user, used for new participants.
        address: Where the platform can reach this user privately (a DM channel),
            kept only so opted-in reminders can be delivered.
        is_platform_admin: The platform says the user administers the workspace or
            server (lets them bootstrap the first facilitator).
        outbox: The event came through the inbox: its turn stores the replies
            (see :class:`TurnOutbox`) and closes the inbox row.
        direct: The event came from the sender's own direct messages with the bot (the
            console is one): where a staff member's lines may be a resident's
            (:mod:`bot.app.assist_sessions`).
    """

    platform: str
    user_id: str
    text: str
    workshop: str
    delivery_id: str | None = None
    button_step: str | None = None
    locale: str | None = None
    address: str | None = None
    is_platform_admin: bool = False
    outbox: TurnOutbox | None = None
    direct: bool = False


@dataclass(frozen=True)
class Attachment:
    """A file to hand to the user with the replies (an export, for example).

    Attributes:
        name: File name, e.g. ``riverside.html``.
        data: The bytes.
        description: What it is, in the user's language (alt text, upload comment).
    """

    name: str
    data: bytes
    description: str = ""


@dataclass(frozen=True)
class RouterResponse:
    """What to send back, in order. ``duplicate`` means the delivery was already handled.

    ``files`` go privately to the user who asked (a staff member's export).
    ``stored`` means the replies are in the outbox already, stored with the turn
    (the event carried a :class:`TurnOutbox`). ``private`` replies are a resident's
    conversation (``!assist``): they go to the sender's direct messages, never to a
    shared channel or thread. ``closed`` means the participant's conversation
    finished, paused or was erased in this turn.
    """

    replies: list[RenderedReply] = field(default_factory=list)
    files: list[Attachment] = field(default_factory=list)
    duplicate: bool = False
    locale: str = "en"
    participant_id: int | None = None
    stored: bool = False
    private: bool = False
    closed: bool = False
