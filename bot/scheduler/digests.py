"""The digest lifecycle: claim a period once, draft, review, approve, post."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from bot.scheduler.keys import PostKey, digest_key
from bot.scheduler.poster import Poster
from flows.catalog import Catalogs
from flows.text import Literal, Msg
from storage import digests as rows
from storage.clock import utcnow
from storage.store import Store
from storage.workshops import WorkshopInfo
from storage.workshops import workshop_by_id as _workshop

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.digest.findings import Findings
    from bot.digest.metrics import DigestMetrics
    from flows.snapshot import WorkshopSnapshot

log = logging.getLogger(__name__)

SCHEDULER_ACTOR = "scheduler"
#: A digest ``posting`` for longer than this is taken to be an interrupted post
#: (its process died); a younger one is left to the process posting it.
POSTING_GRACE = timedelta(minutes=2)


#: Body fields a re-draft compares: what the digest says, not the moderators' note.
_CONTENT = ("sections", "text", "themes", "locale")
#: How many manual digests one local day may have (``2026-11-02-manual``, ``…-manual-2``…).
MANUAL_PER_DAY = 50


@dataclass(frozen=True)
class Draft:
    """The draft that would be posted now.

    Attributes:
        row: The digest, with its current body.
        text: The draft as moderators read it.
        redrafted: Whether the stored draft was out of date and was drafted again.
    """

    row: rows.DigestRow
    text: str
    redrafted: bool


def same_content(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two digest bodies say the same (the note and the period aside)."""
    return all(a.get(k) == b.get(k) for k in _CONTENT)


