"""``!open``, ``!close`` and ``!progress``: which tiers citizens may walk, and how far they got."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.app.staff import converters as conv
from bot.app.staff.converters import BadArgument
from bot.app.staff.parse import StaffCommand
from bot.app.staff.registry import FACILITATOR, MODERATION, STAFF, Ctx, NoArgs, in_worker, no_args
from flows.kinds import TIER_ORDER, Tier
from flows.text import Listing, Literal, Msg
from storage import tier_waits, workshops
from storage.audit import audit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TierArgs:
    """The tier to open or close."""

    tier: Tier


def tier_args(typed: StaffCommand) -> TierArgs:
    """``macro``, ``meso`` or ``micro``."""
    if not typed.args:
        raise BadArgument.missing("tier")
    return TierArgs(conv.choice("tier", typed.args[0], conv.options(TIER_ORDER)))


TIER_USAGE = "macro|meso|micro"


@STAFF.command("open", roles=FACILITATOR, usage=f"!open {TIER_USAGE}", parse=tier_args)
@in_worker
def open_tier(x: Ctx, args: TierArgs) -> list[str]:
    """Let citizens walk ``args.tier``."""
    return _set_tier(x, args.tier, True)


@STAFF.command("close", roles=FACILITATOR, usage=f"!close {TIER_USAGE}", parse=tier_args)
@in_worker
def close_tier(x: Ctx, args: TierArgs) -> list[str]:
    """Stop citizens from walking ``args.tier``."""
    return _set_tier(x, args.tier, False)


def _set_tier(x: Ctx, tier: Tier, is_open: bool) -> list[str]:
    with x.store.session() as session:
        updated = workshops.set_tier(session, x.ws.slug, tier.value, is_open)
        action = "tier.open" if is_open else "tier.close"
        audit(session, x.ws.id, x.actor, action, {"tier": tier.value}, x.now)
        waiting = tier_waits.count_waiting(session, x.ws.id, tier.value) if is_open else 0
    tiers = [t for t in TIER_ORDER if t in updated.open_tiers]
    shown = Listing(tuple(Msg(f"tier.{t}") for t in tiers)) if tiers else Msg("staff.tiers_none")
    lines = [x.t("staff.tiers", workshop=Literal(x.ws.slug), tiers=shown)]
    if waiting:
        lines.append(x.t("staff.tier_waiting", count=waiting))
    return lines


@STAFF.command("progress", roles=MODERATION, usage="!progress", parse=no_args)
@in_worker
def progress(x: Ctx, args: NoArgs) -> list[str]:
    """How many took part, how far they got, which groups were heard, and saturation."""
    from bot.digest.findings_text import coverage_lines
    from bot.digest.metrics import compute_metrics  # networkx: only when asked
    from bot.scheduler.findings import workshop_findings

    snap = x.store.snapshot(x.ws.id)
    metrics = compute_metrics(snap)
    try:
        findings = workshop_findings(x.store, snap, locales=(x.locale,))
    except Exception:  # the counts are still worth answering with
        log.exception("themes could not be found for %s", x.ws.slug)
        findings = None
    groups = Listing(
        tuple(
            Msg("digest.helix_item", {"group": Msg(f"helix.{g}"), "count": n})
            for g, n in metrics.by_helix.items()
        )
    )
    lines = [x.t("staff.progress", count=metrics.participants, groups=groups, **metrics.by_tier)]
    if metrics.staff:
        lines.append(x.t("digest.staff", count=metrics.staff))
    if metrics.missing_helix:
        missing = Listing(tuple(Msg(f"helix.{g}") for g in metrics.missing_helix))
        lines.append(x.t("staff.progress_missing", groups=missing))
    if findings is not None and findings.themes:
        catalogs = x.services.catalogs
        lines.extend(
            catalogs.render(m, x.locale) for m in coverage_lines(findings, metrics.scenario_titles)
        )
    return lines
