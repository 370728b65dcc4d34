"""Issue 11, items 1 and 14 on Discord: ``/cityneeds-mod`` clears a pre-moderated queue.

The options become the same typed calls as the ``!`` lines: ``approve`` with the kind
``link``, ``approve-all`` (a count, then the code), ``hide`` without a real reason
(refused, nothing changes) and ``unhide``.
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.testing.discord_harness import DiscordHarness
from bot.testing.harness import ChatHarness
from storage.models import AuditLog, Need, Stakeholder, StakeholderLink
from storage.store import Store
from tests.citizen import LINES
from tests.e2e.discord.helpers import rejected


def _plain(text: str) -> str:
    """What the user reads (Discord shows ``\\-`` as ``-``)."""
    return text.replace("\\", "")


def _status(
    store: Store, table: type[Need] | type[Stakeholder] | type[StakeholderLink]
) -> list[str]:
    with store.session() as s:
        return list(s.exec(select(table.status).order_by(col(table.id))).all())


async def _mod(h: DiscordHarness, sub: str, options: dict[str, str | int] | None = None) -> str:
    record, handled = await h.slash(
        "fac", h.world.moderators_channel, "cityneeds-mod", sub, options
    )
    assert handled.error is None
    assert all(m.ephemeral for m in record.followups)
    return _plain("\n".join(m.content for m in record.followups))


async def test_a_moderator_on_discord_approves_links_and_bulk_approves_with_a_code(
    discord: DiscordHarness, store: Store
) -> None:
    h = discord
    policy = await h.say("fac", h.world.moderators_channel, "!policy pre")
    assert any("Moderation: pre" in m.content for m in h.messages_of(policy))
    ana = ChatHarness(h.adapter.router, user="ana", workshop="city")
    await ana.astart()
    for line in LINES:
        await ana.asay(line)
    with store.session() as s:
        council = s.exec(select(Stakeholder.id).where(Stakeholder.name == "City council")).one()
        club = s.exec(select(Stakeholder.id).where(Stakeholder.name != "City council")).one()
        link = s.exec(select(StakeholderLink.id)).one()

    queue = await _mod(h, "queue")
    assert f"• link {link}: City council (stakeholder {council}) funds" in queue
    reply = await _mod(h, "approve", {"kind": "link", "item": link or 0})
    assert f"Approved link {link}." in reply
    assert f"link {link} waits for stakeholder {council}" in reply

    ask = await _mod(h, "approve-all", {"kind": "stakeholder"})
    assert "Waiting for review: 2 (stakeholder 2). To approve all of them, type: " in ask
    assert _status(store, Stakeholder) == ["pending", "pending"]
    code = ask.rsplit(" confirm ", 1)[1].split()[0]
    done = await _mod(h, "approve-all", {"kind": "stakeholder", "confirm": code})
    assert done.endswith("Approved: 2 (stakeholder 2).")
    assert _status(store, Stakeholder) == ["approved", "approved"]
    assert _status(store, StakeholderLink) == ["approved"]

    refused = await _mod(h, "hide", {"kind": "link", "item": link or 0, "reason": "   "})
    assert refused.startswith("Say why it is hidden")
    assert _status(store, StakeholderLink) == ["approved"]
    await _mod(h, "hide", {"kind": "link", "item": link or 0, "reason": "made up"})
    assert _status(store, StakeholderLink) == ["hidden"]
    back = await _mod(h, "unhide", {"kind": "link", "item": link or 0})
    assert f"link {link} is no longer hidden" in back
    assert _status(store, StakeholderLink) == ["pending"]

    with store.session() as s:
        actions = [r.action for r in s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]
    assert actions.count("moderation.approve_all") == 1
    assert actions.count("moderation.unhide") == 1
    assert not rejected(h.fake)
    assert club
