"""``!actors``, ``!merge``, ``!split``, ``!rename``: moderators decide which names are one actor.

Each decision is kept (``storage.actor_decisions``) and audited, and every digest,
export and picture reads actors through ``bot.digest.actors``, so a merge shows
everywhere at once. ``!split`` undoes merges (the rows stay, revoked) and keeps the
two apart from then on; a new ``!rename`` replaces the old one, and renaming an actor
back to its own name drops the rename. The same works for requirement modules.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.app.staff.actor_args import (
    STAKEHOLDER,
    NameArgs,
    merge_args,
    rename_args,
    split_args,
)
from bot.app.staff.registry import MODERATION, STAFF, Ctx, NoArgs, in_worker, no_args
from bot.digest.actor_suggestions import NameEncoder, Suggestion, suggestions
from bot.digest.actors import Actor, ActorView, Module, resolve
from flows.actor_names import actor_key, module_key
from flows.snapshot import ActorDecisionRow, WorkshopSnapshot
from flows.text import Literal, Msg
from storage import actor_decisions as decisions
from storage.audit import audit

log = logging.getLogger(__name__)

MERGE_USAGE = '!merge stakeholder|module "A" "B" (A joins B), !merge suggestions'
SPLIT_USAGE = '!split stakeholder|module "NAME"'
RENAME_USAGE = '!rename stakeholder|module "NAME" "NEW NAME"'
#: How many actors ``!actors`` lists.
LISTED = 15

Item = Actor | Module


def _encoder() -> NameEncoder | None:
    """The multilingual sentence encoder when its wheel loads here (offline), else ``None``."""
    try:
        from bot.synthesis.encoder import SentenceEncoder

        encoder = SentenceEncoder()
        encoder.load()
    except Exception:  # any failure of an optional model: the shipped list still works
        log.info("merge suggestions without the sentence encoder", exc_info=True)
        return None
    return encoder


def _suggested(snap: WorkshopSnapshot) -> tuple[ActorView, list[Suggestion]]:
    view = resolve(snap)
    return view, suggestions(view, _encoder())


def _find(view: ActorView, kind: str, name: str) -> Item | None:
    return view.find_actor(name) if kind == STAKEHOLDER else view.find_module(name)


def _key(kind: str, name: str) -> str:
    return actor_key(name) if kind == STAKEHOLDER else module_key(name)


def _pick(view: ActorView, args: NameArgs, parts: int, known: int) -> tuple[str, ...]:
    """The reading of the arguments whose first ``known`` names are actors (or modules)."""
    readings = args.splits(parts)
    for least in range(known, 0, -1):  # else the reading that names the most, from the left
        for names in readings:
            if all(_find(view, args.kind, n) is not None for n in names[:least]):
                return names
    return readings[0]


def _suggestion_lines(x: Ctx, found: Sequence[Suggestion]) -> list[str]:
    if not found:
        return [x.t("staff.merge_none")]
    lines = [x.t("staff.merge_suggestions")]
    for number, s in enumerate(found, start=1):
        lines.append(
            x.t(
                "staff.merge_suggestion",
                number=number,
                first=Literal(s.first_name),
                second=Literal(s.second_name),
                reason=Msg(f"staff.merge_reason.{s.reason}"),
                command=Literal(f'!merge {s.kind} "{s.first_name}" "{s.second_name}"'),
            )
        )
    return lines


@STAFF.command("actors", roles=MODERATION, usage="!actors", parse=no_args)
@in_worker
def actors(x: Ctx, args: NoArgs) -> list[str]:
    """The workshop's actors, most named first, and the merges worth a look."""
    snap = x.store.snapshot(x.ws.id)
    view, found = _suggested(snap)
    if not view.actors:
        return [x.t("staff.actors_none")]
    lines = [x.t("staff.actors_header", count=len(view.actors))]
    for number, actor in enumerate(view.actors[:LISTED], start=1):
        others = [n for n in actor.names if n != actor.name]
        lines.append(
            x.t(
                "staff.actors_line",
                number=number,
                name=Literal(actor.name),
                mentions=Msg("count.mentions", {"count": actor.mentions}),
                scenarios=Msg("count.scenarios", {"count": len(actor.parts)}),
            )
            + (x.t("staff.actors_spellings", names=Literal("; ".join(others))) if others else "")
        )
    if len(view.actors) > LISTED:
        lines.append(x.t("staff.actors_more", count=len(view.actors) - LISTED))
    return ["\n".join(lines + _suggestion_lines(x, found))]


