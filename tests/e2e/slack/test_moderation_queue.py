"""Issue 11, items 1 and 14 on Slack: a moderator clears a pre-moderated queue with ``/cityneeds``.

The links a citizen drew are queued with both stakeholders' names, approving the
stakeholders brings the link along, ``approve all`` counts before it approves,
``hide`` without a reason changes nothing and ``unhide`` brings an item back.
"""

from __future__ import annotations

from sqlmodel import col, select

from bot.testing.harness import ChatHarness
from storage.models import AuditLog, Need, Stakeholder, StakeholderLink
from tests.citizen import LINES
from tests.e2e.slack.conftest import SlackWorld

CHANNEL = "C0WORKSHOP"


def _status(
    world: SlackWorld, table: type[Need] | type[Stakeholder] | type[StakeholderLink]
) -> list[str]:
    with world.store.session() as s:
        return list(s.exec(select(table.status).order_by(col(table.id))).all())


def _ids(world: SlackWorld) -> tuple[int, int, int]:
    with world.store.session() as s:
        council = s.exec(select(Stakeholder.id).where(Stakeholder.name == "City council")).one()
        club = s.exec(
            select(Stakeholder.id).where(col(Stakeholder.name).startswith("Senior"))
        ).one()
        link = s.exec(select(StakeholderLink.id)).one()
    assert council and club and link
    return council, club, link


async def test_a_moderator_on_slack_approves_the_links_and_bulk_approves_with_a_code(
    slack: SlackWorld,
) -> None:
    world = slack
    [answer] = await world.command_and_wait("UADMIN", CHANNEL, "policy pre")
    assert "Moderation: pre" in answer
    ana = ChatHarness(world.stack.runtime.router, user="ana", workshop="city")
    await ana.astart()
    for line in LINES:
        await ana.asay(line)
    council, club, link = _ids(world)

    [queue] = await world.command_and_wait("UADMIN", CHANNEL, "queue")
    assert (
        f"• link {link}: City council (stakeholder {council}) funds "
        f"Senior citizens' club (stakeholder {club})"
    ) in queue

    [reply] = await world.command_and_wait("UADMIN", CHANNEL, f"approve stakeholder {council}")
    assert f"link {link} waits for stakeholder {club}" in reply
    [reply] = await world.command_and_wait("UADMIN", CHANNEL, f"approve stakeholder {club}")
    assert f"Approved with it, as both their stakeholders are approved: link {link}." in reply
    assert _status(world, StakeholderLink) == ["approved"]

    [ask] = await world.command_and_wait("UADMIN", CHANNEL, "approve all need")
    assert ask.startswith("Waiting for review: 2 (need 2). To approve all of them, type: ")
    assert _status(world, Need) == ["pending", "pending"]
    code = ask.rsplit(" confirm ", 1)[1].split()[0]
    [done] = await world.command_and_wait("UADMIN", CHANNEL, f"approve all need confirm {code}")
    assert done == "Approved: 2 (need 2)."
    assert _status(world, Need) == ["approved", "approved"]

    with world.store.session() as s:
        need = s.exec(select(Need.id).order_by(col(Need.id))).first() or 0
    [refused] = await world.command_and_wait("UADMIN", CHANNEL, f"hide need {need}")
    assert refused.startswith("Say why it is hidden")
    assert _status(world, Need)[0] == "approved"
    await world.command_and_wait("UADMIN", CHANNEL, f"hide need {need} spam")
    assert _status(world, Need)[0] == "hidden"
    [back] = await world.command_and_wait("UADMIN", CHANNEL, f"unhide need {need}")
    assert "waits for review again" in back
    assert _status(world, Need)[0] == "pending"

    with world.store.session() as s:
        actions = [r.action for r in s.exec(select(AuditLog).order_by(col(AuditLog.id))).all()]
    assert actions.count("moderation.approve_all") == 1
    assert "moderation.hide" in actions and "moderation.unhide" in actions
