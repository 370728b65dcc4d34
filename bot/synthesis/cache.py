"""Vectors computed once per text: a content-addressed cache in front of the encoder."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from bot.synthesis.encoder import TextEncoder, Vectors, encoder_key


class VectorCache(Protocol):
    """Where vectors are kept, by encoder and text hash, as float32 bytes.

    ``storage.embeddings.EmbeddingTable`` keeps them in the database; ``MemoryCache``
    in a dict.
    """

    def get_many(self, encoder: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """The cached vectors among ``hashes`` (missing ones are left out)."""
        ...

    def put_many(self, encoder: str, vectors: Mapping[str, bytes]) -> None:
        """Store vectors; a hash already stored is left as it is."""
        ...


@dataclass
class MemoryCache:
    """A cache in a dict (tests, one-off runs)."""

    rows: dict[tuple[str, str], bytes] = field(default_factory=dict)

    def get_many(self, encoder: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """The cached vectors among ``hashes``."""
        return {h: self.rows[(encoder, h)] for h in hashes if (encoder, h) in self.rows}

    def put_many(self, encoder: str, vectors: Mapping[str, bytes]) -> None:
        """Store vectors not stored yet."""
        for h, blob in vectors.items():
            self.rows.setdefault((encoder, h), blob)


def text_hash(text: str) -> str:
    """SHA-256 of the UTF-8 text, hex: the cache key of a text's vector."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Embedded:
    """Vectors for a list of texts, and how many had to be encoded."""

    vectors: Vectors
    encoded: int


def embed(texts: Sequence[str], encoder: TextEncoder, cache: VectorCache | None = None) -> Embedded:
    """Vectors for ``texts`` (one row each, in order), encoding only those not cached.

    Identical texts are encoded once. Corpus-fitted encoders bypass the cache.
    """
    if not encoder.cacheable or cache is None:
        return Embedded(encoder.encode(list(texts)), len(texts))
    key = encoder_key(encoder)
    hashes = [text_hash(t) for t in texts]
    unique = list(dict.fromkeys(hashes))
    found = {h: np.frombuffer(b, dtype=np.float32) for h, b in cache.get_many(key, unique).items()}
    missing = [h for h in unique if h not in found]
    if missing:
        first_text = {h: t for h, t in zip(hashes, texts, strict=True)}
        fresh = encoder.encode([first_text[h] for h in missing])
        blobs = {}
        for h, row in zip(missing, fresh, strict=True):
            row32 = np.ascontiguousarray(row, dtype=np.float32)
            found[h] = row32
            blobs[h] = row32.tobytes()
        cache.put_many(key, blobs)
    if not texts:
        return Embedded(np.zeros((0, 1), dtype=np.float32), 0)
    # One matrix filled row by row: no stacked copy beside it (100k texts: 200 MB each).
    out: Vectors = np.empty((len(texts), len(found[hashes[0]])), dtype=np.float32)
    for row, h in enumerate(hashes):
        out[row] = found[h]
    return Embedded(out, len(missing))
