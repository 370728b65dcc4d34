"""``!queue``, ``!approve``, ``!hide`` and ``!redact``: moderators review contributions."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import MODERATION, STAFF, Ctx, NoArgs, no_args
from bot.digest.split import truncate
from flows.kinds import Status
from flows.pii import find_personal_data, redact
from flows.text import Literal
from storage import moderation
from storage.moderation import UnknownItem

ITEM_USAGE = "need|stakeholder|requirement ID"


@dataclass(frozen=True)
class ItemArgs:
    """One contribution (``need 12``), and why (for ``!hide``)."""

    kind: str
    item_id: int
    reason: str | None = None


def item_kind(token: str) -> str:
    """``need``, ``stakeholder`` or ``requirement``."""
    return conv.choice("kind", token, conv.options(moderation.ITEM_TABLES))


def item_args(typed: StaffCommand) -> ItemArgs:
    """``KIND ID [REASON…]``."""
    if len(typed.args) < 2:
        raise BadArgument.missing("id" if typed.args else "kind")
    return ItemArgs(
        item_kind(typed.args[0]), conv.item_number(typed.args[1]), typed.rest.strip() or None
    )


@STAFF.command("queue", roles=MODERATION, usage="!queue", parse=no_args)
async def queue(x: Ctx, args: NoArgs) -> list[str]:
    """What waits for review, and approved items that hold personal data."""
    with x.store.session() as session:
        items = moderation.queue(session, x.ws.id, status=Status.PENDING)
        approved = moderation.queue(session, x.ws.id, status=Status.APPROVED, limit=200)
    flagged = [i for i in approved if any(find_personal_data(t) for t in i.texts.values())]
    items = items + flagged[: max(0, 20 - len(items))]
    if not items:
        return [x.t("staff.queue_empty")]
    lines = [x.t("staff.queue_header", count=len(items))]
    for item in items:
        text = " / ".join(item.texts.values())
        lines.append(
            x.t("staff.queue_item", kind=item.kind, id=item.id, text=Literal(_short(text)))
        )
        kinds = sorted({f.kind for t in item.texts.values() for f in find_personal_data(t)})
        if kinds:
            lines.append(x.t("staff.queue_pii", kinds=", ".join(kinds), kind=item.kind, id=item.id))
    return lines


@STAFF.command("approve", roles=MODERATION, usage=f"!approve {ITEM_USAGE}", parse=item_args)
async def approve(x: Ctx, args: ItemArgs) -> list[str]:
    """Let a contribution into digests and exports."""
    return _moderate(x, args, Status.APPROVED, "staff.approved")


@STAFF.command("hide", roles=MODERATION, usage=f"!hide {ITEM_USAGE} REASON", parse=item_args)
async def hide(x: Ctx, args: ItemArgs) -> list[str]:
    """Keep a contribution out of digests and exports."""
    return _moderate(x, args, Status.HIDDEN, "staff.hidden")


def _moderate(x: Ctx, args: ItemArgs, status: Status, reply: str) -> list[str]:
    try:
        with x.store.session() as session:
            moderation.set_status(
                session,
                x.ws.id,
                args.kind,
                args.item_id,
                status=status,
                moderator_id=x.moderator_id,
                actor=x.actor,
                reason=args.reason,
                now=x.now,
            )
    except UnknownItem:
        return [x.t("staff.unknown_item", kind=Literal(args.kind), id=args.item_id)]
    return [x.t(reply, kind=args.kind, id=args.item_id)]


@STAFF.command("redact", roles=MODERATION, usage=f"!redact {ITEM_USAGE}", parse=item_args)
async def redact_item(x: Ctx, args: ItemArgs) -> list[str]:
    """Remove e-mail addresses and phone numbers from a contribution."""
    kind, item_id = args.kind, args.item_id
    try:
        with x.store.session() as session:
            texts = moderation.item_texts(session, x.ws.id, kind, item_id)
            replacements: dict[str, str] = {}
            found: set[str] = set()
            for column, text in texts.items():
                findings = find_personal_data(text)
                if findings:
                    replacements[column] = redact(text, findings)
                    found.update(f.kind for f in findings)
            if not replacements:
                return [x.t("staff.nothing_to_redact", kind=kind, id=item_id)]
            moderation.redact(
                session,
                x.ws.id,
                kind,
                item_id,
                replacements=replacements,
                moderator_id=x.moderator_id,
                actor=x.actor,
                what=sorted(found),
                now=x.now,
            )
    except UnknownItem:
        return [x.t("staff.unknown_item", kind=Literal(kind), id=item_id)]
    return [x.t("staff.redacted", what=", ".join(sorted(found)), kind=kind, id=item_id)]


def _short(text: str, limit: int = 200) -> str:
    return truncate(" ".join(text.split()), limit)
