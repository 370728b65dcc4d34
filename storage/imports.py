"""Needs imported from a file (paper forms, an earlier survey): one offline participant per row.

Rows arrive validated (see ``bot/cli/import_rows.py``); this module only stores them,
all in the caller's transaction, so a file is imported whole or not at all. Rows that
share a pseudonym (a paper form's reference code) are one participant with several
needs, and who brought that form in is kept, as for assisted entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session, col, select

from flows.kinds import Role, Status
from storage.assistance import AssistanceInfo, record_assistance
from storage.audit import audit
from storage.models import Need, NeedImport, Participant, Workshop
from storage.upsert import insert_ignore

#: The participant platform and need origin of imported rows.
IMPORT_PLATFORM = "import"
#: Rows written per statement (and per progress report).
BATCH_ROWS = 250
#: The audit action of an import.
AUDIT_ACTION = "needs.import"

_PARTICIPANT = Participant.__table__  # type: ignore[attr-defined]
_NEED = Need.__table__  # type: ignore[attr-defined]
_IMPORT = NeedImport.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class ImportedNeed:
    """One validated row: an offline participant and the need they wrote down.

    Attributes:
        pseudonym: The participant's pseudonym (derived from workshop, file and row).
        helix: Helix group code.
        locale: Locale code.
        domain: Domain code.
        importance: 1–5, or ``None`` when left blank.
        satisfaction: 1–5, or ``None`` when left blank.
        text: The need, cleaned as chat answers are.
        hmw: The "how might we" question, if given.
        assistance: Who brought the resident's paper form in, when the row carries a
            reference code (then ``pseudonym`` is the code's, and the resident can ask
            for ``my data`` or ``forget me`` with it); ``None`` for an anonymous row.
            Rows with one pseudonym are one participant's needs.
    """

    pseudonym: str
    helix: str
    locale: str
    domain: str
    importance: int | None
    satisfaction: int | None
    text: str
    hmw: str | None
    assistance: AssistanceInfo | None = None


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did.

    Attributes:
        added: Needs stored by this call (0 when the file was imported before).
        status: The moderation status the new needs got.
        imported_at: When this file was first imported into the workshop.
        imported_by: Who imported it first.
        repeated: Whether the file had already been imported.
        participants: Participants created by this call.
        referenced: How many of them have a reference code.
    """

    added: int
    status: Status
    imported_at: datetime | None
    imported_by: str
    repeated: bool
    participants: int = 0
    referenced: int = 0


class ResidentsExist(Exception):
    """Some rows' residents are already in the workshop (their reference code was used before).

    Attributes:
        pseudonyms: The pseudonyms already taken.
    """

    def __init__(self, pseudonyms: frozenset[str]) -> None:
        super().__init__(f"{len(pseudonyms)} resident(s) already in the workshop")
        self.pseudonyms = pseudonyms


def previous_import(session: Session, workshop_id: int, content_hash: str) -> NeedImport | None:
    """The earlier import of a file with this content into the workshop, if any."""
    return session.exec(
        select(NeedImport).where(
            NeedImport.workshop_id == workshop_id, NeedImport.content_hash == content_hash
        )
    ).first()


