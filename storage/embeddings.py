"""The text-embedding cache: vectors as float32 bytes, by encoder and SHA-256 of the text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from storage.models import TextEmbedding
from storage.store import Store

#: Rows per statement (well under SQLite's and PostgreSQL's bound-parameter limits).
BATCH = 500

_FLOAT32 = 4


def get_many(session: Session, encoder: str, hashes: Sequence[str]) -> dict[str, bytes]:
    """The stored vectors among ``hashes`` for ``encoder``; missing hashes are left out."""
    found: dict[str, bytes] = {}
    unique = list(dict.fromkeys(hashes))
    for start in range(0, len(unique), BATCH):
        chunk = unique[start : start + BATCH]
        rows = session.exec(
            select(TextEmbedding.text_sha256, TextEmbedding.vector).where(
                TextEmbedding.encoder == encoder, col(TextEmbedding.text_sha256).in_(chunk)
            )
        ).all()
        found.update({h: bytes(v) for h, v in rows})
    return found


def put_many(session: Session, encoder: str, vectors: Mapping[str, bytes]) -> int:
    """Store vectors not stored yet (a concurrent writer of the same row is harmless).

    Returns:
        How many rows were handed to the database (existing ones are skipped by it).
    """
    dialect = session.get_bind().dialect.name
    module: Any = postgresql if dialect == "postgresql" else sqlite
    table: Any = TextEmbedding.__table__  # type: ignore[attr-defined]
    items = list(vectors.items())
    for start in range(0, len(items), BATCH):
        rows = [
            {"encoder": encoder, "text_sha256": h, "dim": len(blob) // _FLOAT32, "vector": blob}
            for h, blob in items[start : start + BATCH]
        ]
        statement = (
            module.insert(table)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["encoder", "text_sha256"])
        )
        session.execute(statement)
    return len(items)


class EmbeddingTable:
    """The cache over a store, one transaction per call (fits ``bot.synthesis.VectorCache``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def get_many(self, encoder: str, hashes: Sequence[str]) -> dict[str, bytes]:
        """The stored vectors among ``hashes``."""
        with self._store.session() as session:
            return get_many(session, encoder, hashes)

    def put_many(self, encoder: str, vectors: Mapping[str, bytes]) -> None:
        """Store vectors not stored yet, in one transaction."""
        if not vectors:
            return
        with self._store.session() as session:
            put_many(session, encoder, vectors)
