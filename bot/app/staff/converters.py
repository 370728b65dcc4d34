"""Typed arguments of staff commands, converted once from what a person typed or picked.

In the spirit of Red-DiscordBot's converters: each converter turns one raw token into
a typed value or raises :class:`BadArgument`, whose reply names the valid values.
The same converters serve console ``!`` lines, Slack text, Discord slash options and
the CLI, so a value that one surface refuses, every surface refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.app.staff.parse import user_ref
from flows.text import Literal, Msg
from storage import schedules

T = TypeVar("T")
_TIME = re.compile(r"(\d{1,2}):(\d{2})")


class BadArgument(ValueError):
    """An argument that is missing or not valid; the command runs nothing.

    Attributes:
        argument: Which argument (``days``, ``time``, ``tier``…), for the audit row.
        value: What was given (empty when it is missing).
        message: The reply explaining it (``None``: the usage line says it all).
        usage: Whether the command's usage line follows the message.
    """

    def __init__(
        self,
        argument: str,
        value: str,
        message: Msg | None,
        *,
        usage: bool = True,
        english: str = "",
    ) -> None:
        super().__init__(english or f"{value!r} is not a valid {argument}")
        self.argument = argument
        self.value = value
        self.message = message
        self.usage = usage

    @classmethod
    def invalid(cls, argument: str, value: str, valid: Msg, english: str = "") -> BadArgument:
        """``value`` is not one of the valid ones, which ``valid`` names."""
        text = Msg("staff.bad_argument", {"value": Literal(value[:40]), "valid": valid})
        return cls(argument, value, text, english=english)

    @classmethod
    def missing(cls, argument: str) -> BadArgument:
        """Nothing was given for ``argument``."""
        return cls(argument, "", None, english=f"the {argument} is missing")


@dataclass(frozen=True)
class TimeOfDay:
    """A local wall-clock time, 00:00 to 23:59."""

    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Weekdays:
    """The days a schedule fires on, as stored (``*``, ``mon-fri``, ``sat,sun``)."""

    spec: str = "*"


@dataclass(frozen=True)
class UserRef:
    """Somebody named in a command: the platform id, and how they were written."""

    user_id: str
    shown: str


def time_of_day(token: str) -> TimeOfDay:
    """``18:00`` → ``TimeOfDay(18, 0)``.

    Raises:
        BadArgument: Not ``HH:MM`` or outside 00:00–23:59.
    """
    match = _TIME.fullmatch(token.strip())
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        try:
            schedules.check_time(hour, minute)
        except ValueError:
            pass
        else:
            return TimeOfDay(hour, minute)
    raise BadArgument.invalid(
        "time",
        token,
        Msg("staff.valid_time"),
        english=f"{token!r} is not a time of day; use HH:MM from 00:00 to 23:59, e.g. 18:00",
    )


def weekdays(token: str) -> Weekdays:
    """``mon-fri``, ``sat,sun``, ``*`` → :class:`Weekdays` (the rule the database keeps).

    Raises:
        BadArgument: A part is not a weekday or a range of weekdays.
    """
    try:
        return Weekdays(schedules.normal_days(token))
    except ValueError as exc:
        valid = Msg("staff.valid_days", {"days": ", ".join(schedules.WEEKDAYS)})
        raise BadArgument.invalid("days", token, valid, english=str(exc)) from None


def choice(argument: str, token: str, values: Mapping[str, T]) -> T:
    """The value that ``token`` names (any case) among ``values``.

    Raises:
        BadArgument: ``token`` names none of them; the reply lists them.
    """
    found = values.get(token.strip().lower())
    if found is None:
        listed = ", ".join(dict.fromkeys(str(v) for v in values.values()))
        raise BadArgument.invalid(
            argument,
            token,
            Msg("staff.valid_values", {"values": listed}),
            english=f"{token!r} is not a valid {argument}; valid values: {listed}",
        )
    return found


def options(values: Iterable[T]) -> dict[str, T]:
    """``{str(value): value}`` for :func:`choice` (enum members, plain strings)."""
    return {str(value).lower(): value for value in values}


def item_number(token: str) -> int:
    """An item id such as ``12``.

    Raises:
        BadArgument: Not a positive whole number.
    """
    if token.isdigit() and int(token) > 0:
        return int(token)
    raise BadArgument.invalid("id", token, Msg("staff.valid_number"))


def minutes(token: str, most: int = 10_080) -> int:
    """A number of minutes from 0 to ``most`` (a week by default).

    Raises:
        BadArgument: Not a whole number in that range.
    """
    if token.isdigit() and int(token) <= most:
        return int(token)
    raise BadArgument.invalid("minutes", token, Msg("staff.valid_minutes", {"most": most}))


def user(token: str) -> UserRef:
    """A mention (``<@U123>``, ``<@!123>``, ``<@U3|carla>``) or a bare id."""
    return UserRef(user_ref(token), token)


def timezone(token: str) -> str:
    """An IANA timezone name such as ``Europe/Berlin``.

    Raises:
        BadArgument: No such timezone (the reply gives examples; no usage line).
    """
    try:
        ZoneInfo(token)
    except (ZoneInfoNotFoundError, ValueError):
        message = Msg("staff.bad_timezone", {"timezone": Literal(token[:60])})
        raise BadArgument("timezone", token, message, usage=False) from None
    return token


def languages(codes: Iterable[str], known: tuple[str, ...]) -> tuple[str, ...]:
    """Locale codes (``en zh`` or ``zh,en``) that have a catalog, in the given order.

    Raises:
        BadArgument: None given (usage), or codes without a catalog (named, with the known ones).
    """
    wanted = tuple(
        dict.fromkeys(
            code.lower() for token in codes for code in token.replace(",", " ").split() if code
        )
    )
    if not wanted:
        raise BadArgument.missing("languages")
    unknown = [code for code in wanted if code not in known]
    if unknown:
        message = Msg(
            "staff.bad_languages",
            {"codes": Literal(", ".join(unknown)[:60]), "known": ", ".join(known)},
        )
        raise BadArgument("languages", " ".join(unknown), message, usage=False)
    return wanted