@STAFF.command("merge", roles=MODERATION, usage=MERGE_USAGE, parse=merge_args)
@in_worker
def merge(x: Ctx, args: NameArgs) -> list[str]:
    """Merge actor (or module) A into B: one node, one point, one row from now on."""
    if args.suggestions:
        snap = x.store.snapshot(x.ws.id)
        _, found = _suggested(snap)
        return ["\n".join(_suggestion_lines(x, found))]
    snap = x.store.snapshot(x.ws.id)
    view = resolve(snap)
    first_name, second_name = _pick(view, args, 2, 2)
    first, second = _find(view, args.kind, first_name), _find(view, args.kind, second_name)
    for typed, item in ((first_name, first), (second_name, second)):
        if item is None:
            return [_unknown(x, args.kind, typed)]
    assert first is not None and second is not None
    if first.id == second.id:
        return [x.t("staff.merge_same", name=Literal(first.name))]
    apart = [
        d.id
        for d in snap.actor_decisions
        if d.kind == args.kind
        and d.action == decisions.APART
        and {d.subject, d.value} & set(first.keys)
        and {d.subject, d.value} & set(second.keys)
    ]
    with x.store.session() as session:
        decisions.revoke(session, x.ws.id, apart, x.actor, x.now)
        decision = decisions.record(
            session, x.ws.id, args.kind, decisions.MERGE, first.id, second.id, x.actor, x.now
        )
        detail = {
            "kind": args.kind,
            "name": first.name,
            "into": second.name,
            "decision": decision,
        }
        audit(session, x.ws.id, x.actor, "actor.merge", detail, x.now)
    return [
        x.t(
            "staff.merged",
            name=Literal(first.name),
            into=Literal(second.name),
            command=Literal(f'!split {args.kind} "{first.name}"'),
        )
    ]


def _group_merges(
    rows: Sequence[ActorDecisionRow], kind: str, item: Item, key: str
) -> list[ActorDecisionRow]:
    """The merges that make ``item``: the one of ``key`` alone if ``key`` was merged in."""
    merges = [d for d in rows if d.kind == kind and d.action == decisions.MERGE]
    direct = [d for d in merges if d.subject == key and d.subject != item.id]
    if direct:
        return direct
    members = {item.id, *item.keys}
    group: list[ActorDecisionRow] = []
    changed = True
    while changed:
        changed = False
        for d in merges:
            if d not in group and (d.subject in members or d.value in members):
                group.append(d)
                members.update((d.subject, d.value))
                changed = True
    return group


@STAFF.command("split", roles=MODERATION, usage=SPLIT_USAGE, parse=split_args)
@in_worker
def split(x: Ctx, args: NameArgs) -> list[str]:
    """Undo merges: the name stands on its own again, and is not suggested again."""
    snap = x.store.snapshot(x.ws.id)
    view = resolve(snap)
    (name,) = args.splits(1)[0]
    item = _find(view, args.kind, name)
    if item is None:
        return [_unknown(x, args.kind, name)]
    undone = _group_merges(snap.actor_decisions, args.kind, item, _key(args.kind, name))
    if not undone:
        return [x.t("staff.split_nothing", name=Literal(item.name))]
    with x.store.session() as session:
        decisions.revoke(session, x.ws.id, [d.id for d in undone], x.actor, x.now)
        for d in undone:
            decisions.record(
                session, x.ws.id, args.kind, decisions.APART, d.subject, d.value, x.actor, x.now
            )
        detail = {
            "kind": args.kind,
            "name": item.name,
            "undone": [d.id for d in undone],
            "pairs": [[d.subject, d.value] for d in undone],
        }
        audit(session, x.ws.id, x.actor, "actor.split", detail, x.now)
    after = resolve(x.store.snapshot(x.ws.id))
    names = sorted(
        {
            found.name
            for d in undone
            for key in (d.subject, d.value)
            if (found := _by_key(after, args.kind, key)) is not None
        },
        key=str.casefold,
    )
    return [x.t("staff.split", names=Literal(" · ".join(names)))]


def _by_key(view: ActorView, kind: str, key: str) -> Item | None:
    items: Sequence[Item] = view.actors if kind == STAKEHOLDER else view.modules
    return next((i for i in items if key in i.keys or i.id == key), None)


@STAFF.command("rename", roles=MODERATION, usage=RENAME_USAGE, parse=rename_args)
@in_worker
def rename(x: Ctx, args: NameArgs) -> list[str]:
    """Show an actor (or module) under another name; its own name again drops the rename."""
    snap = x.store.snapshot(x.ws.id)
    view = resolve(snap)
    name, new = _pick(view, args, 2, 1)
    item = _find(view, args.kind, name)
    if item is None:
        return [_unknown(x, args.kind, name)]
    members = {item.id, *item.keys}
    before = [
        d.id
        for d in snap.actor_decisions
        if d.kind == args.kind and d.action == decisions.RENAME and d.subject in members
    ]
    own = _key(args.kind, new) == _key(args.kind, item.names[0])
    with x.store.session() as session:
        decisions.revoke(session, x.ws.id, before, x.actor, x.now)
        if not own:
            decisions.record(
                session, x.ws.id, args.kind, decisions.RENAME, item.id, new, x.actor, x.now
            )
        detail = {"kind": args.kind, "before": item.name, "after": new, "undone": before}
        audit(session, x.ws.id, x.actor, "actor.rename", detail, x.now)
    return [x.t("staff.renamed", before=Literal(item.name), after=Literal(new))]


def _unknown(x: Ctx, kind: str, name: str) -> str:
    return x.t("staff.actor_unknown", kind=Msg(f"staff.actor_kind.{kind}"), name=Literal(name))
