"""``!theme rename`` and ``!theme move``: moderators correct the themes, audited.

Both are kept in the database and applied at every re-clustering, so a rename or a
pinned need survives the next digest. Renaming again replaces the label; moving again
re-pins the need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import MODERATION, STAFF, Ctx, in_worker
from flows.text import Literal, Msg
from storage import moderation, theme_overrides
from storage.audit import audit
from storage.moderation import UnknownItem

USAGE = "!theme rename THEME LABEL, !theme move need|requirement ID THEME"
#: Theme ids as the digest shows them: ``t-<domain>-<n>``.
THEME_ID = re.compile(r"^t-[a-z_]+-\d+$")
#: How a moved contribution is keyed in the synthesis.
KEY_PREFIX = {"need": "need", "requirement": "req"}
LABEL_CHARS = 80


@dataclass(frozen=True)
class ThemeArgs:
    """A rename (``theme``, ``label``) or a move (``kind``, ``item_id``, ``theme``)."""

    action: str
    theme: str
    label: str = ""
    kind: str = ""
    item_id: int = 0


def theme_id(token: str) -> str:
    """A theme id such as ``t-mobility-1``."""
    if THEME_ID.match(token.strip().lower()):
        return token.strip().lower()
    raise BadArgument.invalid(
        "theme", token, Msg("staff.valid_theme"), english=f"{token!r} is not a theme id"
    )


def theme_args(typed: StaffCommand) -> ThemeArgs:
    """``rename THEME LABEL…`` or ``move need|requirement ID THEME``."""
    if not typed.args:
        raise BadArgument.missing("action")
    action = conv.choice("action", typed.args[0], conv.options(("rename", "move")))
    if action == "rename":
        if len(typed.args) < 3:
            raise BadArgument.missing("label" if len(typed.args) == 2 else "theme")
        label = " ".join(typed.args[2:]).strip()[:LABEL_CHARS]
        return ThemeArgs("rename", theme_id(typed.args[1]), label=label)
    if len(typed.args) < 4:
        raise BadArgument.missing(("kind", "id", "theme")[max(0, len(typed.args) - 1)])
    kind = conv.choice("kind", typed.args[1], conv.options(KEY_PREFIX))
    return ThemeArgs(
        "move", theme_id(typed.args[3]), kind=kind, item_id=conv.item_number(typed.args[2])
    )


@STAFF.command("theme", roles=MODERATION, usage=USAGE, parse=theme_args)
@in_worker
def theme(x: Ctx, args: ThemeArgs) -> list[str]:
    """Rename a theme, or pin a need or requirement to a theme."""
    with x.store.session() as session:
        if args.action == "rename":
            before = theme_overrides.rename(
                session, x.ws.id, args.theme, args.label, x.actor, x.now
            )
            detail = {"theme": args.theme, "label": args.label, "before": before or ""}
            audit(session, x.ws.id, x.actor, "theme.rename", detail, x.now)
            return [x.t("staff.theme_renamed", theme=args.theme, label=Literal(args.label))]
        try:
            moderation.item_texts(session, x.ws.id, args.kind, args.item_id)
        except UnknownItem:
            return [x.t("staff.unknown_item", kind=Literal(args.kind), id=args.item_id)]
        key = f"{KEY_PREFIX[args.kind]}:{args.item_id}"
        before = theme_overrides.move(session, x.ws.id, key, args.theme, x.actor, x.now)
        detail = {"item": key, "theme": args.theme, "before": before or ""}
        audit(session, x.ws.id, x.actor, "theme.move", detail, x.now)
    return [x.t("staff.theme_moved", kind=args.kind, id=args.item_id, theme=args.theme)]
