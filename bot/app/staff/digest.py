"""``!digest``: moderators draft, approve, skip or annotate the waiting digest."""

from __future__ import annotations

import asyncio
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
    """Act on the waiting draft; ``draft`` and ``approve`` first draft it again if the data changed.

    ``draft`` sends the digest as it would be posted now to the moderators (making
    one when none waits); ``approve`` posts exactly the draft that was shown, and
    when the data changed since, sends the new draft instead of posting.
    """
    service = x.services.digests
    if service is None:
        return [x.usage("!digest draft|approve|skip|note TEXT")]
    if args.action in ("draft", "approve"):
        period = x.now.astimezone(ZoneInfo(x.ws.timezone)).date().isoformat() + "-manual"
        fresh = await service.current_draft(x.ws.id, period, x.actor, create=args.action == "draft")
        if fresh is None:
            return [x.t("staff.digest_none")]
        if args.action == "draft":
            said = [x.t("staff.digest_redrafted", period=fresh.row.period)]
            # The draft goes where drafts are reviewed (the moderators' channel, or staff DMs).
            text = "\n".join([*said, fresh.text]) if fresh.redrafted else fresh.text
            await service.poster.send_to_moderators(x.ws, text)
            return []
        if fresh.redrafted:  # what was shown is not what would go out: show it first
            changed = x.t("staff.digest_changed", period=fresh.row.period)
            await service.poster.send_to_moderators(x.ws, f"{changed}\n{fresh.text}")
            return [changed]
        await service.approve(fresh.row.id, x.actor)
        return [x.t("staff.digest_posted", period=fresh.row.period)]
    return await asyncio.to_thread(_skip_or_note, x, args)


def _skip_or_note(x: Ctx, args: DigestArgs) -> list[str]:
    """Skip the waiting draft, or add the moderator's note to it (on a worker thread)."""
    with x.store.session() as session:
        draft = digests.latest_draft(session, x.ws.id)
        if draft is None:
            return [x.t("staff.digest_none")]
        if args.action == "skip":
            digests.skip(session, draft.id, x.actor, x.now)
            return [x.t("staff.digest_skipped", period=draft.period)]
        digests.edit(session, draft.id, args.note, x.actor, x.now)
    return [x.t("staff.digest_noted", period=draft.period)]
