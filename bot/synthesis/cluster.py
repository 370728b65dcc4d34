"""Split one domain's vectors into themes, choosing how many from the data.

Bisecting KMeans with a stopping rule: a group is split in two (KMeans, fixed seed) only
if both halves are big enough and clearly apart, that is texts in different halves are
much less alike than texts within a half. Otherwise it stays one theme.

"Alike" is measured after removing what every text of the workshop shares (the mean
vector of all its texts, when they span at least three domains): stock phrases such
as "please fix it soon" then no longer make two themes look close. A silhouette-driven
choice of the count was tried and over-split themes holding near-identical wordings.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

from bot.synthesis.encoder import Vectors

Labels = NDArray[np.int64]

#: Fewest domains for which the workshop's mean vector is taken as the shared part.
CENTRE_FROM_DOMAINS = 3


@dataclass(frozen=True)
class ClusterRules:
    """How themes are cut.

    Attributes:
        max_themes: Ceiling on themes per domain.
        min_share: Smallest theme, as a share of the domain's texts.
        min_size: Smallest theme in texts (a floor under ``min_share``).
        separation: Largest accepted ratio of the mean similarity between the two halves
            to the mean similarity within them, on centred vectors.
        separation_raw: The same on vectors that could not be centred (fewer than three
            domains), where every similarity is higher.
        fit_sample: Rows each split is fitted on (then applied to all): keeps large
            workshops linear in time.
        seed: Random seed of KMeans and of the fitting sample.
    """

    max_themes: int = 12
    min_share: float = 0.05
    min_size: int = 3
    separation: float = 0.2
    separation_raw: float = 0.52
    fit_sample: int = 2000
    seed: int = 0


def separation(vectors: Vectors, labels: Labels, k: int) -> float:
    """Mean cosine between texts of different groups over mean cosine within groups."""
    sums = np.stack([vectors[labels == g].sum(axis=0, dtype=np.float64) for g in range(k)])
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    self_sim = np.einsum("ij,ij->i", vectors, vectors).astype(np.float64)
    self_by = np.bincount(labels, weights=self_sim, minlength=k)
    within_sum = float(np.einsum("ij,ij->i", sums, sums).sum() - self_by.sum())
    within_pairs = float((counts * (counts - 1)).sum())
    total = sums.sum(axis=0)
    between_sum = float(total @ total - self_sim.sum()) - within_sum
    n = float(len(labels))
    between_pairs = n * (n - 1) - within_pairs
    if within_pairs == 0 or between_pairs == 0:
        return math.inf
    within = within_sum / within_pairs
    if within <= 0:
        return math.inf
    return (between_sum / between_pairs) / within


def centred(vectors: Vectors, domains: int) -> tuple[Vectors, bool]:
    """Vectors less the workshop's mean vector, re-normalised, if ``domains`` allow it."""
    if domains < CENTRE_FROM_DOMAINS or len(vectors) == 0:
        return vectors, False
    shifted = vectors.astype(np.float32) - vectors.mean(axis=0, dtype=np.float64).astype(np.float32)
    norms = np.linalg.norm(shifted, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Vectors = shifted / norms
    return out, True


def _halves(vectors: Vectors, seed: int, sample: int) -> Labels:
    """Two halves by KMeans, fitted on at most ``sample`` rows and applied to all."""
    fit_on = vectors
    if len(vectors) > sample:
        picked = np.sort(np.random.default_rng(seed).choice(len(vectors), sample, replace=False))
        fit_on = vectors[picked]
    # One thread: on a busy machine OpenMP's spinning workers made a split 13 times slower,
    # and a 2-means fit on a small sample gains nothing from more.
    with warnings.catch_warnings(), threadpool_limits(limits=1):
        warnings.simplefilter("ignore")  # ConvergenceWarning on duplicate points
        model = KMeans(n_clusters=2, n_init=4, random_state=seed).fit(fit_on)
        labels: Labels = np.asarray(model.predict(vectors), dtype=np.int64)
    return labels


def partition(vectors: Vectors, rules: ClusterRules | None = None, *, centre: bool) -> Labels:
    """Theme numbers ``0..k-1`` for each row of ``vectors`` (one domain's texts).

    Args:
        vectors: One domain's vectors (centred by ``centred`` when ``centre``).
        rules: How themes are cut.
        centre: Whether the vectors were centred (picks the separation threshold).

    One or two texts are one theme. Theme numbers are in order of first appearance.
    """
    rules = rules or ClusterRules()
    n = len(vectors)
    limit = rules.separation if centre else rules.separation_raw
    min_size = max(rules.min_size, math.ceil(rules.min_share * n))
    pending = [np.arange(n)]
    done: list[NDArray[np.int64]] = []
    while pending:
        rows = pending.pop(0)
        if len(done) + len(pending) + 1 < rules.max_themes and len(rows) >= 2 * min_size:
            labels = _halves(vectors[rows], rules.seed, rules.fit_sample)
            counts = np.bincount(labels, minlength=2)
            if counts.min() >= min_size and separation(vectors[rows], labels, 2) < limit:
                pending.extend([rows[labels == 0], rows[labels == 1]])
                continue
        done.append(rows)
    result: Labels = np.zeros(n, dtype=np.int64)
    for number, rows in enumerate(sorted(done, key=lambda r: int(r.min()))):
        result[rows] = number
    return result
