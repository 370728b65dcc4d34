"""``!policy`` and ``!scenario``: how contributions are moderated, which scenarios run."""

from __future__ import annotations

from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import FACILITATOR, STAFF, Ctx, in_worker
from flows.library import scenario_library
from flows.text import Listing, Literal, Localized, Msg
from storage import workshops
from storage.audit import audit
from storage.workshops import ScenarioSeed

POLICY_USAGE = "!policy pre|post [review on|off] [grace MINUTES]"
_MODERATION = {"pre": "pre", "post": "post"}
_ON_OFF = {"on": True, "off": False}


@dataclass(frozen=True)
class PolicyArgs:
    """What to change; ``None`` keeps the current value (no change at all shows the policy)."""

    moderation: str | None = None
    review: bool | None = None
    grace: int | None = None


def policy_args(typed: StaffCommand) -> PolicyArgs:
    """``pre|post``, ``review on|off`` and ``grace MINUTES``, in any order."""
    moderation: str | None = None
    review: bool | None = None
    grace: int | None = None
    words = [a.lower() for a in typed.args]
    i = 0
    while i < len(words):
        word = words[i]
        if word in _MODERATION:
            moderation = word
        elif word in ("review", "grace"):
            if i + 1 >= len(words):
                raise BadArgument.missing(word)
            i += 1
            if word == "review":
                review = conv.choice("review", words[i], _ON_OFF)
            else:
                grace = conv.minutes(words[i])
        else:
            raise BadArgument("policy", word, None)
        i += 1
    return PolicyArgs(moderation, review, grace)


@STAFF.command("policy", roles=FACILITATOR, usage=POLICY_USAGE, parse=policy_args)
@in_worker
def policy(x: Ctx, args: PolicyArgs) -> list[str]:
    """Change the moderation policy, then show it."""
    changes: dict[str, object] = {}
    if args.moderation is not None:
        changes["moderation"] = args.moderation
    if args.review is not None:
        changes["digest_review"] = args.review
    if args.grace is not None:
        changes["digest_auto_post_minutes"] = args.grace
    with x.store.session() as session:
        updated = workshops.update_settings(session, x.ws.id, **changes)
        if changes:
            detail = {k: str(v) for k, v in changes.items()}
            audit(session, x.ws.id, x.actor, "policy.set", detail, x.now)
    grace = updated.settings.get("digest_auto_post_minutes")
    review = Msg("word.yes" if updated.settings.get("digest_review", True) else "word.no")
    return [
        x.t(
            "staff.policy",
            moderation=updated.moderation,
            review=review,
            grace="–" if grace is None else str(grace),
        )
    ]


@dataclass(frozen=True)
class ScenarioArgs:
    """The library scenario to add, or ``None`` to list the workshop's scenarios."""

    add: str | None = None


def scenario_code(code: str) -> str:
    """A scenario code of the shipped library.

    Raises:
        BadArgument: No such scenario (the reply lists the known codes).
    """
    codes = [s.code for s in scenario_library()]
    if code in codes:
        return code
    message = Msg("staff.scenario_unknown", {"code": Literal(code[:40]), "codes": ", ".join(codes)})
    raise BadArgument("scenario", code, message, usage=False)


def scenario_args(typed: StaffCommand) -> ScenarioArgs:
    """``add CODE``; anything else lists."""
    if len(typed.args) >= 2 and typed.args[0].lower() == "add":
        return ScenarioArgs(scenario_code(typed.args[1]))
    return ScenarioArgs()


@STAFF.command(
    "scenario", roles=FACILITATOR, usage="!scenario list, !scenario add CODE", parse=scenario_args
)
@in_worker
def scenario(x: Ctx, args: ScenarioArgs) -> list[str]:
    """Add a scenario from the library, or list the workshop's."""
    if args.add is None:
        titled = Listing(
            tuple(
                Msg("staff.scenario_item", {"title": Localized(s.title), "code": Literal(s.code)})
                for s in x.store.scenarios(x.ws.id)
            )
        )
        return [x.t("staff.scenarios", codes=titled)]
    s = next(s for s in scenario_library() if s.code == args.add)
    with x.store.session() as session:
        added = workshops.add_scenario(
            session, x.ws.id, ScenarioSeed(s.code, s.title, s.description, s.domains)
        )
        if added:
            audit(session, x.ws.id, x.actor, "scenario.add", {"code": s.code}, x.now)
    return [x.t("staff.scenario_added" if added else "staff.scenario_exists", code=s.code)]
