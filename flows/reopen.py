"""``back`` after a save: keep the saved item so it can be re-opened and edited (rule 7).

When a step saves a record, the state just before the save and the snapshots of
the item's own answers are kept in :attr:`~flows.state.ConversationState.saved`.
``back`` with nothing left to undo re-opens that item at its saving step, marks
the state as editing the record's sequence number, and gives back the item's
answers to walk through; saving again replaces the record (same ``seq``) instead
of adding a second one.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.script import Script, Step
from flows.state import ConversationState, SavedItem, Snapshot


def item_history(
    history: list[Snapshot], step: Step, scripts: Mapping[str, Script]
) -> list[Snapshot]:
    """The trailing snapshots that belong to the item ``step`` saves.

    Those are the snapshots of steps whose answers are fields of the record, so
    walking back through a re-opened item never leaves it (a loop question such
    as "add another?" before the item belongs to no item).
    """
    sources = set(step.fields.values())
    kept: list[Snapshot] = []
    for snap in reversed(history):
        script = scripts.get(snap.script)
        if script is None:
            break
        try:
            asked = script.step(snap.step)
        except KeyError:
            break
        if asked.store_as is None or asked.store_as not in sources:
            break
        kept.append(snap)
    kept.reverse()
    return kept


def remember_saved(
    st: ConversationState, seq: int, step: Step, scripts: Mapping[str, Script]
) -> None:
    """Keep the item just saved by ``step`` (its snapshot is the last in the history)."""
    if not st.history:
        st.saved = None
        return
    st.saved = SavedItem(
        seq=seq,
        at=st.history[-1],
        history=item_history(st.history[:-1], step, scripts),
    )


def reopen(
    st: ConversationState, open_tiers: frozenset[str], scripts: Mapping[str, Script]
) -> bool:
    """Re-open the saved item for editing; ``False`` if there is none (or its tier is closed)."""
    saved = st.saved
    if saved is None or st.editing is not None:
        return False
    script = scripts.get(saved.at.script)
    if script is None or (script.tier != "onboarding" and script.tier not in open_tiers):
        return False
    st.script, st.step = saved.at.script, saved.at.step
    st.answers, st.cursor = dict(saved.at.answers), dict(saved.at.cursor)
    st.history = [snap.model_copy(deep=True) for snap in saved.history]
    st.editing = saved.seq
    st.saved = None
    st.failures = 0
    return True
