"""Finding a participant's private thread again, even when discord.py no longer caches it.

discord.py drops archived threads from its cache (and after a restart knows only
the active ones), so a thread that went quiet for a week looks missing. It is
not: it is fetched by id (or, with no id known, found among the archived private
threads the bot has joined) and unarchived, so the person keeps one thread.
"""

from __future__ import annotations

import logging
from typing import Any

import discord

log = logging.getLogger(__name__)


async def reopen_thread(
    client: discord.Client, parent: discord.TextChannel, tag: str, known: int | None
) -> discord.Thread | None:
    """The open, unlocked thread under ``parent`` whose name holds ``tag``, or ``None``.

    Args:
        client: The bot.
        parent: The workshop channel the thread belongs to.
        tag: The participant's tag in the thread name.
        known: The thread's id, when the adapter remembers it.
    """
    if known is not None:
        thread = parent.guild.get_thread(known) or await _fetch(client, known)
        if thread is not None and thread.parent_id == parent.id and not thread.locked:
            return await _unarchived(thread)
    for thread in parent.threads:
        if tag in thread.name and not thread.locked:
            return thread
    try:
        async for thread in parent.archived_threads(private=True, joined=True, limit=None):
            if tag in thread.name and not thread.locked:
                return await _unarchived(thread)
    except discord.HTTPException as exc:
        log.info("cannot list archived threads of %s: %s", parent.id, exc.status)
    return None


async def _fetch(client: discord.Client, thread_id: int) -> discord.Thread | None:
    try:
        fetched: Any = await client.fetch_channel(thread_id)
    except (discord.NotFound, discord.Forbidden):
        return None
    return fetched if isinstance(fetched, discord.Thread) else None


async def _unarchived(thread: discord.Thread) -> discord.Thread | None:
    if not thread.archived:
        return thread
    try:
        return await thread.edit(archived=False)
    except discord.HTTPException as exc:
        log.info("cannot unarchive thread %s: %s", thread.id, exc.status)
        return None