def import_needs(
    session: Session,
    workshop_id: int,
    *,
    file_name: str,
    content_hash: str,
    rows: Sequence[ImportedNeed],
    actor: str,
    now: datetime,
    progress: Callable[[int], None] | None = None,
) -> ImportOutcome:
    """Store ``rows`` as offline participants, once per file content.

    Each pseudonym becomes one participant with the needs of its rows, in file order;
    its first row gives group and language. The workshop's moderation policy applies
    (pre-moderation: pending). Imported participants count as consented (the forms
    were collected by the facilitator) and get no reminders. The import is audited
    under ``actor``.

    Args:
        session: Open session; everything happens in its transaction.
        workshop_id: Workshop to import into.
        file_name: The file's name, for the record and the audit log.
        content_hash: SHA-256 of the file's bytes: the same content is imported once.
        rows: Validated rows.
        actor: Who imports (named in the audit log).
        now: Time of the import.
        progress: Called with the number of rows stored after each batch.

    Raises:
        KeyError: No such workshop.
        ResidentsExist: A row's resident (a pseudonym with ``assistance``) is already a
            participant of the workshop; nothing is stored.
    """
    workshop = session.get(Workshop, workshop_id)
    if workshop is None:
        raise KeyError(workshop_id)
    status = Status.APPROVED if workshop.moderation == "post" else Status.PENDING
    claimed = insert_ignore(
        session,
        _IMPORT,
        {
            "workshop_id": workshop_id,
            "content_hash": content_hash,
            "file_name": file_name[:200],
            "rows": len(rows),
            "imported_by": actor[:100],
            "created_at": now,
        },
        ["workshop_id", "content_hash"],
    )
    if claimed is None:
        earlier = previous_import(session, workshop_id, content_hash)
        assert earlier is not None
        return ImportOutcome(
            added=0,
            status=status,
            imported_at=earlier.created_at,
            imported_by=earlier.imported_by,
            repeated=True,
        )
    helped = {row.pseudonym: row.assistance for row in rows if row.assistance is not None}
    taken = _existing(session, workshop_id, helped)
    if taken:
        raise ResidentsExist(taken)
    ids: dict[str, int] = {}
    # A resident's paper needs take the numbers below 0 (-k … -1, in file order), so
    # needs they add later in chat (``chat --reference``; numbered from 0) never collide.
    paper = Counter(row.pseudonym for row in rows if row.assistance is not None)
    seqs = {pseudonym: -count for pseudonym, count in paper.items()}
    done = 0
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        ids.update(_insert_participants(session, workshop_id, batch, ids, now))
        session.execute(
            insert(_NEED),
            [
                {
                    "workshop_id": workshop_id,
                    "participant_id": ids[row.pseudonym],
                    "seq": _next_seq(seqs, row.pseudonym),
                    "status": status.value,
                    "created_at": now,
                    "domain_code": row.domain,
                    "text": row.text,
                    "hmw": row.hmw,
                    "importance": row.importance,
                    "satisfaction": row.satisfaction,
                    "origin": IMPORT_PLATFORM,
                }
                for row in batch
            ],
        )
        done += len(batch)
        if progress is not None:
            progress(done)
    for pseudonym, info in helped.items():
        record_assistance(session, workshop_id, pseudonym, info, now)
    audit(
        session,
        workshop_id,
        actor,
        AUDIT_ACTION,
        {
            "file": file_name,
            "sha256": content_hash,
            "needs": len(rows),
            "participants": len(ids),
            "referenced": len(helped),
            "status": status.value,
        },
        now,
    )
    return ImportOutcome(
        added=len(rows),
        status=status,
        imported_at=now,
        imported_by=actor,
        repeated=False,
        participants=len(ids),
        referenced=len(helped),
    )


def _existing(session: Session, workshop_id: int, pseudonyms: Iterable[str]) -> frozenset[str]:
    """Which of ``pseudonyms`` are already participants of the workshop."""
    wanted = list(pseudonyms)
    found: set[str] = set()
    for start in range(0, len(wanted), BATCH_ROWS):
        found.update(
            session.exec(
                select(Participant.pseudonym).where(
                    Participant.workshop_id == workshop_id,
                    col(Participant.pseudonym).in_(wanted[start : start + BATCH_ROWS]),
                )
            )
        )
    return frozenset(found)


def _next_seq(seqs: dict[str, int], pseudonym: str) -> int:
    """The next need number of a participant (0 for an anonymous row, see above for residents)."""
    seq = seqs.get(pseudonym, 0)
    seqs[pseudonym] = seq + 1
    return seq


def _insert_participants(
    session: Session,
    workshop_id: int,
    batch: Sequence[ImportedNeed],
    known: Mapping[str, int],
    now: datetime,
) -> dict[str, int]:
    """Insert the batch's participants not stored yet: the first row of each pseudonym."""
    first: dict[str, ImportedNeed] = {}
    for row in batch:
        if row.pseudonym not in known:
            first.setdefault(row.pseudonym, row)
    if not first:
        return {}
    result = session.execute(
        insert(_PARTICIPANT).returning(_PARTICIPANT.c.id, _PARTICIPANT.c.pseudonym),
        [
            {
                "workshop_id": workshop_id,
                "pseudonym": row.pseudonym,
                "platform": IMPORT_PLATFORM,
                "role": Role.CITIZEN.value,
                "helix": row.helix,
                "locale": row.locale,
                "accessibility": {},
                "reminders": False,
                "consent_at": now,
                "created_at": now,
            }
            for row in first.values()
        ],
    )
    return {str(pseudonym): int(pid) for pid, pseudonym in result.all()}
