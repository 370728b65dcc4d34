"""``!digest``: moderators draft, approve, skip or annotate the waiting digest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as Choice
from zoneinfo import ZoneInfo

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import MODERATION, STAFF, Ctx
from storage import digests

DigestAction = Choice["draft", "approve", "skip", "note"]
ACTIONS: dict[str, DigestAction] = {
    "draft": "draft",
    "approve": "approve",
    "skip": "skip",
    "note": "note",
}


@dataclass(frozen=True)
class DigestArgs:
    """What to do with the latest draft; ``note`` is the text for ``note``."""

    action: DigestAction
    note: str = ""


def digest_args(typed: StaffCommand) -> DigestArgs:
    """``draft``, ``approve``, ``skip`` or ``note TEXT``."""
    if not typed.args:
        raise BadArgument.missing("action")
    return DigestArgs(conv.choice("action", typed.args[0], ACTIONS), " ".join(typed.args[1:]))


@STAFF.command(
    "digest", roles=MODERATION, usage="!digest draft|approve|skip|note TEXT", parse=digest_args
)
async def digest(x: Ctx, args: DigestArgs) -> list[str]:
    """Act on the latest draft (``draft`` makes one now for the moderators' channel)."""
    service = x.services.digests
    if service is None:
        return [x.usage("!digest draft|approve|skip|note TEXT")]
    if args.action == "draft":
        period = x.now.astimezone(ZoneInfo(x.ws.timezone)).date().isoformat() + "-manual"
        await service.open_period(x.ws.id, period)
    with x.store.session() as session:
        draft = digests.latest_draft(session, x.ws.id)
    if draft is None:
        return [x.t("staff.digest_none")]
    if args.action == "draft":
        return []  # the draft went to the moderators' channel
    if args.action == "approve":
        await service.approve(draft.id, x.actor)
        return [x.t("staff.digest_posted", period=draft.period)]
    with x.store.session() as session:
        if args.action == "skip":
            digests.skip(session, draft.id, x.actor, x.now)
            return [x.t("staff.digest_skipped", period=draft.period)]
        digests.edit(session, draft.id, args.note, x.actor, x.now)
    return [x.t("staff.digest_noted", period=draft.period)]
