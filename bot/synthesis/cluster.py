"""Split one domain's vectors into themes, choosing how many from the data.

KMeans with a fixed seed for every candidate count, then the count with the best
silhouette among the splits that are both big enough and clearly separated:
texts of one theme must be markedly more alike than texts of different themes.
Without such a split, the domain is one theme.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans  # type: ignore[import-untyped]
from sklearn.metrics import silhouette_score  # type: ignore[import-untyped]

from bot.synthesis.encoder import Vectors

Labels = NDArray[np.int64]


@dataclass(frozen=True)
class ClusterRules:
    """How themes are cut.

    Attributes:
        max_themes: Ceiling on themes per domain.
        min_share: Smallest theme, as a share of the domain's texts.
        min_size: Smallest theme in texts (a floor under ``min_share``).
        separation: Largest accepted ratio of the mean similarity between themes to the
            mean similarity within them; above it a split is not trusted.
        silhouette_sample: Texts sampled for the silhouette on large domains.
        seed: Random seed of KMeans and of the silhouette sample.
    """

    max_themes: int = 12
    min_share: float = 0.05
    min_size: int = 3
    separation: float = 0.52
    silhouette_sample: int = 2000
    seed: int = 0


def _separation(vectors: Vectors, labels: Labels, k: int) -> float:
    """Mean cosine between texts of different themes over mean cosine within themes."""
    sums = np.zeros((k, vectors.shape[1]), dtype=np.float64)
    np.add.at(sums, labels, vectors.astype(np.float64))
    counts = np.bincount(labels, minlength=k).astype(np.float64)
    self_sim = np.einsum("ij,ij->i", vectors, vectors).astype(np.float64)
    self_by = np.bincount(labels, weights=self_sim, minlength=k)
    within_sum = float(np.einsum("ij,ij->i", sums, sums).sum() - self_by.sum())
    within_pairs = float((counts * (counts - 1)).sum())
    total = sums.sum(axis=0)
    all_sum = float(total @ total - self_sim.sum())
    between_sum = all_sum - within_sum
    n = float(len(labels))
    between_pairs = n * (n - 1) - within_pairs
    if within_pairs == 0 or between_pairs == 0:
        return math.inf
    within = within_sum / within_pairs
    between = between_sum / between_pairs
    if within <= 0:
        return math.inf
    return between / within


def _kmeans(vectors: Vectors, k: int, seed: int) -> Labels:
    n_init = 4 if len(vectors) <= 2000 else 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning on duplicate points
        model = KMeans(n_clusters=k, n_init=n_init, random_state=seed).fit(vectors)
    labels: Labels = model.labels_.astype(np.int64)
    return labels


def partition(vectors: Vectors, rules: ClusterRules | None = None) -> Labels:
    """Theme numbers ``0..k-1`` for each row of ``vectors`` (one domain's texts).

    One or two texts are one theme. Theme numbers are in order of first appearance.
    """
    rules = rules or ClusterRules()
    n = len(vectors)
    single: Labels = np.zeros(n, dtype=np.int64)
    min_size = max(rules.min_size, math.ceil(rules.min_share * n))
    most = min(rules.max_themes, n // min_size)
    if n <= 2 or most < 2:
        return single
    best: tuple[float, Labels] | None = None
    sample = rules.silhouette_sample if n > rules.silhouette_sample else None
    for k in range(2, most + 1):
        labels = _kmeans(vectors, k, rules.seed)
        counts = np.bincount(labels, minlength=k)
        if counts.min() < min_size or _separation(vectors, labels, k) >= rules.separation:
            continue
        score = float(
            silhouette_score(
                vectors, labels, metric="cosine", sample_size=sample, random_state=rules.seed
            )
        )
        if best is None or score > best[0]:
            best = (score, labels)
    if best is None:
        return single
    return _first_seen_order(best[1])


def _first_seen_order(labels: Labels) -> Labels:
    mapping: dict[int, int] = {}
    for value in labels.tolist():
        mapping.setdefault(value, len(mapping))
    return np.array([mapping[v] for v in labels.tolist()], dtype=np.int64)
