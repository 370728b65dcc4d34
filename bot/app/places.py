"""Which workshop a place belongs to: a bound channel, a thread under one, or a DM.

The rule, the same on every surface:

* a channel runs the workshop it is bound to (as its ``workshop`` channel or its
  ``moderators`` channel); a thread belongs to its parent channel;
* a direct message (and the console, which is one) belongs to the workshop of the
  resident a staff member is typing for (``!assist``), else the latest workshop
  in which the person can be reached privately (they gave the bot a DM address
  there), else the latest workshop they answered in, else the default workshop.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from storage import assist_sessions, channels, discord_dm
from storage.channels import Binding
from storage.store import Store


@dataclass(frozen=True)
class DmWorkshop:
    """The workshop a direct message belongs to.

    Attributes:
        workshop: Its slug.
        reachable: The person gave the bot a private address there (on Discord: they
            opted in to direct messages).
        assisting: A staff member types a resident's answers in here (``!assist``): the
            direct message is theirs to type in, opted in or not.
    """

    workshop: str
    reachable: bool
    assisting: bool = False


class Places:
    """Resolves places to workshops over one store (each lookup on a worker thread).

    Args:
        store: The database.
        default_workshop: Where a direct message goes when nothing else says.
    """

    def __init__(self, store: Store, default_workshop: str) -> None:
        self.store = store
        self.default_workshop = default_workshop

    # ------------------------------------------------------------- blocking
    def dm_workshop_now(self, platform: str, pseudonym: str) -> DmWorkshop:
        """:meth:`dm_workshop` on the calling thread (for callers without an event loop)."""
        with self.store.session() as session:
            reachable = discord_dm.opted_in_workshops(session, pseudonym, platform)
            latest = channels.latest_workshop_of(session, pseudonym)
            assist = assist_sessions.find_session(session, platform, pseudonym)
        if assist is not None:
            return DmWorkshop(assist.workshop, assist.workshop in reachable, assisting=True)
        if latest is not None and latest in reachable:
            return DmWorkshop(latest, True)
        if reachable:
            return DmWorkshop(reachable[0], True)
        return DmWorkshop(latest or self.default_workshop, False)

    def binding_now(self, platform: str, channel_id: str) -> Binding | None:
        """:meth:`binding` on the calling thread."""
        with self.store.session() as session:
            for purpose in channels.PURPOSES:
                found = channels.workshop_of_channel(session, platform, channel_id, purpose)
                if found is not None:
                    return found
        return None

    def latest_workshop_now(self, pseudonym: str) -> str | None:
        """The workshop ``pseudonym`` last answered in (unfinished first), if any."""
        with self.store.session() as session:
            return channels.latest_workshop_of(session, pseudonym)

    # ---------------------------------------------------------------- async
    async def latest_workshop(self, pseudonym: str) -> str | None:
        """:meth:`latest_workshop_now` on a worker thread."""
        return await asyncio.to_thread(self.latest_workshop_now, pseudonym)

    async def dm_workshop(self, platform: str, pseudonym: str) -> DmWorkshop:
        """The workshop a direct message of ``pseudonym`` belongs to (the rule above)."""
        return await asyncio.to_thread(self.dm_workshop_now, platform, pseudonym)

    async def binding(self, platform: str, channel_id: str) -> Binding | None:
        """What a channel is bound to (its workshop channel first, then moderators)."""
        return await asyncio.to_thread(self.binding_now, platform, channel_id)

    async def workshop_of(self, platform: str, channel_id: str | None, pseudonym: str) -> str:
        """The channel's workshop if it is bound (either purpose), else the person's DM one."""
        if channel_id:
            bound = await self.binding(platform, channel_id)
            if bound is not None:
                return bound.workshop_slug
        return (await self.dm_workshop(platform, pseudonym)).workshop
