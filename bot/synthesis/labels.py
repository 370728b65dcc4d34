"""Short labels from key words.

The TF-IDF top terms of a theme's members against the other themes, in the reader's
language (Chinese segmented with jieba).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np

from bot.synthesis.tokens import words

#: Key words per label.
TERMS = 3
#: Members read per theme and locale (the closest to the centre): labels stay cheap at scale.
READ = 60

_JOIN = {"zh": "、", "ja": "、", "ar": "، "}


def _singular(counts: Counter[str]) -> Counter[str]:
    """Fold English plurals into their singular when both occur ("buses" into "bus")."""
    folded: Counter[str] = Counter()
    for word, n in counts.items():
        stem = word
        for end in ("es", "s"):
            if word.endswith(end) and word[: -len(end)] in counts:
                stem = word[: -len(end)]
                break
        folded[stem] += n
    return folded


def key_word_labels(
    docs: Sequence[Sequence[str]], locale: str, terms: int = TERMS
) -> list[str | None]:
    """One label per theme from its member texts (``docs[i]``), or ``None`` if it has none.

    A term's weight is its count in the theme times the inverse share of themes using it.
    """
    counts = [_singular(Counter(w for text in texts for w in words(text))) for texts in docs]
    used_by = Counter(w for c in counts for w in c)
    total = len(docs)
    labels: list[str | None] = []
    for c in counts:
        if not c:
            labels.append(None)
            continue
        scored = sorted(
            c.items(),
            key=lambda item: (
                -(1 + np.log(item[1])) * np.log((1 + total) / (1 + used_by[item[0]])),
                -item[1],
                item[0],
            ),
        )
        top = [w for w, _ in scored[:terms]]
        labels.append(_JOIN.get(locale, ", ").join(top))
    return labels
