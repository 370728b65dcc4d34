"""The storage facade the bot uses: one object per database."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

from flows.snapshot import WorkshopSnapshot
from storage import (
    assistance,
    channels,
    imports,
    migrate,
    participants,
    settings,
    snapshot,
    turns,
    workshops,
)
from storage.clock import utcnow
from storage.database import is_sqlite, make_engine
from storage.group_commit import GroupCommitter
from storage.inbox import Inbox
from storage.migrate import SchemaOutOfDate, SchemaUpgradeError
from storage.timeouts import DEFAULT_CONNECT_TIMEOUT

__all__ = ["SchemaOutOfDate", "SchemaUpgradeError", "Store"]

T = TypeVar("T")

#: How long a process trusts its copy of a workshop's scenarios.
SCENARIO_CACHE_SECONDS = 10.0
#: Writer threads (group-commit lanes) on PostgreSQL.
POSTGRES_LANES = 4


class Store:
    """Sessions, migrations and the queries the bot needs.

    Args:
        url: SQLAlchemy URL (``sqlite:///cityneeds.db`` or ``postgresql+psycopg://…``).
        schema: PostgreSQL schema to work in (tests give each test its own).
        pool_size: Connections kept open (PostgreSQL).
        connect_timeout: Seconds to wait for a new PostgreSQL connection.
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        pool_size: int = 10,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    ) -> None:
        self.url = url
        self.engine: Engine = make_engine(
            url, schema=schema, pool_size=pool_size, connect_timeout=connect_timeout
        )
        self._scenarios: dict[int, tuple[float, list[workshops.ScenarioInfo]]] = {}
        # SQLite has a single writer: one lane. PostgreSQL takes concurrent writers.
        lanes = 1 if is_sqlite(url) else POSTGRES_LANES
        self.committer = GroupCommitter(self.engine, lanes=lanes)
        #: Platform events kept from before their ack, and replies until sent.
        self.inbox = Inbox(self.session, self.committer)

    # ------------------------------------------------------------ lifecycle
    def upgrade(self) -> None:
        """Apply every pending Alembic migration (serialised between processes).

        Raises:
            SchemaUpgradeError: A migration failed.
        """
        migrate.upgrade(self.engine)

    def current_revision(self) -> str | None:
        """The database's Alembic revision, or ``None`` if it has none."""
        with self.engine.connect() as connection:
            return migrate.current_revision(connection)

    def head_revision(self) -> str | None:
        """The newest shipped migration."""
        return migrate.head_revision()

    def ensure_schema(self) -> None:
        """Upgrade an empty database; refuse one that is behind (run ``cityneeds db upgrade``).

        Replicas starting together on an empty database take turns (see
        :func:`storage.migrate.ensure_current`); all of them start.

        Raises:
            SchemaOutOfDate: Tables exist but the revision is not the newest.
            SchemaUpgradeError: A migration failed.
        """
        migrate.ensure_current(self.engine)

    def dispose(self) -> None:
        """Finish queued turns, stop the writer threads and close pooled connections."""
        self.committer.close()
        self.engine.dispose()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction, committed on success and rolled back on error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    async def in_session(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one :meth:`session` on a worker thread, for async callers.

        The adapters answer everyone from one event loop; a session opened there
        would hold up every other conversation until the database answers.
        """

        def run() -> T:
            with self.session() as session:
                return work(session)

        return await asyncio.to_thread(run)

    # ---------------------------------------------------------------- turns
    def run_turn(self, request: turns.TurnRequest[T]) -> turns.TurnResult[T]:
        """Run one participant turn and wait until it is durable (see :meth:`submit_turn`)."""
        return self.submit_turn(request).result()

    def submit_turn(self, request: turns.TurnRequest[T]) -> Future[turns.TurnResult[T]]:
        """Queue one participant turn (see :func:`storage.turns.run_turn`).

        Turns are group-committed: concurrent turns share one transaction and one
        durable commit. The future resolves only after that commit, so a reply
        built from its result is never sent for an answer that could still be lost.
        """
        return self.committer.submit(request.pseudonym, self._turn_work(request))

    def submit_turn_async(
        self, request: turns.TurnRequest[T]
    ) -> asyncio.Future[turns.TurnResult[T]]:
        """:meth:`submit_turn` for the running event loop (no thread waits on it)."""
        return self.committer.submit_async(request.pseudonym, self._turn_work(request))

    def _turn_work(self, request: turns.TurnRequest[T]) -> Callable[[Session], turns.TurnResult[T]]:
        def work(session: Session) -> turns.TurnResult[T]:
            return turns.run_turn(session, request, scenarios=self._cached_scenarios)

        return work

    def _cached_scenarios(self, session: Session, workshop_id: int) -> list[workshops.ScenarioInfo]:
        # Scenarios change rarely (a facilitator attaches one); re-reading them on
        # every turn cost more than the rest of the turn's queries together.
        now = time.monotonic()
        cached = self._scenarios.get(workshop_id)
        if cached is not None and now - cached[0] < SCENARIO_CACHE_SECONDS:
            return cached[1]
        fresh = workshops.scenarios_of(session, workshop_id)
        self._scenarios[workshop_id] = (now, fresh)
        return fresh

    def claim_delivery(self, platform: str, delivery_id: str) -> bool:
        """Record a delivery; ``False`` if it was already handled."""
        with self.session() as session:
            return turns.claim_delivery(session, platform, delivery_id, utcnow())

    # ------------------------------------------------------------ workshops
    def create_workshop(self, slug: str, title: str, **kwargs: object) -> workshops.WorkshopInfo:
        """Create a workshop (see :func:`storage.workshops.create_workshop`)."""
        with self.session() as session:
            return workshops.create_workshop(session, slug, title, **kwargs)  # type: ignore[arg-type]

    def find_workshop(self, slug: str) -> workshops.WorkshopInfo | None:
        """The workshop with ``slug``, if any."""
        with self.session() as session:
            return workshops.find_workshop(session, slug)

    def list_workshops(self) -> list[tuple[workshops.WorkshopInfo, int]]:
        """All workshops with participant counts."""
        with self.session() as session:
            return workshops.list_workshops(session)

    def set_tier(self, slug: str, tier: str, is_open: bool) -> workshops.WorkshopInfo:
        """Open or close a tier."""
        with self.session() as session:
            return workshops.set_tier(session, slug, tier, is_open)

    def scenarios(self, workshop_id: int) -> list[workshops.ScenarioInfo]:
        """Scenarios a workshop offers."""
        self._scenarios.pop(workshop_id, None)
        with self.session() as session:
            return workshops.scenarios_of(session, workshop_id)

    # ---------------------------------------------------------- participants
    def participant_data(self, participant_id: int) -> participants.ParticipantData:
        """Everything stored about a participant."""
        with self.session() as session:
            return participants.participant_data(session, participant_id)

    def contribution_counts(self, participant_id: int) -> dict[str, int]:
        """Counts of a participant's contributions."""
        with self.session() as session:
            return participants.contribution_counts(session, participant_id)

    def record_assistance(
        self, workshop_id: int, pseudonym: str, info: assistance.AssistanceInfo
    ) -> None:
        """Keep who assists a resident (assisted entry); a second call changes nothing."""
        with self.session() as session:
            assistance.record_assistance(session, workshop_id, pseudonym, info, utcnow())

    def assistance_of(self, workshop_id: int, pseudonym: str) -> assistance.AssistanceInfo | None:
        """Who assists ``pseudonym``, or ``None``."""
        with self.session() as session:
            return assistance.assistance_of(session, workshop_id, pseudonym)

    def install_secret(self) -> str:
        """The per-install pseudonym secret (created on first use)."""
        with self.session() as session:
            return settings.install_secret(session)

    # --------------------------------------------------------------- imports
    def import_needs(
        self,
        workshop_id: int,
        *,
        file_name: str,
        content_hash: str,
        rows: list[imports.ImportedNeed],
        actor: str,
        progress: Callable[[int], None] | None = None,
    ) -> imports.ImportOutcome:
        """Import validated rows in one transaction (see :func:`storage.imports.import_needs`)."""
        with self.session() as session:
            return imports.import_needs(
                session,
                workshop_id,
                file_name=file_name,
                content_hash=content_hash,
                rows=rows,
                actor=actor,
                now=utcnow(),
                progress=progress,
            )

    # --------------------------------------------------------------- digest
    def snapshot(self, workshop_id: int, *, approved_only: bool = True) -> WorkshopSnapshot:
        """Everything the stakeholder map needs, in one read."""
        with self.session() as session:
            return snapshot.load_snapshot(session, workshop_id, approved_only=approved_only)

    # -------------------------------------------------------------- channels
    def bind_channel(
        self, workshop_id: int, platform: str, channel_id: str, purpose: str = "workshop"
    ) -> bool:
        """Bind a chat channel to a workshop (see :func:`storage.channels.bind`)."""
        with self.session() as session:
            return channels.bind(session, workshop_id, platform, channel_id, purpose, utcnow())

    def workshop_of_channel(
        self, platform: str, channel_id: str, purpose: str = "workshop"
    ) -> channels.Binding | None:
        """The workshop a channel runs, if bound."""
        with self.session() as session:
            return channels.workshop_of_channel(session, platform, channel_id, purpose)

    def channel_of_workshop(
        self, workshop_id: int, platform: str, purpose: str = "workshop"
    ) -> channels.Binding | None:
        """Where a workshop runs (or is moderated) on ``platform``."""
        with self.session() as session:
            return channels.channel_of_workshop(session, workshop_id, platform, purpose)

    def bindings(self, platform: str | None = None) -> list[channels.Binding]:
        """Every channel binding (of one platform, if given)."""
        with self.session() as session:
            return channels.bindings(session, platform)

    def latest_workshop_of(self, pseudonym: str) -> str | None:
        """The workshop slug a participant last answered in (for direct messages)."""
        with self.session() as session:
            return channels.latest_workshop_of(session, pseudonym)
