"""``cityneeds chat``: each stdin line is one message; replies go to stdout. Works on a pipe."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.adapters.console.transcript import PLATFORM, SEPARATOR, transcript
from bot.app.events import InboundEvent, RouterResponse
from bot.app.places import Places
from bot.app.router import Router
from bot.app.staff_session import StaffSession, is_staff_session
from flows.text import Literal, Msg

__all__ = ["PLATFORM", "SEPARATOR", "console_workshop", "run_console"]


def console_workshop(places: Places, router: Router, user: str, workshop: str | None) -> str:
    """The workshop a console session runs: the one asked for, else the DM rule's.

    The console is a direct message with the bot, so without ``--workshop`` it
    resumes where the person can be reached or last answered (:class:`Places`).
    """
    if workshop:
        return workshop
    return places.dm_workshop_now(PLATFORM, router.pseudonym_for(PLATFORM, user)).workshop


def _emit(response: RouterResponse, out: TextIO, router: Router, folder: Path) -> None:
    out.write(transcript(response.replies))
    for file in response.files:
        path = _free_path(folder / file.name)
        path.write_bytes(file.data)
        saved = Msg("console.file_saved", {"name": Literal(file.name), "path": Literal(str(path))})
        out.write(router.core.catalogs.render(saved, response.locale) + "\n" + SEPARATOR + "\n")
    out.flush()


def _free_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… if it exists (never overwrite a file)."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def run_console(
    router: Router,
    *,
    user: str,
    workshop: str,
    stdin: TextIO,
    stdout: TextIO,
    locale: str | None = None,
    echo: bool = False,
    ack: bool = False,
    files_to: Path | None = None,
    admin: bool = False,
    platform: str = PLATFORM,
    shown: str | None = None,
) -> int:
    """Run one participant's conversation on the console until stdin ends.

    The conversation is resumed from the database first, so a killed and
    restarted ``chat`` continues at the same step. With ``ack``, a line
    ``ok N`` follows the replies to the N-th input line once it is stored, for
    programs that drive the console. Files a staff member asks for (``!export html``)
    are written into ``files_to`` (the working directory by default). ``admin`` treats
    the user as the install's administrator, who may bootstrap as facilitator. Staff
    (``admin``, or a facilitator or moderator of the workshop) start at the staff desk,
    not at the consent prompt; they say ``join`` to answer the workshop themselves.
    ``platform`` names where the person is (``assisted`` for a volunteer typing for a
    resident). ``shown`` is what was already written for this person before the store
    was open (:func:`bot.app.opening.first_words`); the first reply is written only
    if it differs.

    Returns:
        The process exit code.
    """
    base = InboundEvent(
        platform=platform,
        user_id=user,
        text="",
        workshop=workshop,
        locale=locale,
        is_platform_admin=admin,
        direct=True,  # the console is a direct message with the bot
    )
    folder = files_to or Path.cwd()
    desk = StaffSession(router, base) if is_staff_session(router, base) else None
    first = desk.start() if desk is not None else router.handle_sync(base, start=True)
    if shown is None or first.files or transcript(first.replies) != shown:
        _emit(first, stdout, router, folder)
    for number, raw in enumerate(stdin, start=1):
        line = raw.rstrip("\r\n")
        if echo:
            stdout.write(f"> {line}\n")
        if desk is not None:
            response = desk.handle(line)
        else:
            response = router.handle_sync(replace(base, text=line))
        _emit(response, stdout, router, folder)
        if ack:
            stdout.write(f"ok {number}\n")
            stdout.flush()
    return 0
