"""``!assist``: type a resident's answers in from chat (a library desk, a phone call).

``!assist LABEL [spoken|paper]`` opens assisted entry for a new pseudonymous resident,
``!assist CODE`` (or ``!assist resume CODE``) opens an earlier one again by the
reference code, ``!assist end`` (or ``done``) stops. Meanwhile the staff member's
plain lines in their direct messages with the bot are the resident's turns
(:mod:`bot.app.assist_sessions`).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from enum import StrEnum

from bot.app import assisted
from bot.app.assist_sessions import AssistSessions
from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import MODERATION, STAFF, Ctx, ResidentStart
from flows.text import Literal, Msg
from storage.audit import audit

USAGE = '!assist "LABEL" [spoken|paper], !assist resume CODE, !assist end'
_ENDS = ("end", "done", "stop")
_QUOTES = {'"': '"', "“": "”", "'": "'", "«": "»", "„": "“"}
_CONSENT = re.compile(r"^(.*?)\s*\bconsent\s*[:=]?\s*(\S*)\s*$", re.I | re.S)


class AssistAction(StrEnum):
    """What ``!assist`` does."""

    OPEN = "open"
    RESUME = "resume"
    END = "end"


@dataclass(frozen=True)
class AssistArgs:
    """The arguments of ``!assist``.

    Attributes:
        action: Open a new resident, resume one by code, or end.
        label: How the staff member names the session (``OPEN``).
        consent: ``spoken`` or ``paper`` (``OPEN``).
        code: The reference code as typed (``RESUME``).
    """

    action: AssistAction
    label: str = ""
    consent: str = "spoken"
    code: str = ""


def consent_mode(token: str) -> str:
    """``spoken`` or ``paper`` (any case).

    Raises:
        BadArgument: Anything else; the reply names the valid values.
    """
    return conv.choice("consent", token, conv.options(assisted.CONSENT_MODES))


def open_args(label: str, consent: str | None) -> AssistArgs:
    """The arguments for a new resident (the Discord options build them the same way).

    Raises:
        BadArgument: No label, or a consent other than ``spoken``/``paper``.
    """
    shown = " ".join(label.split())
    if not shown:
        raise BadArgument.missing("label")
    mode = "spoken" if consent is None or not consent.strip() else consent_mode(consent)
    return AssistArgs(AssistAction.OPEN, label=shown, consent=mode)


def resume_args(code: str) -> AssistArgs:
    """The arguments for resuming a resident by code.

    Raises:
        BadArgument: No code given.
    """
    if not code.strip():
        raise BadArgument.missing("code")
    return AssistArgs(AssistAction.RESUME, code=code.strip())


def assist_args(typed: StaffCommand) -> AssistArgs:
    """``"LABEL" [spoken|paper]``, ``LABEL consent: paper``, ``resume CODE``, ``CODE``, ``end``.

    A quoted label may be followed by the consent only; an unquoted one ends with it
    if its last word is a consent mode.
    """
    words = list(typed.args)
    if not words:
        raise BadArgument.missing("label")
    head = words[0].lower()
    if head in _ENDS and len(words) == 1:
        return AssistArgs(AssistAction.END)
    if head == "resume":
        return resume_args(" ".join(words[1:]))
    if len(words) == 1 and assisted.normalise_code(words[0]) is not None:
        return resume_args(words[0])
    text = " ".join(words)
    closing = _QUOTES.get(text[0])
    if closing is not None and closing in text[1:]:
        label, _, rest = text[1:].partition(closing)
        explicit = _CONSENT.match(rest)
        consent = explicit.group(2) if explicit and not explicit.group(1) else rest.strip()
        if consent == "" and explicit is not None:
            raise BadArgument.missing("consent")
        return open_args(label, consent or None)
    explicit = _CONSENT.match(text)
    if explicit is not None:
        if not explicit.group(2):
            raise BadArgument.missing("consent")
        return open_args(explicit.group(1), explicit.group(2))
    last = words[-1].lower()
    if len(words) > 1 and last in assisted.CONSENT_MODES:
        return open_args(" ".join(words[:-1]), last)
    return open_args(text, None)


@STAFF.command("assist", roles=MODERATION, usage=USAGE, parse=assist_args)
async def assist(x: Ctx, args: AssistArgs) -> list[str]:
    """Open (or resume, or end) typing a resident's answers in from chat."""
    sessions = AssistSessions(x.store, x.services.pseudonym)
    if args.action is AssistAction.END:
        ended = await asyncio.to_thread(sessions.end, x.platform, x.actor)
        if ended is None:
            return [x.t("assist.not_assisting")]
        return [x.t("assist.chat_end", code=Literal(ended.code))]
    return await asyncio.to_thread(_open, x, args, sessions)


def _open(x: Ctx, args: AssistArgs, sessions: AssistSessions) -> list[str]:
    pseudonym = x.services.pseudonym
    if args.action is AssistAction.RESUME:
        seat = assisted.reopen_assisted(x.store, pseudonym, x.ws.id, args.code)
        if seat is None:
            return [x.t("assist.unknown", code=Literal(args.code[:20]))]
        first = x.t("assist.resume", code=Literal(seat.code), label=Literal(seat.info.label))
    else:
        volunteer = f"{x.platform}:{x.user_id}"
        seat = assisted.open_assisted(
            x.store, pseudonym, x.ws.id, args.label, volunteer, args.consent
        )
        first = x.t("assist.start", code=Literal(seat.code), label=Literal(seat.info.label))
    previous = sessions.find(x.platform, x.actor)
    sessions.open(x.platform, x.actor, x.ws.id, seat)
    if previous is not None and previous.code != seat.code:  # the one typed for until now
        first = "\n".join([x.t("assist.chat_end", code=Literal(previous.code)), first])
    with x.store.session() as session:
        resident = pseudonym(assisted.ASSISTED_PLATFORM, seat.user_id)
        detail = {"action": args.action.value, "resident": resident}
        audit(session, x.ws.id, x.actor, "assist", detail, x.now)
    x.residents.append(ResidentStart(seat.user_id, x.ws.slug))
    consent = Msg(f"assist.consent.{seat.info.consent_mode}")
    return [first, x.t("assist.chat_here", consent=consent)]
