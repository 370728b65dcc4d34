"""The staff command registry: who may run each command, its typed arguments, its help line.

A command is declared once with :meth:`Registry.command`::

    @STAFF.command("open", roles=FACILITATOR, usage="!open macro|meso|micro", parse=tier_of)
    @in_worker
    def open_tier(x: Ctx, args: TierArgs) -> list[str]: ...

A handler that only reads and writes the database is a plain function under
:func:`in_worker`, so it runs on a worker thread, never on the adapters' event loop.

``parse`` turns a typed ``!`` line into the arguments (console, Slack); Discord's slash
options build the same arguments directly with :meth:`Command.build`. Either way the
desk gets a :class:`StaffCall` and runs the same handler; a :class:`BadArgument`
found while building the arguments is carried in the call and answered by the desk
after the role check, so a bad argument changes nothing and is audited.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.app.events import Attachment
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.scheduler.digests import DigestService
from flows.catalog import Catalogs
from flows.kinds import Role
from flows.text import Msg, Param
from storage.store import Store
from storage.workshops import WorkshopInfo

A = TypeVar("A")

#: Facilitators only.
FACILITATOR: tuple[Role, ...] = (Role.FACILITATOR,)
#: Moderators and facilitators (in the order a refusal names them).
MODERATION: tuple[Role, ...] = (Role.MODERATOR, Role.FACILITATOR)


@dataclass(frozen=True)
class NoArgs:
    """The arguments of a command that takes none."""


def no_args(_: StaffCommand) -> NoArgs:
    """The parser of a command that takes no arguments (extra words are ignored)."""
    return NoArgs()


@dataclass(frozen=True)
class StaffServices:
    """What command handlers may use besides the call itself.

    Attributes:
        store: The database.
        catalogs: Message catalogs for replies.
        pseudonym: ``(platform, user_id) -> pseudonym``.
        digests: The digest service (``None`` where nothing is posted).
        rebuild: Tell the scheduler the schedules or timezones changed.
    """

    store: Store
    catalogs: Catalogs
    pseudonym: Callable[[str, str], str]
    digests: DigestService | None
    rebuild: Callable[[], None]


@dataclass(frozen=True)
class ResidentStart:
    """A resident's conversation to open after a command's lines (``!assist``).

    Attributes:
        user_id: The resident's user id on the platform ``assisted``.
        workshop: The workshop slug.
    """

    user_id: str
    workshop: str


@dataclass(frozen=True)
class Ctx:
    """One staff command being run: where, by whom, when.

    Attributes:
        services: Store, catalogs and services.
        ws: The workshop.
        actor: Pseudonym of the staff member (audit rows name it).
        moderator_id: Their participant id (moderation rows name it).
        platform: Where they typed it.
        locale: The locale of the replies.
        now: The time of the command.
        files: Files to hand back privately (an export appends here).
        user_id: The staff member's platform user id (``!assist`` names who helped).
        residents: Residents' conversations to open after the reply (``!assist`` appends).
    """

    services: StaffServices
    ws: WorkshopInfo
    actor: str
    moderator_id: int | None
    platform: str
    locale: str
    now: datetime
    files: list[Attachment] = field(default_factory=list)
    user_id: str = ""
    residents: list[ResidentStart] = field(default_factory=list)

    @property
    def store(self) -> Store:
        """The database."""
        return self.services.store

    def t(self, msg_id: str, **params: Param) -> str:
        """A catalog message in the reply locale."""
        return self.services.catalogs.render(Msg(msg_id, dict(params)), self.locale)

    def usage(self, usage: str) -> str:
        """The ``Usage: …`` line."""
        return self.t("staff.usage", usage=usage)


Handler = Callable[[Ctx, A], Awaitable[list[str]]]


def in_worker(work: Callable[[Ctx, A], list[str]]) -> Handler[A]:
    """A handler whose body blocks on the database: it runs on a worker thread.

    Chat adapters answer everyone from one event loop; a staff command that waits for
    a session there would hold up every citizen's turn meanwhile.
    """

    @functools.wraps(work)
    async def run(x: Ctx, args: A) -> list[str]:
        return await asyncio.to_thread(work, x, args)

    return run


@dataclass(frozen=True)
class Command(Generic[A]):
    """One staff command.

    Attributes:
        name: What follows the ``!``.
        roles: Who may run it.
        usage: The usage line, also the command's line in ``!help``.
        parse: Typed arguments from a typed line (raises :class:`BadArgument`).
        run: The handler: replies, already rendered. It may raise :class:`BadArgument`
            only before it changes anything (``!settings`` checks languages against
            the catalogs that way).
    """

    name: str
    roles: tuple[Role, ...]
    usage: str
    parse: Callable[[StaffCommand], A]
    run: Handler[A]

    def call(self, args: A) -> StaffCall[A]:
        """A call with arguments already typed and valid."""
        return StaffCall(self, args)

    def build(self, make: Callable[[], A]) -> StaffCall[A]:
        """A call whose arguments ``make`` converts (a :class:`BadArgument` is kept in it)."""
        try:
            return StaffCall(self, make())
        except BadArgument as error:
            return StaffCall(self, None, error)

    def from_text(self, typed: StaffCommand) -> StaffCall[A]:
        """A call from a typed ``!`` line."""
        return self.build(lambda: self.parse(typed))


@dataclass(frozen=True)
class StaffCall(Generic[A]):
    """A command with typed arguments, or the reason its arguments are not valid."""

    command: Command[A]
    args: A | None = None
    error: BadArgument | None = None


class Registry:
    """Staff commands by name, in the order they were declared."""

    def __init__(self) -> None:
        self._commands: dict[str, Command[Any]] = {}

    def command(
        self,
        name: str,
        *,
        roles: tuple[Role, ...],
        usage: str,
        parse: Callable[[StaffCommand], A],
    ) -> Callable[[Handler[A]], Command[A]]:
        """Declare a command; the decorated handler becomes the :class:`Command`."""

        def register(run: Handler[A]) -> Command[A]:
            if name in self._commands:
                raise ValueError(f"staff command !{name} is declared twice")
            command = Command(name, roles, usage, parse, run)
            self._commands[name] = command
            return command

        return register

    def get(self, name: str) -> Command[Any] | None:
        """The command called ``name``, if any."""
        return self._commands.get(name)

    def __iter__(self) -> Iterator[Command[Any]]:
        return iter(self._commands.values())

    def names(self) -> tuple[str, ...]:
        """Every command name, in declaration order."""
        return tuple(self._commands)

    def help_lines(self, role: str | None = None) -> list[str]:
        """One usage line per command (only those ``role`` may run, if given)."""
        return [f"• {c.usage}" for c in self if role is None or role in c.roles]


#: Every staff command (the modules of :mod:`bot.app.staff.commands` fill it).
STAFF = Registry()
