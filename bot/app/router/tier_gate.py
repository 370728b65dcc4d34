"""A tier that closes stops the people inside it; a tier that opens lets its waiters go on.

The engine already holds back someone who *reaches* a closed tier. This gate adds
the rest of the rule, around each turn, from the workshop's open tiers:

* someone inside a tier that a facilitator closed finishes the item in hand (the
  need, stakeholder or requirement they are answering), is told the tier closed,
  and waits (``waiting_tier``) instead of being asked the next question;
* someone with no item in hand is stopped at their next message (what they typed
  still works as a command: ``help``, ``my data``, ``lang zh``…);
* someone who waits inside a tier that opened again goes on at the question they
  were at, never from the start of the tier.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from flows.messages import Outcome, Reply, ReplyKind
from flows.state import ConversationState
from flows.text import Msg

#: The engine's message for someone waiting for a tier.
WAIT_MESSAGE = "tier.closed_wait"
#: Ours, for someone the closing stopped.
CLOSED_MESSAGE = "tier.closed_now"


@dataclass(frozen=True)
class Gate:
    """The state the engine should see, and whether the gate stopped the participant.

    Attributes:
        state: The state to hand to the engine.
        stopped: The participant was stopped before the turn (the tier closed while
            they had no item in hand).
    """

    state: ConversationState
    stopped: bool = False


def _inside_closed(state: ConversationState, tier: str, open_tiers: Collection[str]) -> bool:
    return (
        bool(state.script)
        and tier not in ("", "onboarding")
        and tier not in open_tiers
        and not state.finished
        and state.waiting_tier is None
        and not state.pending_forget
    )


def before_turn(
    state: ConversationState, tier_of: Callable[[str], str], open_tiers: Collection[str]
) -> Gate:
    """Apply a closing or an opening the participant has not seen yet.

    Args:
        state: The stored state.
        tier_of: The tier of a script id.
        open_tiers: The workshop's open tiers now.
    """
    tier = tier_of(state.script) if state.script else ""
    waiting = state.waiting_tier
    if waiting is not None and waiting in open_tiers and waiting == tier:
        # They were stopped inside this tier: resume at their question ("welcome back").
        return Gate(state.model_copy(update={"waiting_tier": None, "paused": True}, deep=True))
    if _inside_closed(state, tier, open_tiers) and not state.history:
        return Gate(
            state.model_copy(update={"waiting_tier": tier, "paused": False}, deep=True),
            stopped=True,
        )
    return Gate(state)


def after_turn(
    outcome: Outcome,
    gate: Gate,
    tier_of: Callable[[str], str],
    open_tiers: Collection[str],
) -> Outcome:
    """Stop a participant who has just finished an item in a closed tier.

    The question the engine asked next is dropped and the participant is told the
    tier closed; a participant the gate stopped before the turn is told the same.
    """
    state: ConversationState = outcome.state
    if gate.stopped:
        if state.waiting_tier is None or state.pending_forget:
            return outcome  # forgotten, or asked to confirm ``forget me`` first
        replies = [_closed(r, state) for r in outcome.replies]
        if not any(r.body.id == CLOSED_MESSAGE for r in replies):
            # A command (``reminders off``, ``my data``) was answered; say why no question follows.
            replies.append(Reply(Msg(CLOSED_MESSAGE, {"tier": Msg(f"tier.{state.waiting_tier}")})))
        return replace(outcome, replies=replies)
    tier = tier_of(state.script) if state.script else ""
    if state.paused or not _inside_closed(state, tier, open_tiers):
        return outcome
    if not outcome.records and state.history:
        return outcome  # the item in hand is not finished yet
    replies = list(outcome.replies)
    while replies and replies[-1].kind == ReplyKind.PROMPT:
        replies.pop()
    replies.append(Reply(Msg(CLOSED_MESSAGE, {"tier": Msg(f"tier.{tier}")})))
    stopped = state.model_copy(update={"waiting_tier": tier}, deep=True)
    return replace(outcome, state=stopped, replies=replies)


def _closed(reply: Reply, state: ConversationState) -> Reply:
    if reply.body.id != WAIT_MESSAGE:
        return reply
    return Reply(Msg(CLOSED_MESSAGE, {"tier": Msg(f"tier.{state.waiting_tier}")}), reply.kind)
