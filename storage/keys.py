"""Normalised keys that let the map merge the same stakeholder named by different people."""

from __future__ import annotations

from flows.actor_names import actor_key


def stakeholder_key(name: str) -> str:
    """Fold case, width, spacing and punctuation: ``"The City  Council!"`` → ``"city council"``.

    The folding itself is :func:`flows.actor_names.actor_key`, shared with the engine.
    """
    return actor_key(name)
