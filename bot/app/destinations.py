"""Where a workshop's posts go on a platform: its channels, else its staff's DMs.

Each lookup runs on a worker thread, so a poster's event loop never waits on a query.
"""

from __future__ import annotations

import asyncio

from storage import channels, slack_staff
from storage.store import Store


class Destinations:
    """Looks up where to post for a workshop (the inverse of :class:`bot.app.places.Places`).

    Args:
        store: The database.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def _channel(self, workshop_id: int, platform: str, purpose: str) -> str | None:
        with self.store.session() as session:
            found = channels.channel_of_workshop(session, workshop_id, platform, purpose)
        return found.channel_id if found is not None else None

    def _staff(self, workshop_id: int, platform: str) -> list[str]:
        with self.store.session() as session:
            return slack_staff.staff_addresses(session, workshop_id, platform)

    async def channel(self, workshop_id: int, platform: str, purpose: str) -> str | None:
        """The channel bound to the workshop for ``purpose`` (``workshop``/``moderators``)."""
        return await asyncio.to_thread(self._channel, workshop_id, platform, purpose)

    async def staff_addresses(self, workshop_id: int, platform: str) -> list[str]:
        """DM channels of the workshop's facilitators and moderators on ``platform``."""
        return await asyncio.to_thread(self._staff, workshop_id, platform)
