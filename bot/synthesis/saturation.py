"""Saturation, as in qualitative research: did the latest texts of a tier bring new themes?

"Macro looks saturated: the last 50 needs added no theme" is ``saturated`` below, with the
numbers behind it; facilitators see it and decide whether to close the tier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flows.kinds import TIER_ORDER

#: The two windows shown: the last 25 and the last 50 texts of a tier.
SHORT_WINDOW = 25
LONG_WINDOW = 50


@dataclass(frozen=True)
class TieredText:
    """A themed text's tier and its place in creation order (ties broken by key)."""

    key: str
    tier: str
    created_order: int


@dataclass(frozen=True)
class TierSaturation:
    """How many new themes a tier's latest texts brought.

    Attributes:
        tier: The tier.
        texts: Themed texts of the tier.
        themes: Distinct themes among them.
        short_window: Size of the short window (25).
        new_in_short: Themes whose first text is among the last ``short_window`` texts.
        long_window: Size of the long window (50).
        new_in_long: Themes whose first text is among the last ``long_window`` texts.
        saturated: The tier has at least ``long_window`` texts and the last ones added no theme.
    """

    tier: str
    texts: int
    themes: int
    short_window: int
    new_in_short: int
    long_window: int
    new_in_long: int
    saturated: bool


def _tier_rank(tier: str) -> tuple[int, str]:
    order = [t.value for t in TIER_ORDER]
    return (order.index(tier) if tier in order else len(order), tier)


def saturation(
    texts: Iterable[TieredText],
    theme_of: Mapping[str, str],
    *,
    short_window: int = SHORT_WINDOW,
    long_window: int = LONG_WINDOW,
) -> tuple[TierSaturation, ...]:
    """Per tier (in walking order), the new themes of the last texts.

    Args:
        texts: Every text that was themed, with its tier and creation order.
        theme_of: Text key → theme id (``dict(ThemeRun.assignment)``); texts without one
            are left out.
        short_window: The short window.
        long_window: The long window.
    """
    by_tier: dict[str, list[TieredText]] = defaultdict(list)
    for text in texts:
        if text.key in theme_of:
            by_tier[text.tier].append(text)
    result = []
    for tier in sorted(by_tier, key=_tier_rank):
        ordered = sorted(by_tier[tier], key=lambda t: (t.created_order, t.key))
        first_at: dict[str, int] = {}
        for position, text in enumerate(ordered):
            first_at.setdefault(theme_of[text.key], position)
        n = len(ordered)
        new_short = sum(1 for p in first_at.values() if p >= n - short_window)
        new_long = sum(1 for p in first_at.values() if p >= n - long_window)
        result.append(
            TierSaturation(
                tier=tier,
                texts=n,
                themes=len(first_at),
                short_window=short_window,
                new_in_short=new_short,
                long_window=long_window,
                new_in_long=new_long,
                saturated=n >= long_window and new_long == 0,
            )
        )
    return tuple(result)
