"""``!role``: who is a facilitator, a moderator or a citizen."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument, UserRef
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import FACILITATOR, STAFF, Ctx, in_worker
from flows.kinds import Role
from flows.text import Literal
from storage import roles
from storage.audit import audit

#: Roles as a facilitator names them, most powerful first.
ROLE_CHOICES = (Role.FACILITATOR, Role.MODERATOR, Role.CITIZEN)


@dataclass(frozen=True)
class RoleArgs:
    """Give ``user`` the role ``role``."""

    user: UserRef
    role: Role


def role_args(typed: StaffCommand) -> RoleArgs:
    """``USER ROLE`` (a mention or an id, then a role)."""
    if len(typed.args) < 2:
        raise BadArgument.missing("role" if typed.args else "user")
    return RoleArgs(
        conv.user(typed.args[0]), conv.choice("role", typed.args[1], conv.options(ROLE_CHOICES))
    )


@STAFF.command(
    "role", roles=FACILITATOR, usage="!role USER facilitator|moderator|citizen", parse=role_args
)
@in_worker
def set_role(x: Ctx, args: RoleArgs) -> list[str]:
    """Set somebody's role in this workshop."""
    with x.store.session() as session:
        pseudo = x.services.pseudonym(x.platform, args.user.user_id)
        roles.set_role(session, x.ws.id, pseudo, x.platform, args.role, x.now)
        detail = {"participant": pseudo, "role": args.role.value}
        audit(session, x.ws.id, x.actor, "role.set", detail, x.now)
    return [x.t("staff.role_set", user=Literal(args.user.shown), role=args.role.value)]
