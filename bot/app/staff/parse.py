"""Parse staff commands typed in chat: ``!open meso``, ``!hide need 12 spam``."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flows.normalize import clean_text

PREFIX = "!"
_MENTION = re.compile(r"^<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class StaffCommand:
    """A staff command name and its arguments."""

    name: str
    args: tuple[str, ...]
    rest: str


def is_staff_text(text: str) -> bool:
    """Whether a message is a staff command (starts with ``!`` and a letter).

    Direction marks copied along with the bot's right-to-left text do not count.
    """
    stripped = clean_text(text)
    return len(stripped) > 1 and stripped.startswith(PREFIX) and stripped[1].isalpha()


def parse_staff(text: str) -> StaffCommand:
    """Split ``!name arg1 arg2 …``; ``rest`` keeps the text after the first two arguments."""
    body = clean_text(text)[len(PREFIX) :]
    parts = body.split()
    name = parts[0].lower() if parts else ""
    args = tuple(parts[1:])
    pieces = body.split(maxsplit=3)
    rest = pieces[3] if len(pieces) > 3 else ""
    return StaffCommand(name, args, rest)


def user_ref(token: str) -> str:
    """A platform user id from a mention (``<@U123>``, ``<@!123>``) or a bare id."""
    match = _MENTION.match(token)
    return match.group(1) if match else token.lstrip("@")
