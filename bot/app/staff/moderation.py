"""``!queue``, ``!approve``, ``!hide``, ``!unhide``, ``!redact``: moderators review items."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import MODERATION, STAFF, Ctx, NoArgs, in_worker, no_args
from bot.digest.split import truncate
from flows.kinds import Status
from flows.pii import find_personal_data, redact
from flows.text import Listing, Literal, Msg
from storage import moderation
from storage.moderation import Moderated, NotHidden, QueueItem, UnknownItem

ITEM_USAGE = "need|stakeholder|link|requirement ID"
APPROVE_USAGE = f"!approve {ITEM_USAGE}, !approve all [KIND]"
#: How many items ``!queue`` lists at once.
QUEUE_LIMIT = 20


@dataclass(frozen=True)
class ItemArgs:
    """One contribution (``need 12``), and why (for ``!hide``)."""

    kind: str
    item_id: int
    reason: str | None = None


@dataclass(frozen=True)
class ApproveAll:
    """``!approve all [KIND] [confirm CODE]``: every pending item (of one kind).

    Attributes:
        kinds: The kinds to approve (all of them when none was named).
        kind: The kind as typed, for the confirmation line (``""``: every kind).
        code: The confirmation code shown with the count; ``None`` asks for it.
    """

    kinds: tuple[str, ...]
    kind: str = ""
    code: str | None = None


def item_kind(token: str) -> str:
    """``need``, ``stakeholder``, ``link`` or ``requirement``."""
    return conv.choice("kind", token, conv.options(moderation.ITEM_TABLES))


def item_args(typed: StaffCommand) -> ItemArgs:
    """``KIND ID [REASON…]``."""
    if len(typed.args) < 2:
        raise BadArgument.missing("id" if typed.args else "kind")
    return ItemArgs(
        item_kind(typed.args[0]), conv.item_number(typed.args[1]), typed.rest.strip() or None
    )


def hide_args(typed: StaffCommand) -> ItemArgs:
    """``KIND ID REASON…``: the reason is required (it goes into the audit log)."""
    return with_reason(item_args(typed))


def with_reason(args: ItemArgs) -> ItemArgs:
    """``args`` if they give a reason (blank is none).

    Raises:
        BadArgument: No reason.
    """
    reason = " ".join((args.reason or "").split())
    if not reason:
        raise BadArgument("reason", "", Msg("staff.hide_reason_missing"))
    return ItemArgs(args.kind, args.item_id, reason)


def approve_all_args(kind: str | None, code: str | None) -> ApproveAll:
    """The bulk approval of ``kind`` (every kind when ``None``), confirmed by ``code``."""
    if kind is None:
        return ApproveAll(tuple(moderation.ITEM_TABLES), "", code)
    named = item_kind(kind)
    return ApproveAll((named,), named, code)


def approve_args(typed: StaffCommand) -> ItemArgs | ApproveAll:
    """``KIND ID`` or ``all [KIND] [confirm CODE]``."""
    if not typed.args or typed.args[0].casefold() != "all":
        return item_args(typed)
    rest = list(typed.args[1:])
    code: str | None = None
    if len(rest) >= 2 and rest[-2].casefold() == "confirm":
        code = rest[-1].casefold()
        rest = rest[:-2]
    if len(rest) > 1:
        raise BadArgument.missing("kind")
    return approve_all_args(rest[0] if rest else None, code)


@STAFF.command("queue", roles=MODERATION, usage="!queue", parse=no_args)
@in_worker
def queue(x: Ctx, args: NoArgs) -> list[str]:
    """What waits for review, and approved items that hold personal data."""
    with x.store.session() as session:
        items = moderation.queue(session, x.ws.id, status=Status.PENDING, limit=QUEUE_LIMIT)
        waiting = sum(moderation.counts(session, x.ws.id).values())
        approved = moderation.queue(session, x.ws.id, status=Status.APPROVED, limit=200)
    flagged = [i for i in approved if any(find_personal_data(t) for t in i.texts.values())]
    items = items + flagged[: max(0, QUEUE_LIMIT - len(items))]
    if not items:
        return [x.t("staff.queue_empty")]
    lines = [x.t("staff.queue_header", count=waiting)]
    for item in items:
        lines.extend(_queue_lines(x, item))
    pending_shown = sum(1 for i in items if i.status == Status.PENDING)
    if waiting > pending_shown:
        lines.append(x.t("staff.queue_more", count=waiting - pending_shown))
    return lines


def _queue_lines(x: Ctx, item: QueueItem) -> list[str]:
    if item.ends is not None:
        source, target = item.ends
        line = x.t(
            "staff.queue_link",
            id=item.id,
            source=Literal(_short(source.name, 80)),
            source_id=source.id,
            relation=Msg(f"relation.{item.relation}"),
            target=Literal(_short(target.name, 80)),
            target_id=target.id,
        )
        lines = [line]
        for end in item.ends:
            if end.status == Status.PENDING:
                lines.append(x.t("staff.link_waits", link=item.id, stakeholder=end.id))
        return lines
    text = " / ".join(item.texts.values())
    lines = [x.t("staff.queue_item", kind=item.kind, id=item.id, text=Literal(_short(text)))]
    kinds = sorted({f.kind for t in item.texts.values() for f in find_personal_data(t)})
    if kinds:
        lines.append(x.t("staff.queue_pii", kinds=", ".join(kinds), kind=item.kind, id=item.id))
    return lines


@STAFF.command("approve", roles=MODERATION, usage=APPROVE_USAGE, parse=approve_args)
@in_worker
def approve(x: Ctx, args: ItemArgs | ApproveAll) -> list[str]:
    """Let a contribution (or, confirmed, every waiting one) into digests and exports."""
    if isinstance(args, ApproveAll):
        return _approve_all(x, args)
    return _moderate(x, args, Status.APPROVED, "staff.approved")


@STAFF.command("hide", roles=MODERATION, usage=f"!hide {ITEM_USAGE} REASON", parse=hide_args)
@in_worker
def hide(x: Ctx, args: ItemArgs) -> list[str]:
    """Keep a contribution out of digests and exports; the reason is audited."""
    return _moderate(x, args, Status.HIDDEN, "staff.hidden")


@STAFF.command("unhide", roles=MODERATION, usage=f"!unhide {ITEM_USAGE}", parse=item_args)
@in_worker
def unhide(x: Ctx, args: ItemArgs) -> list[str]:
    """Bring a hidden contribution back: to the queue under pre-moderation, else shown."""
    to = Status.PENDING if x.ws.moderation == "pre" else Status.APPROVED
    try:
        with x.store.session() as session:
            moderation.unhide(
                session,
                x.ws.id,
                args.kind,
                args.item_id,
                to=to,
                moderator_id=x.moderator_id,
                actor=x.actor,
                now=x.now,
            )
    except UnknownItem:
        return [x.t("staff.unknown_item", kind=Literal(args.kind), id=args.item_id)]
    except NotHidden:
        return [x.t("staff.not_hidden", kind=args.kind, id=args.item_id)]
    return [x.t(f"staff.unhidden_{to.value}", kind=args.kind, id=args.item_id)]


def _moderate(x: Ctx, args: ItemArgs, status: Status, reply: str) -> list[str]:
    try:
        with x.store.session() as session:
            done = moderation.set_status(
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
    return [x.t(reply, kind=args.kind, id=args.item_id), *_link_lines(x, done)]


def _link_lines(x: Ctx, done: Moderated) -> list[str]:
    lines: list[str] = []
    if done.links_approved:
        ids = Listing(tuple(Literal(str(i)) for i in done.links_approved))
        lines.append(x.t("staff.links_approved_with", ids=ids))
    lines.extend(
        x.t("staff.link_waits", link=link, stakeholder=end) for link, end in done.links_waiting
    )
    return lines


def _approve_all(x: Ctx, args: ApproveAll) -> list[str]:
    with x.store.session() as session:
        keys = moderation.pending_keys(session, x.ws.id, args.kinds)
        if not keys:
            return [x.t("staff.approve_all_none")]
        code = moderation.confirmation_code(keys)
        if args.code != code:
            lines = [x.t("staff.approve_all_changed")] if args.code else []
            command = " ".join(p for p in ("!approve all", args.kind, "confirm", code) if p)
            ask = x.t(
                "staff.approve_all_ask",
                count=len(keys),
                detail=_detail(keys),
                command=Literal(command),
            )
            return [*lines, ask]
        done = moderation.approve_many(
            session, x.ws.id, keys, moderator_id=x.moderator_id, actor=x.actor, now=x.now
        )
    # Links approved with their stakeholders count too: every listed item is approved now.
    return [x.t("staff.approve_all_done", count=max(done, len(keys)), detail=_detail(keys))]


def _detail(keys: list[tuple[str, int]]) -> Listing:
    per_kind: dict[str, int] = {}
    for kind, _ in keys:
        per_kind[kind] = per_kind.get(kind, 0) + 1
    return Listing(tuple(Literal(f"{kind} {n}") for kind, n in per_kind.items()))


@STAFF.command("redact", roles=MODERATION, usage=f"!redact {ITEM_USAGE}", parse=item_args)
@in_worker
def redact_item(x: Ctx, args: ItemArgs) -> list[str]:
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
