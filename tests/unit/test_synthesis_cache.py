"""Vectors are computed once per text and kept in the database (SQLite and PostgreSQL):
a second digest encodes nothing new."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest

from bot.synthesis import SentenceEncoder, ThemeText, build_themes, encoder_key, text_hash
from bot.synthesis.encoder import Vectors
from bot.testing.network import network_unreachable
from storage.embeddings import EmbeddingTable, get_many, put_many
from storage.store import Store


@pytest.fixture(autouse=True)
def offline() -> Iterator[None]:
    with network_unreachable():
        yield


class CountingEncoder:
    """The real sentence encoder, counting the texts it is asked to encode."""

    def __init__(self) -> None:
        self._inner = SentenceEncoder()
        self.name = self._inner.name
        self.version = self._inner.version
        self.cacheable = True
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.encoded.extend(texts)
        return self._inner.encode(texts)


NEEDS = (
    ThemeText("need:1", "The bus comes only once an hour.", "en", "mobility", created_order=1),
    ThemeText("need:2", "公交车一个小时才来一班。", "zh", "mobility", created_order=2),
    ThemeText("need:3", "Please run buses more often at night.", "en", "mobility", created_order=3),
    ThemeText("need:4", "The clinic queue takes all morning.", "en", "health", created_order=4),
    ThemeText("need:5", "The bus comes only once an hour.", "en", "mobility", created_order=5),
)


def test_a_second_run_encodes_nothing_and_gives_the_same_themes(store: Store) -> None:
    encoder = CountingEncoder()
    table = EmbeddingTable(store)
    first = build_themes(NEEDS, encoder=encoder, cache=table)
    assert len(encoder.encoded) == 4  # need:5 repeats need:1 word for word
    second = build_themes(NEEDS, encoder=encoder, cache=table)
    assert len(encoder.encoded) == 4
    assert second == first
    more = (
        *NEEDS,
        ThemeText("need:6", "Wifi in the library is down.", "en", "digital", None, None, 6),
    )
    build_themes(more, encoder=encoder, cache=table)
    assert encoder.encoded[4:] == ["Wifi in the library is down."]


def test_vectors_round_trip_as_float32_bytes_and_rewrites_are_harmless(store: Store) -> None:
    key = encoder_key(SentenceEncoder())
    rng = np.random.default_rng(7)
    vectors = {
        text_hash(f"text {i}"): rng.random(512, dtype=np.float32).tobytes() for i in range(1200)
    }
    with store.session() as session:
        assert put_many(session, key, vectors) == 1200
    with store.session() as session:  # the same rows again, and one new: no conflict error
        extra = {text_hash("text new"): np.ones(512, dtype=np.float32).tobytes()}
        put_many(session, key, {**dict(list(vectors.items())[:10]), **extra})
    with store.session() as session:
        found = get_many(session, key, [*vectors, text_hash("text new"), text_hash("missing")])
        other = get_many(session, "another-encoder@1", list(vectors)[:5])
    assert len(found) == 1201 and other == {}
    for h, blob in vectors.items():
        assert found[h] == blob
    assert np.frombuffer(found[text_hash("text new")], dtype=np.float32).tolist() == [1.0] * 512
