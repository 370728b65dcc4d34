"""Group commit: shared transactions, one failing turn alone rolled back, nothing early."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, insert, select, text
from sqlmodel import Session

from storage.group_commit import GroupCommitter
from storage.models import InstallSetting
from storage.store import Store

TABLE = InstallSetting.__table__  # type: ignore[attr-defined]


@pytest.fixture
def committer(store: Store) -> Iterator[GroupCommitter]:
    c = GroupCommitter(store.engine, lanes=2)
    yield c
    c.close()


def _write(key: str, fail: bool = False):  # type: ignore[no-untyped-def]
    def work(session: Session) -> str:
        session.execute(insert(TABLE).values(key=key, value="v"))
        if fail:
            raise ValueError(f"{key} broke")
        return key

    return work


def _keys(store: Store) -> set[str]:
    with store.engine.connect() as connection:
        return {row[0] for row in connection.execute(select(TABLE.c.key))}


def test_a_failing_turn_is_rolled_back_alone_and_the_batch_commits(
    store: Store, committer: GroupCommitter
) -> None:
    gate = threading.Event()

    def blocker(session: Session) -> None:
        gate.wait(5)

    first = committer.submit("same-lane", blocker)
    futures = [committer.submit("same-lane", _write(f"k{i}", fail=i == 3)) for i in range(6)]
    gate.set()
    first.result(5)
    results = []
    for f in futures:
        try:
            results.append(f.result(5))
        except ValueError as exc:
            results.append(str(exc))
    assert results == ["k0", "k1", "k2", "k3 broke", "k4", "k5"]
    assert _keys(store) >= {"k0", "k1", "k2", "k4", "k5"} and "k3" not in _keys(store)
    assert committer.batches < committer.jobs  # the six shared a transaction


def test_no_result_is_given_before_the_commit_and_a_failed_commit_fails_them_all(
    store: Store, committer: GroupCommitter
) -> None:
    def boom(connection: object) -> None:
        raise RuntimeError("disk full")

    event.listen(store.engine, "commit", boom)
    try:
        futures = [committer.submit("lane", _write(f"lost{i}")) for i in range(3)]
        for f in futures:
            with pytest.raises(RuntimeError, match="disk full"):
                f.result(5)
    finally:
        event.remove(store.engine, "commit", boom)
    assert not {k for k in _keys(store) if k.startswith("lost")}
    assert committer.run("lane", _write("after")) == "after"
    assert "after" in _keys(store)


def test_async_submissions_resolve_on_their_loop_after_the_commit(
    store: Store, committer: GroupCommitter
) -> None:
    seen: list[bool] = []

    def work(session: Session) -> str:
        session.execute(insert(TABLE).values(key="async", value="v"))
        return "done"

    async def main() -> str:
        result = await committer.submit_async("k", work)
        with store.engine.connect() as connection:  # another connection sees it: durable
            seen.append(
                connection.execute(
                    text("SELECT COUNT(*) FROM installsetting WHERE key = 'async'")
                ).scalar()
                == 1
            )
        return result

    assert asyncio.run(main()) == "done"
    assert seen == [True]


def test_a_closed_committer_refuses_new_work(store: Store) -> None:
    c = GroupCommitter(store.engine)
    c.close()
    with pytest.raises(RuntimeError, match="closed"):
        c.submit("x", _write("never"))
