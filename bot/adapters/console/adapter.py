"""``cityneeds chat``: each stdin line is one message; replies go to stdout. Works on a pipe."""

from __future__ import annotations

from dataclasses import replace
from typing import TextIO

from bot.router import InboundEvent, Router, RouterResponse

#: Printed between replies so transcripts stay readable.
SEPARATOR = ""


def _emit(response: RouterResponse, out: TextIO) -> None:
    for reply in response.replies:
        out.write(reply.text + "\n" + SEPARATOR + "\n")
    out.flush()


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
) -> int:
    """Run one participant's conversation on the console until stdin ends.

    The conversation is resumed from the database first, so a killed and
    restarted ``chat`` continues at the same step. With ``ack``, a line
    ``ok N`` follows the replies to the N-th input line once it is stored, for
    programs that drive the console.

    Returns:
        The process exit code.
    """
    base = InboundEvent(platform="console", user_id=user, text="", workshop=workshop, locale=locale)
    _emit(router.handle_sync(base, start=True), stdout)
    for number, raw in enumerate(stdin, start=1):
        line = raw.rstrip("\r\n")
        if echo:
            stdout.write(f"> {line}\n")
        _emit(router.handle_sync(replace(base, text=line)), stdout)
        if ack:
            stdout.write(f"ok {number}\n")
            stdout.flush()
    return 0
