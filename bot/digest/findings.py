"""What the workshop said, beyond counts: themes, where groups agree and differ, saturation.

Built from the typed snapshot by :func:`find`; the vectors come through a cache port
(the database table in production), so a digest clusters but rarely encodes.
Renderers (text, report, exports) read :class:`Findings` and never compute it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bot.digest.metrics import gap_score
from bot.synthesis.cache import VectorCache
from bot.synthesis.compare import GapAnswer, GroupComparison, compare_groups
from bot.synthesis.coverage import (
    DomainCoverage,
    MissingRoles,
    NamedRole,
    ScenarioVoices,
    Voice,
    groups_not_heard,
    missing_roles,
    uncovered_domains,
)
from bot.synthesis.encoder import TextEncoder
from bot.synthesis.saturation import TieredText, TierSaturation, saturation
from bot.synthesis.themes import build_themes
from bot.synthesis.types import PreviousTheme, Theme, ThemeOverrides, ThemeRun, ThemeText
from flows.kinds import Tier
from flows.snapshot import WorkshopSnapshot

#: Needs are themed with the "I want" of requirements; their keys tell them apart.
NEED_KEY, REQUIREMENT_KEY = "need", "req"


@dataclass(frozen=True)
class Findings:
    """The synthesis of one workshop.

    Attributes:
        run: The themes and every text's theme id.
        comparison: Gap scores by helix group, per domain and per theme.
        saturation: Per tier, the new themes of the last 25 and 50 texts.
        uncovered: Top-gap domains with no scenario or no requirement yet.
        missing_roles: Scenarios where nobody named a regulator, funder or operator.
        not_heard: Per scenario, the groups that were not heard.
        compared_with_previous: Theme ids were matched against an earlier digest's themes,
            so each theme's new members mean "new since then".
    """

    run: ThemeRun
    comparison: GroupComparison
    saturation: tuple[TierSaturation, ...]
    uncovered: tuple[DomainCoverage, ...]
    missing_roles: tuple[MissingRoles, ...]
    not_heard: tuple[ScenarioVoices, ...]
    compared_with_previous: bool = False

    @property
    def themes(self) -> tuple[Theme, ...]:
        """Every theme, by domain then size."""
        return self.run.themes

    def theme_of_need(self, need_id: int) -> str | None:
        """The theme id of need ``need_id``, if it was themed."""
        return self.run.theme_of(f"{NEED_KEY}:{need_id}")

    def theme_of_requirement(self, requirement_id: int) -> str | None:
        """The theme id of requirement ``requirement_id``, if it was themed."""
        return self.run.theme_of(f"{REQUIREMENT_KEY}:{requirement_id}")


def theme_texts(snap: WorkshopSnapshot) -> list[ThemeText]:
    """The texts to theme: every need, and every requirement's "I want" that has a domain."""
    people = {p.id: p for p in snap.participants}
    texts: list[ThemeText] = []
    order = 0
    for need in sorted(snap.needs, key=lambda n: (n.created_at, n.id)):
        author = people.get(need.participant_id or 0)
        texts.append(
            ThemeText(
                key=f"{NEED_KEY}:{need.id}",
                text=need.text,
                locale=author.locale if author else "en",
                domain=need.domain,
                helix=author.helix.value if author and author.helix else None,
                gap=gap_score(need.importance, need.satisfaction),
                created_order=order,
            )
        )
        order += 1
    for req in sorted(snap.requirements, key=lambda r: (r.created_at, r.id)):
        if not req.domain or not req.i_want.strip():
            continue
        author = people.get(req.participant_id or 0)
        texts.append(
            ThemeText(
                key=f"{REQUIREMENT_KEY}:{req.id}",
                text=req.i_want,
                locale=author.locale if author else "en",
                domain=req.domain,
                helix=author.helix.value if author and author.helix else None,
                created_order=order,
            )
        )
        order += 1
    return texts


def find(
    snap: WorkshopSnapshot,
    *,
    encoder: TextEncoder,
    cache: VectorCache | None = None,
    previous: Sequence[PreviousTheme] = (),
    overrides: ThemeOverrides | None = None,
    locales: Sequence[str] = ("en",),
) -> Findings:
    """Theme the workshop's texts and compare its groups.

    Args:
        snap: The workshop (approved contributions).
        encoder: Text → vectors (``bot.synthesis.encoder.default_encoder``).
        cache: Where vectors are kept between runs.
        previous: The themes of the last posted digest, so ids stay the same.
        overrides: Moderators' renames and moves.
        locales: The readers' languages (every theme gets a label in each).
    """
    texts = theme_texts(snap)
    run = build_themes(
        texts,
        encoder=encoder,
        cache=cache,
        previous=previous,
        overrides=overrides or ThemeOverrides(),
        locales=locales,
    )
    theme_of: Mapping[str, str] = dict(run.assignment)
    answers = [
        GapAnswer(t.domain, t.helix, t.gap, theme_of.get(t.key))
        for t in texts
        if t.helix is not None and t.gap is not None
    ]
    tiered = [
        TieredText(t.key, Tier.MACRO if t.key.startswith(NEED_KEY) else Tier.MICRO, t.created_order)
        for t in texts
    ]
    return Findings(
        run=run,
        comparison=compare_groups(answers),
        saturation=saturation(tiered, theme_of),
        uncovered=_uncovered(snap),
        missing_roles=_missing_roles(snap),
        not_heard=_not_heard(snap),
        compared_with_previous=bool(previous),
    )


def _uncovered(snap: WorkshopSnapshot) -> tuple[DomainCoverage, ...]:
    gaps: dict[str, list[float]] = {}
    for need in snap.needs:
        gap = gap_score(need.importance, need.satisfaction)
        if gap is not None:
            gaps.setdefault(need.domain, []).append(gap)
    means = {domain: sum(values) / len(values) for domain, values in gaps.items()}
    scenario_domains = {s.code: list(s.domains) for s in snap.scenarios}
    written = [r.domain for r in snap.requirements if r.domain]
    return uncovered_domains(means, scenario_domains, written)


def _scenario_codes(snap: WorkshopSnapshot) -> dict[int, str]:
    return {s.id: s.code for s in snap.scenarios}


def _missing_roles(snap: WorkshopSnapshot) -> tuple[MissingRoles, ...]:
    codes = _scenario_codes(snap)
    named = [
        NamedRole(codes[s.scenario_id], s.role.value if s.role else None)
        for s in snap.stakeholders
        if s.scenario_id in codes
    ]
    discussed = sorted({n.scenario for n in named})
    return missing_roles(discussed, named)


def _not_heard(snap: WorkshopSnapshot) -> tuple[ScenarioVoices, ...]:
    codes = _scenario_codes(snap)
    helix = {p.id: p.helix.value for p in snap.participants if p.helix}
    voices = [
        Voice(codes[s.scenario_id], helix[s.participant_id])
        for s in snap.stakeholders
        if s.scenario_id in codes and s.participant_id in helix
    ]
    voices += [
        Voice(codes[r.scenario_id], helix[r.participant_id])
        for r in snap.requirements
        if r.scenario_id in codes and r.participant_id in helix
    ]
    discussed = sorted({v.scenario for v in voices})
    return groups_not_heard(discussed, voices)
