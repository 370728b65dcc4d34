"""The console's platform name, and how its replies look: each reply's text, a blank line."""

from __future__ import annotations

from collections.abc import Iterable

from flows.render import RenderedReply

#: The platform name of console participants (their pseudonyms are keyed by it).
PLATFORM = "console"
#: Printed between replies so transcripts stay readable.
SEPARATOR = ""


def transcript(replies: Iterable[RenderedReply]) -> str:
    """The console text of ``replies`` (what :func:`~bot.adapters.console.run_console` writes)."""
    return "".join(reply.text + "\n" + SEPARATOR + "\n" for reply in replies)
