"""An event is kept from before its ack until handled; its replies are stored with its turn.

Storage only (SQLite and PostgreSQL): the adapters' end-to-end tests are in
``tests/e2e/slack/test_inbox.py`` and ``test_kill_after_ack.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from storage.clock import utcnow
from storage.inbox import InboxStatus, OutboxStatus, Outgoing, complete
from storage.store import Store
from storage.turns import TurnRequest, TurnView, TurnWrite


def _turn(store: Store, delivery: str, also: object) -> TurnRequest[str]:
    def decide(view: TurnView) -> tuple[TurnWrite, str]:
        return TurnWrite(state={"n": 1}, script="s", step="a", finished=False), "next question"

    return TurnRequest(
        workshop_slug="city",
        pseudonym="p-1",
        platform="slack",
        delivery_id=delivery,
        decide=decide,
        now=utcnow(),
        also=also,  # type: ignore[arg-type]
    )


async def test_a_redelivered_event_finds_its_row_and_is_closed_once(store: Store) -> None:
    first = await store.inbox.receive_async("slack", "Ev1", '{"event_id": "Ev1"}')
    again = store.inbox.receive("slack", "Ev1", '{"event_id": "Ev1"}')
    other = store.inbox.receive("discord", "Ev1", "{}")  # another platform's key space
    assert first.fresh and not again.fresh and other.fresh
    assert again.item.id == first.item.id and again.item.status == InboxStatus.RECEIVED
    assert [i.id for i in store.inbox.unfinished("slack")] == [first.item.id]
    begun = store.inbox.begin(first.item.id)
    assert begun is not None and begun.attempts == 1

    ids = store.inbox.complete(first.item.id, [Outgoing("D1", "one"), Outgoing("D1", "two")])
    assert ids is not None and len(ids) == 2
    assert store.inbox.complete(first.item.id, [Outgoing("D1", "three")]) is None
    assert store.inbox.begin(first.item.id) is None  # no longer waiting
    assert store.inbox.unfinished("slack") == []
    assert [m.payload for m in store.inbox.outbox_of(first.item.id)] == ["one", "two"]
    assert [m.id for m in store.inbox.unsent("slack")] == ids

    assert store.inbox.mark_sent(ids[0], "1700000000.000100")
    assert not store.inbox.mark_sent(ids[0], "again")
    store.inbox.mark_failed(ids[1])
    assert store.inbox.unsent("slack") == []
    sent = store.inbox.outbox_of(first.item.id)
    assert [(m.status, m.platform_ref) for m in sent] == [
        (OutboxStatus.SENT, "1700000000.000100"),
        (OutboxStatus.FAILED, None),
    ]
    assert store.inbox.counts("slack") == {"inbox.done": 1, "outbox.sent": 1, "outbox.failed": 1}
    assert store.inbox.prune("slack", utcnow() + timedelta(seconds=1)) == 1
    assert store.inbox.counts("slack") == {}
    assert store.inbox.counts("discord") == {"inbox.received": 1}


async def test_the_replies_are_stored_with_the_turn_or_not_at_all(store: Store) -> None:
    store.create_workshop("city", "City")
    event = store.inbox.receive("slack", "Ev2", "{}").item

    def fails(session: Session, value: str) -> None:
        complete(session, event.id, [Outgoing("D1", value)], utcnow())
        raise RuntimeError("the process died in the middle of the transaction")

    with pytest.raises(RuntimeError):
        await store.submit_turn_async(_turn(store, "Ev2", fails))
    # Nothing of the turn is stored: not its delivery, not its replies, not the row's close.
    assert store.inbox.outbox_of(event.id) == []
    assert [i.id for i in store.inbox.unfinished("slack")] == [event.id]

    def stores(session: Session, value: str) -> None:
        complete(session, event.id, [Outgoing("D1", value)], utcnow())

    result = await store.submit_turn_async(_turn(store, "Ev2", stores))
    assert not result.duplicate and result.value == "next question"
    assert [m.payload for m in store.inbox.outbox_of(event.id)] == ["next question"]
    assert store.inbox.unfinished("slack") == []
    # Handling the event a second time finds the turn stored and queues nothing more.
    again = await store.submit_turn_async(_turn(store, "Ev2", stores))
    assert again.duplicate
    assert len(store.inbox.outbox_of(event.id)) == 1
