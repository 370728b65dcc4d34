"""``!help``: the staff commands this person may run, generated from the registry."""

from __future__ import annotations

from bot.app.staff.registry import MODERATION, STAFF, Ctx, NoArgs, in_worker, no_args
from storage import roles


@STAFF.command("help", roles=MODERATION, usage="!help", parse=no_args)
@in_worker
def help_command(x: Ctx, args: NoArgs) -> list[str]:
    """The usage line of every command the asker's role may run."""
    with x.store.session() as session:
        role, _ = roles.role_of(session, x.ws.id, x.actor)
    return ["\n".join([x.t("staff.help_header"), *STAFF.help_lines(role)])]