def default_holder() -> str:
    """This process's name in claim rows: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


class DigestService:
    """Moves each digest period through claimed → draft → approved → posted, once.

    Args:
        store: The database.
        catalogs: Message catalogs for the digest text.
        poster: Where digests, drafts and reminders go.
        clock: The time source (tests pass a fake one).
        holder: Name written into claim rows.
    """

    def __init__(
        self,
        store: Store,
        catalogs: Catalogs,
        poster: Poster,
        *,
        clock: Callable[[], datetime] = utcnow,
        holder: str | None = None,
    ) -> None:
        self.store = store
        self.catalogs = catalogs
        self.poster = poster
        self.clock = clock
        self.holder = holder or default_holder()
        self._in_flight: set[int] = set()

    # ----------------------------------------------------------------- claim
    async def open_period(self, workshop_id: int, period: str) -> bool:
        """Claim ``(workshop, period)`` and take it as far as policy allows; ``False`` if taken."""
        now = self.clock()
        digest_id = await self.store.in_session(
            lambda session: rows.claim(session, workshop_id, period, self.holder, now)
        )
        if digest_id is None:
            return False
        await self.advance(digest_id)
        return True

    async def reconcile(self) -> int:
        """Advance every claimed-but-unposted digest (after a crash or a restart).

        Each digest on its own: one that fails (its platform is down) is logged and
        retried at the next tick, and the others still go out now.
        """
        pending = await self.store.in_session(rows.unfinished)
        for row in pending:
            try:
                await self.advance(row.id)
            except Exception:
                log.exception(
                    "digest %s of workshop %s failed; retrying later", row.period, row.workshop_id
                )
        return len(pending)

    # ------------------------------------------------------------- lifecycle
    async def advance(self, digest_id: int) -> None:
        """Take one digest one or more steps forward, depending on its state and policy."""
        row, ws = await self.store.in_session(lambda session: _with_workshop(session, digest_id))
        if row is None or ws is None:
            return
        if row.status == rows.CLAIMED:
            body = await asyncio.to_thread(self.build_body, ws, row.period)
            await self.store.in_session(lambda session: rows.set_draft(session, digest_id, body))
            if ws.settings.get("digest_review", True):
                await self.poster.send_to_moderators(ws, self._draft_text(row.period, body))
                return
            await self.approve(digest_id, SCHEDULER_ACTOR)
            return
        if row.status == rows.DRAFT:
            grace = ws.settings.get("digest_auto_post_minutes")
            created = row.created_at
            if grace is not None and created is not None:
                if created.tzinfo is None:
                    created = created.replace(tzinfo=self.clock().tzinfo)
                if self.clock() - created >= timedelta(minutes=float(grace)):
                    # Nobody approved it: what goes out is drafted from the data of now.
                    await self.refresh(row, ws, SCHEDULER_ACTOR)
                    await self.approve(digest_id, SCHEDULER_ACTOR)
            return
        if row.status == rows.APPROVED:
            await self._post(ws, row)
            return
        if row.status == rows.POSTING and digest_id not in self._in_flight:
            await self._recover(ws, row)

    async def _recover(self, ws: WorkshopInfo, row: rows.DigestRow) -> None:
        """Finish a post interrupted between the platform call and the record.

        The platform is asked first; only a digest it does not show is posted
        again, with the same key (Discord's nonce also dedupes a repeat).
        """
        started = row.posted_at
        if started is not None:
            if started.tzinfo is None:
                started = started.replace(tzinfo=self.clock().tzinfo)
            if self.clock() - started < POSTING_GRACE:
                return  # another process may be posting it right now
        key = digest_key(row.workshop_id, row.period)
        found = await self.poster.find_digest(ws, key)
        if found is None:
            log.info("digest %s of %s was not posted; posting it", row.period, ws.slug)
            await self._post(ws, row)
            return
        log.info("digest %s of %s was already posted (%s)", row.period, ws.slug, found)
        now = self.clock()
        await self.store.in_session(
            lambda session: rows.mark_posted(session, row.id, found, self.holder, now)
        )

    async def current_draft(
        self, workshop_id: int, period: str, actor: str, *, create: bool = True
    ) -> Draft | None:
        """The waiting draft, drafted again if the data changed; or a new one for ``period``.

        A new draft is only stored (not sent to the moderators' channel, not
        auto-approved): the caller shows it. When ``period`` is already posted or
        skipped, the next free ``period-2``, ``period-3``… is used. ``None`` when
        nothing waits and ``create`` is false.
        """
        waiting, ws = await self.store.in_session(
            lambda session: (
                rows.latest_draft(session, workshop_id),
                _workshop(session, workshop_id),
            )
        )
        assert ws is not None
        if waiting is None:
            if not create:
                return None
            waiting = await asyncio.to_thread(self._claim_manual, workshop_id, period)
            if waiting.status == rows.DRAFT:
                return Draft(waiting, self._draft_text(waiting.period, waiting.body), False)
        return await self.refresh(waiting, ws, actor)

    async def refresh(self, row: rows.DigestRow, ws: WorkshopInfo, actor: str) -> Draft:
        """``row`` drafted again from the data of now, if that changes what it says."""
        body = await asyncio.to_thread(self.build_body, ws, row.period)
        if row.status == rows.DRAFT and same_content(body, row.body):
            return Draft(row, self._draft_text(row.period, row.body), False)
        now = self.clock()
        fresh = await self.store.in_session(
            lambda session: rows.redraft(session, row.id, body, actor, now)
        )
        return Draft(fresh, self._draft_text(fresh.period, fresh.body), row.status == rows.DRAFT)

    def _claim_manual(self, workshop_id: int, period: str) -> rows.DigestRow:
        """A claimed row for the first free manual period, drafted (new) or as found."""
        for n in range(1, MANUAL_PER_DAY + 1):
            name = period if n == 1 else f"{period}-{n}"
            with self.store.session() as session:
                found = rows.find(session, workshop_id, name)
                claimed = None
                if found is None:
                    claimed = rows.claim(session, workshop_id, name, self.holder, self.clock())
                ws = _workshop(session, workshop_id)
            if found is not None and found.status in (rows.CLAIMED, rows.DRAFT):
                return found
            if claimed is None or ws is None:
                continue  # finished, about to be posted, or claimed by another process
            body = self.build_body(ws, name)
            with self.store.session() as session:
                rows.set_draft(session, claimed, body)
                row = rows.get(session, claimed)
            assert row is not None
            return row
        raise RuntimeError(f"more than {MANUAL_PER_DAY} manual digests for {period}")

    async def approve(self, digest_id: int, actor: str) -> rows.DigestRow:
        """Approve a draft and post it."""
        now = self.clock()

        def approve(session: Session) -> tuple[rows.DigestRow, WorkshopInfo | None]:
            row = rows.approve(session, digest_id, actor, now)
            return row, _workshop(session, row.workshop_id)

        row, ws = await self.store.in_session(approve)
        assert ws is not None
        await self._post(ws, row)
        return row

    async def _post(self, ws: WorkshopInfo, row: rows.DigestRow) -> None:
        png = await asyncio.to_thread(self._png, ws)
        body = dict(row.body)
        body.setdefault("period", row.period)
        if body.get("note"):
            label = self.catalogs.render(
                Msg("staff.digest_note_label"), str(body.get("locale", "en"))
            )
            body["text"] = f"{label}\n{body['note']}\n\n{body.get('text', '')}"
            body["sections"] = [
                {"title": label, "lines": [str(body["note"])], "key": "digest.note"},
                *body.get("sections", []),
            ]
        key: PostKey = digest_key(row.workshop_id, row.period)
        started = self.clock()
        if not await self.store.in_session(
            lambda session: rows.start_posting(session, row.id, started)
        ):
            return  # skipped or posted meanwhile
        self._in_flight.add(row.id)
        try:
            try:
                message_id = await self.poster.post_digest(ws, body, png, key)
            except Exception:
                # Nobody is posting it now: the next reconcile looks and retries at once.
                await self.store.in_session(
                    lambda session: rows.posting_interrupted(session, row.id)
                )
                raise
            now = self.clock()
            await self.store.in_session(
                lambda session: rows.mark_posted(session, row.id, message_id, self.holder, now)
            )
        finally:
            self._in_flight.discard(row.id)

    # --------------------------------------------------------------- content
    def current_metrics(self, workshop_id: int) -> DigestMetrics:
        """The workshop's metrics now, with what is new since the last posted digest."""
        from bot.digest.metrics import compute_metrics

        with self.store.session() as session:
            previous = rows.latest_posted(session, workshop_id)
        since = previous.posted_at if previous is not None else None
        snap = self.store.snapshot(workshop_id)
        return compute_metrics(snap, since=since, findings=_findings(self.store, snap))

    def build_body(self, ws: WorkshopInfo, period: str) -> dict[str, Any]:
        """Draft the digest from the current, approved contributions."""
        from bot.digest.findings_text import theme_id_lines
        from bot.digest.sections import digest_sections
        from bot.scheduler.findings import themes_for_body

        metrics = self.current_metrics(ws.id)
        locale = ws.languages[0] if ws.languages else "en"
        sections = digest_sections(metrics, self.catalogs, locale)
        text = "\n\n".join("\n".join([s.title, *s.lines]).strip() for s in sections)
        # Moderators' draft: the digest as posted, then the theme ids for !theme rename/move.
        ids = theme_id_lines(metrics.findings) if metrics.findings else []
        listed = "\n".join(self.catalogs.render(line, locale) for line in ids)
        staff_text = f"{text}\n\n{listed}" if listed else text
        return {
            "period": period,
            "locale": locale,
            "sections": [
                {"title": s.title, "lines": list(s.lines), "key": s.key} for s in sections
            ],
            "text": text,
            "staff_text": staff_text,
            "themes": themes_for_body(metrics.findings) if metrics.findings else [],
        }

    def _png(self, ws: WorkshopInfo) -> bytes:
        from bot.digest.metrics import compute_metrics
        from bot.digest.picture import render_png

        locale = ws.languages[0] if ws.languages else "en"
        metrics = compute_metrics(self.store.snapshot(ws.id))
        return render_png(metrics, catalogs=self.catalogs, locale=locale)

    def _draft_text(self, period: str, body: dict[str, Any]) -> str:
        locale = str(body.get("locale", "en"))
        return self.catalogs.render(
            Msg(
                "staff.digest_draft",
                {
                    "period": period,
                    "text": Literal(str(body.get("staff_text") or body.get("text", ""))),
                },
            ),
            locale,
        )


def _findings(store: Store, snap: WorkshopSnapshot) -> Findings | None:
    """The workshop's themes; a digest without them beats no digest (logged)."""
    from bot.scheduler.findings import workshop_findings

    try:
        return workshop_findings(store, snap)
    except Exception:
        log.exception("themes could not be found for workshop %s", snap.workshop.slug)
        return None


def _with_workshop(
    session: Session, digest_id: int
) -> tuple[rows.DigestRow | None, WorkshopInfo | None]:
    """A digest row and its workshop, read in one session."""
    row = rows.get(session, digest_id)
    return row, (_workshop(session, row.workshop_id) if row else None)
