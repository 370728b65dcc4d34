"""Group commit: one writer thread per lane runs queued turns in shared transactions.

A job that fails is rolled back alone (the batch is retried with each job in
its own SAVEPOINT); the jobs of a batch are committed together with one durable commit,
and only then are their futures resolved, so no caller learns of a result (and
no reply is sent) before its writes are durable. With SQLite there is one lane
(SQLite has one writer anyway); with PostgreSQL several, and a key (the
participant) always maps to the same lane, which keeps each participant's
turns in order.

Jobs must use Core statements or plain SQL, not ORM objects: savepoints are
plain SQL, so the session's identity map would not follow a rollback.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
import zlib
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

T = TypeVar("T")
log = logging.getLogger(__name__)

#: At most this many jobs share one transaction: enough to amortise the commit, few
#: enough that a message arriving behind a full batch waits only a few milliseconds.
MAX_BATCH = 32


@dataclass
class _Job(Generic[T]):
    work: Callable[[Session], T]
    future: Future[T] | asyncio.Future[T]
    loop: asyncio.AbstractEventLoop | None = None


class _Stop:
    """Queued to end a lane."""


class _JobFailed(Exception):
    """One job of an optimistic batch raised; the batch is retried without it."""

    def __init__(self, job: _Job[Any], error: BaseException) -> None:
        super().__init__(str(error))
        self.job = job
        self.error = error


class GroupCommitter:
    """Runs ``work(session)`` jobs in batches, one durable commit per batch.

    Args:
        engine: The database engine.
        lanes: Writer threads; jobs with the same key share a lane.
        max_batch: Largest number of jobs in one transaction.
    """

    def __init__(self, engine: Engine, *, lanes: int = 1, max_batch: int = MAX_BATCH) -> None:
        self.engine = engine
        self.max_batch = max_batch
        self._queues: list[queue.SimpleQueue[_Job[Any] | _Stop]] = [
            queue.SimpleQueue() for _ in range(lanes)
        ]
        self._threads = [
            threading.Thread(target=self._run, args=(q,), name=f"cityneeds-commit-{i}", daemon=True)
            for i, q in enumerate(self._queues)
        ]
        self._closed = False
        self._lock = threading.Lock()
        #: Batches committed and jobs run, for benchmarks.
        self.batches = 0
        self.jobs = 0
        for thread in self._threads:
            thread.start()

    def _put(self, key: str, job: _Job[Any]) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the store is closed")
            self._queues[zlib.crc32(key.encode()) % len(self._queues)].put(job)

    def submit(self, key: str, work: Callable[[Session], T]) -> Future[T]:
        """Queue ``work`` on the lane of ``key``; the future resolves after the commit.

        Raises:
            RuntimeError: The committer was closed.
        """
        future: Future[T] = Future()
        self._put(key, _Job(work, future))
        return future

    def submit_async(self, key: str, work: Callable[[Session], T]) -> asyncio.Future[T]:
        """Like :meth:`submit`, for the running event loop.

        The futures of one batch are resolved with a single wake-up of the loop,
        not one per job (that wake-up cost more than the job at high load).
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._put(key, _Job(work, future, loop))
        return future

    def run(self, key: str, work: Callable[[Session], T]) -> T:
        """Run ``work`` and wait for its durable result (or its exception)."""
        return self.submit(key, work).result()

    def close(self) -> None:
        """Finish queued jobs and stop the writer threads."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for q in self._queues:
                q.put(_Stop())
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()

    # ------------------------------------------------------------- writer
    def _run(self, jobs: queue.SimpleQueue[_Job[Any] | _Stop]) -> None:
        stopping = False
        while not stopping:
            first = jobs.get()
            if isinstance(first, _Stop):
                return
            batch: list[_Job[Any]] = [first]
            while len(batch) < self.max_batch:
                try:
                    more = jobs.get_nowait()
                except queue.Empty:
                    break
                if isinstance(more, _Stop):
                    stopping = True
                    break
                batch.append(more)
            self._resolve(self._commit(batch))

    def _commit(self, batch: list[_Job[Any]]) -> list[tuple[_Job[Any], bool, Any]]:
        pending = [
            job
            for job in batch
            if not isinstance(job.future, Future) or job.future.set_running_or_notify_cancel()
        ]
        failed: list[tuple[_Job[Any], bool, Any]] = []
        # Optimistic first: no savepoints (they cost two statements per turn). If a
        # job fails, the transaction is rolled back, that job gets its error, and the
        # others run again, this time each in its own savepoint.
        savepoints = False
        while pending:
            try:
                outcomes = self._transaction(pending, savepoints)
            except _JobFailed as failure:
                failed.append((failure.job, False, failure.error))
                pending = [job for job in pending if job is not failure.job]
                savepoints = True
                continue
            except BaseException as exc:
                log.exception("a group commit of %d turns failed", len(pending))
                return failed + [(job, False, exc) for job in pending]
            self.batches += 1
            self.jobs += len(outcomes)
            return failed + outcomes
        return failed

    def _transaction(
        self, jobs: list[_Job[Any]], savepoints: bool
    ) -> list[tuple[_Job[Any], bool, Any]]:
        outcomes: list[tuple[_Job[Any], bool, Any]] = []
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            connection = session.connection().connection.driver_connection
            cursor = connection.cursor()  # type: ignore[union-attr]
            for job in jobs:
                if not savepoints:
                    try:
                        outcomes.append((job, True, job.work(session)))
                    except BaseException as exc:
                        raise _JobFailed(job, exc) from exc
                    continue
                cursor.execute("SAVEPOINT cityneeds_turn")
                try:
                    value = job.work(session)
                except BaseException as exc:
                    cursor.execute("ROLLBACK TO SAVEPOINT cityneeds_turn")
                    cursor.execute("RELEASE SAVEPOINT cityneeds_turn")
                    outcomes.append((job, False, exc))
                    continue
                cursor.execute("RELEASE SAVEPOINT cityneeds_turn")
                outcomes.append((job, True, value))
        return outcomes

    def _resolve(self, outcomes: list[tuple[_Job[Any], bool, Any]]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job[Any], bool, Any]]] = defaultdict(
            list
        )
        for job, ok, value in outcomes:
            if job.loop is not None:
                by_loop[job.loop].append((job, ok, value))
        _settle([outcome for outcome in outcomes if outcome[0].loop is None])
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:  # the loop was closed meanwhile; nobody is waiting
                log.warning("%d turn results had no event loop to go to", len(items))


def _settle(items: list[tuple[_Job[Any], bool, Any]]) -> None:
    """Resolve jobs' futures (thread futures here, asyncio ones on their loop's thread)."""
    for job, ok, value in items:
        if job.future.done():
            continue
        if ok:
            job.future.set_result(value)
        else:
            job.future.set_exception(value)
