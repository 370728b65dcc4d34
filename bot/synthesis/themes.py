"""Themes across languages: the entry point of theme finding.

``build_themes`` embeds the texts (through the cache) and calls ``find_themes``, which
is pure: same texts, vectors, previous themes and overrides give the same themes and ids.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from bot.synthesis.cache import VectorCache, embed
from bot.synthesis.cluster import ClusterRules, centred, partition
from bot.synthesis.encoder import TextEncoder, Vectors, encoder_key
from bot.synthesis.identity import IdMaker, match_ids
from bot.synthesis.labels import READ, key_word_labels
from bot.synthesis.types import (
    PreviousTheme,
    Quote,
    Theme,
    ThemeOverrides,
    ThemeRun,
    ThemeText,
)

#: Quotes per theme (fewer when the theme is smaller).
QUOTES = 3

_NO_OVERRIDES = ThemeOverrides()


def build_themes(
    texts: Sequence[ThemeText],
    *,
    encoder: TextEncoder,
    cache: VectorCache | None = None,
    previous: Sequence[PreviousTheme] = (),
    overrides: ThemeOverrides = _NO_OVERRIDES,
    locales: Sequence[str] = ("en",),
    rules: ClusterRules | None = None,
) -> ThemeRun:
    """Group ``texts`` into themes, encoding only the texts whose vectors are not cached.

    Args:
        texts: The needs and requirement texts to theme (keys unique).
        encoder: Turns texts into vectors (see ``encoder.default_encoder``).
        cache: Where vectors are kept between runs (``storage.embeddings.EmbeddingTable``).
        previous: The themes of the previous run (``ThemeRun.previous()``), for stable ids.
        overrides: Moderators' renames and pinned moves.
        locales: The readers' languages; every theme gets a label in each.
        rules: How themes are cut (defaults suit a workshop).

    Returns:
        The themes and every text's theme id.
    """
    ordered = _ordered(texts)
    vectors = embed([t.text for t in ordered], encoder, cache).vectors
    return find_themes(
        ordered,
        vectors,
        previous=previous,
        overrides=overrides,
        locales=locales,
        rules=rules,
        encoder=encoder_key(encoder),
    )


def _ordered(texts: Sequence[ThemeText]) -> list[ThemeText]:
    keys = Counter(t.key for t in texts)
    doubled = sorted(k for k, n in keys.items() if n > 1)
    if doubled:
        raise ValueError(f"theme text keys must be unique; repeated: {', '.join(doubled[:5])}")
    return sorted(texts, key=lambda t: (t.created_order, t.key))


def find_themes(
    texts: Sequence[ThemeText],
    vectors: Vectors,
    *,
    previous: Sequence[PreviousTheme] = (),
    overrides: ThemeOverrides = _NO_OVERRIDES,
    locales: Sequence[str] = ("en",),
    rules: ClusterRules | None = None,
    encoder: str = "",
) -> ThemeRun:
    """Group ``texts`` into themes from their ``vectors`` (row ``i`` belongs to ``texts[i]``).

    Within each domain the texts not pinned by a moderator are clustered; clusters take
    the id of the earlier theme they overlap most, others get new ids; pinned texts then
    join the theme they were moved to.
    """
    if len(texts) != len(vectors):
        raise ValueError(f"{len(texts)} texts but {len(vectors)} vectors")
    order = sorted(range(len(texts)), key=lambda i: (texts[i].created_order, texts[i].key))
    items = [texts[i] for i in order]
    matrix = vectors[order] if len(order) else vectors
    present = frozenset(t.key for t in items)
    pins = {k: v for k, v in overrides.moves.items() if k in present}
    ids = IdMaker([p.id for p in previous] + sorted(set(pins.values())))
    members: dict[str, list[int]] = {}
    domain_of: dict[str, str] = {}
    domains = sorted({t.domain for t in items})
    shape, centre = centred(matrix, len(domains))
    for domain in domains:
        rows = [i for i, t in enumerate(items) if t.domain == domain and t.key not in pins]
        if not rows:
            continue
        labels = partition(shape[rows], rules, centre=centre)
        clusters: dict[int, list[int]] = defaultdict(list)
        for row, label in zip(rows, labels.tolist(), strict=True):
            clusters[label].append(row)
        groups = [clusters[n] for n in sorted(clusters)]
        earlier = [p for p in previous if p.domain == domain]
        inherited = match_ids(
            [frozenset(items[i].key for i in g) for g in groups], earlier, present
        )
        for group, theme_id in zip(groups, inherited, strict=True):
            tid = theme_id or ids.new(domain)
            members[tid] = group
            domain_of[tid] = domain
    previous_domain = {p.id: p.domain for p in previous}
    for i, t in enumerate(items):
        pinned = pins.get(t.key)
        if pinned is None:
            continue
        members.setdefault(pinned, []).append(i)
        domain_of.setdefault(pinned, previous_domain.get(pinned, t.domain))
    seen_before = frozenset(k for p in previous for k in p.member_keys)
    themes = _describe(items, matrix, members, domain_of, seen_before, overrides, locales)
    assignment = tuple(sorted((items[i].key, tid) for tid, rows in members.items() for i in rows))
    return ThemeRun(themes=themes, assignment=assignment, encoder=encoder)


def _describe(
    items: Sequence[ThemeText],
    matrix: Vectors,
    members: dict[str, list[int]],
    domain_of: dict[str, str],
    seen_before: frozenset[str],
    overrides: ThemeOverrides,
    locales: Sequence[str],
) -> tuple[Theme, ...]:
    ids = sorted(members)
    closest = {tid: _by_closeness(items, matrix, members[tid]) for tid in ids}
    labels: dict[str, list[tuple[str, str]]] = {tid: [] for tid in ids}
    for locale in locales:
        docs = []
        for tid in ids:
            rows = closest[tid]
            own = [i for i in rows if items[i].locale == locale] or rows
            docs.append([items[i].text for i in own[:READ]])
        for tid, label in zip(ids, key_word_labels(docs, locale), strict=True):
            labels[tid].append((locale, label or tid))
    themes = []
    for tid in ids:
        rows = members[tid]
        keys = tuple(sorted(items[i].key for i in rows))
        gaps = [g for g in (items[i].gap for i in rows) if g is not None]
        helix = Counter(items[i].helix for i in rows if items[i].helix)
        renamed = overrides.renames.get(tid)
        themes.append(
            Theme(
                id=tid,
                domain=domain_of[tid],
                labels=tuple((loc, renamed) for loc in locales) if renamed else tuple(labels[tid]),
                member_keys=keys,
                groups=tuple(sorted((str(h), n) for h, n in helix.items())),
                mean_gap=round(float(np.mean(gaps)), 2) if gaps else None,
                quotes=_quotes(items, closest[tid]),
                new_keys=tuple(k for k in keys if k not in seen_before),
                renamed=renamed is not None,
            )
        )
    themes.sort(key=lambda th: (th.domain, -th.size, th.id))
    return tuple(themes)


def _quotes(items: Sequence[ThemeText], ranked: list[int]) -> tuple[Quote, ...]:
    """The members closest to the centre, each wording once (people repeat each other)."""
    picked: list[Quote] = []
    seen: set[str] = set()
    for i in ranked:
        wording = " ".join(items[i].text.split()).casefold()
        if wording in seen:
            continue
        seen.add(wording)
        picked.append(Quote(items[i].key, items[i].text, items[i].locale))
        if len(picked) == QUOTES:
            break
    return tuple(picked)


def _by_closeness(items: Sequence[ThemeText], matrix: Vectors, rows: list[int]) -> list[int]:
    """Member rows, closest to the theme's centre first (ties by key)."""
    block = matrix[rows].astype(np.float64)
    centre = block.mean(axis=0)
    norm = np.linalg.norm(centre)
    sims = block @ (centre / norm) if norm else np.zeros(len(rows))
    ranked = sorted(zip(rows, sims.tolist(), strict=True), key=lambda p: (-p[1], items[p[0]].key))
    return [row for row, _ in ranked]
