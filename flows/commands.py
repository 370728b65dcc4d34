"""Commands a participant can type at any step (``help``, ``back``, ``lang zh``…)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flows.catalog import Catalogs
from flows.normalize import fold


class Command(StrEnum):
    """The global commands; their words in every locale live in the catalogs."""

    HELP = "help"
    BACK = "back"
    SKIP = "skip"
    REPEAT = "repeat"
    STOP = "stop"
    LANG = "lang"
    GLOSSARY = "glossary"
    MY_DATA = "my_data"
    FORGET_ME = "forget_me"
    JOIN = "join"
    STATUS = "status"
    REMINDERS_OFF = "reminders_off"
    REMINDERS_ON = "reminders_on"


@dataclass(frozen=True)
class ParsedCommand:
    """A command and its argument (the locale code for ``lang``)."""

    command: Command
    argument: str | None = None


def parse_command(text: str, catalogs: Catalogs) -> ParsedCommand | None:
    """Return the command that ``text`` is, or ``None`` if it is an answer.

    A command must be the whole message, so "help me fix the buses" is an answer.
    A message of nothing but a question mark ("?", "？", "؟") asks for help.
    """
    folded = fold(text)
    if not folded:
        bare = text.strip()
        return ParsedCommand(Command.HELP) if bare in catalogs.all_words("command.help") else None
    if len(folded) > 40:
        return None
    for command in Command:
        if command is Command.LANG:
            continue
        if folded in catalogs.all_words(f"command.{command.value}"):
            return ParsedCommand(command)
    head, _, rest = folded.partition(" ")
    if head in catalogs.all_words("command.lang"):
        return ParsedCommand(Command.LANG, rest.strip() or None)
    return None


def resolve_locale(argument: str | None, catalogs: Catalogs) -> str | None:
    """Map what follows ``lang`` (``zh``, ``zh-CN``, ``中文``, ``english``) to a locale code."""
    if not argument:
        return None
    wanted = fold(argument).replace("_", "-")
    for locale in catalogs.locales:
        if wanted == locale or wanted.split("-")[0] == locale:
            return locale
        if wanted in catalogs.words.get(locale, {}).get("locale.names", ()):
            return locale
    return None
