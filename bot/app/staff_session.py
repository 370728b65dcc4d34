"""A staff member's own session (``cityneeds chat --admin``): it opens at the staff desk.

Staff run the workshop; they are not asked for a citizen's consent when they sit
down. The session answers ``!`` commands from the first line; a staff member who
also wants to answer the workshop says ``join``, and from then on their plain
lines are a participant's, as anyone else's. While they ``!assist`` a resident,
their plain lines are the resident's (:mod:`bot.app.assist_sessions`).
"""

from __future__ import annotations

from dataclasses import replace

from bot.app.events import InboundEvent, RouterResponse
from bot.app.opening import initial_locale
from bot.app.router import Router
from bot.app.staff.parse import is_staff_text
from flows.commands import Command, parse_command
from flows.kinds import Role
from flows.messages import ReplyKind
from flows.render import RenderedReply
from flows.text import Literal, Msg
from storage import roles, workshops

#: Roles whose sessions open at the staff desk even without ``--admin``.
STAFF_ROLES = frozenset({Role.FACILITATOR, Role.MODERATOR})


def is_staff_session(router: Router, event: InboundEvent) -> bool:
    """Whether ``event``'s sender starts at the desk: the install's admin, or staff already."""
    if event.is_platform_admin:
        return True
    with router.store.session() as session:
        ws = workshops.find_workshop(session, event.workshop)
        if ws is None:
            return False
        role, _ = roles.role_of(session, ws.id, router.pseudonym_for(event.platform, event.user_id))
    return role in STAFF_ROLES


class StaffSession:
    """One staff member's console session: the desk first, the workshop after ``join``.

    Args:
        router: The router (its staff desk answers ``!`` lines).
        base: The session's event (platform, user, workshop, locale, admin flag).
    """

    def __init__(self, router: Router, base: InboundEvent) -> None:
        self.router = router
        self.base = base
        self.joined = False

    def start(self) -> RouterResponse:
        """The desk's greeting (no consent prompt, no participant row)."""
        return self._say("staff.desk_welcome")

    def handle(self, text: str) -> RouterResponse:
        """One typed line: a staff command, ``join``, or (after ``join``) an answer."""
        event = replace(self.base, text=text)
        if self.joined or is_staff_text(text) or self.router.assisting_now(event) is not None:
            return self.router.handle_sync(event)
        parsed = parse_command(text, self.router.core.catalogs)
        if parsed is not None and parsed.command == Command.JOIN:
            self.joined = True
            return self.router.handle_sync(event, start=True)
        return self._say("staff.desk_hint")

    def _say(self, msg_id: str) -> RouterResponse:
        catalogs = self.router.core.catalogs
        locale = self._locale()
        text = catalogs.render(Msg(msg_id, {"workshop": Literal(self.base.workshop)}), locale)
        return RouterResponse(
            replies=[RenderedReply(text=text, kind=ReplyKind.INFO, body=text)], locale=locale
        )

    def _locale(self) -> str:
        return initial_locale(self.base.locale or "en", self.router.core.catalogs.locales, "en")
