"""How the bot reaches a person privately: DM opt-out and staff members' DM addresses."""

from __future__ import annotations

from storage import discord_dm, slack_staff, workshops
from storage.store import Store


def opt_out_of_dms(store: Store, platform: str, pseudonym: str) -> int:
    """Forget the DM address of ``pseudonym`` in every workshop; return how many were kept.

    Blocks on the database: async callers run it on a worker thread.
    """
    with store.session() as session:
        return discord_dm.clear_dm_addresses(session, pseudonym, platform)


def remember_staff_address(
    store: Store, platform: str, slug: str, pseudonym: str, address: str
) -> bool:
    """Keep a staff member's DM channel so drafts reach them (:mod:`storage.slack_staff`).

    Blocks on the database: async callers run it on a worker thread.
    """
    with store.session() as session:
        ws = workshops.find_workshop(session, slug)
        if ws is None:
            return False
        return slack_staff.remember_staff_address(session, ws.id, pseudonym, platform, address)
