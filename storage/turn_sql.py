"""The hot statements of a participant turn, as plain SQL on the DBAPI connection.

A turn runs a handful of tiny statements; building and caching SQLAlchemy
constructs for each cost several times more than SQLite executing them (see
``bench/ingest.py`` and README's Performance section). These few statements
are therefore written out per dialect and executed on the session's own DBAPI
connection, inside the same transaction and savepoint as everything else.
Values are stored exactly as SQLAlchemy stores them (JSON as text, SQLite
datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff`` in UTC), so the ORM reads them back.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

_PERSON_COLUMNS = (
    "id",
    "role",
    "locale",
    "helix",
    "consent_at",
    "address",
    "last_seen_at",
)
_CONVERSATION_COLUMNS = ("conversation_id", "state", "waiting_tier")


class TurnSQL:
    """Dialect-specific SQL for the per-turn reads and writes.

    Args:
        dialect: ``sqlite`` or ``postgresql``.
    """

    def __init__(self, dialect: str) -> None:
        self.postgres = dialect == "postgresql"
        p = self._param
        lock = " FOR UPDATE OF c" if self.postgres else ""
        json_cast = "::json" if self.postgres else ""
        self._workshop = (
            "SELECT id, slug, title, timezone, languages, open_tiers, moderation, settings "
            f"FROM workshop WHERE slug = {p('slug')}"
        )
        self._person = (
            "SELECT p.id, p.role, p.locale, p.helix, p.consent_at, p.address, p.last_seen_at, "
            "c.id, c.state, c.waiting_tier "
            "FROM participant p JOIN conversation c ON c.participant_id = p.id "
            f"WHERE p.workshop_id = {p('workshop')} AND p.pseudonym = {p('pseudonym')}{lock}"
        )
        self._delivery = (
            "INSERT INTO processeddelivery (platform, delivery_id, created_at) "
            f"VALUES ({p('platform')}, {p('delivery')}, {p('now')}) "
            "ON CONFLICT (platform, delivery_id) DO NOTHING RETURNING id"
        )
        self._conversation = (
            f"UPDATE conversation SET state = {p('state')}{json_cast}, script = {p('script')}, "
            f"step = {p('step')}, finished = {p('finished')}, version = version + 1, "
            f"waiting_tier = {p('waiting')}, wait_no = wait_no + {p('new_wait')}, "
            f"updated_at = {p('now')} WHERE id = {p('id')}"
        )

    def _param(self, name: str) -> str:
        return f"%({name})s" if self.postgres else f":{name}"

    def _time(self, moment: datetime) -> Any:
        if self.postgres:
            return moment
        utc = moment.astimezone(UTC) if moment.tzinfo else moment
        return utc.strftime("%Y-%m-%d %H:%M:%S.%f")

    def _json(self, value: Any) -> Any:
        # psycopg decodes json columns itself; sqlite3 hands back the text.
        if isinstance(value, str):
            return json.loads(value)
        return value

    @staticmethod
    def _cursor(session: Session) -> Any:
        return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]

    def claim_delivery(self, session: Session, platform: str, delivery: str, now: datetime) -> bool:
        """Record a delivery; ``False`` if it was already recorded."""
        cur = self._cursor(session)
        cur.execute(
            self._delivery, {"platform": platform, "delivery": delivery, "now": self._time(now)}
        )
        return cur.fetchone() is not None

    def workshop(self, session: Session, slug: str) -> dict[str, Any] | None:
        """The workshop row with JSON columns decoded, or ``None``."""
        cur = self._cursor(session)
        cur.execute(self._workshop, {"slug": slug})
        row = cur.fetchone()
        if row is None:
            return None
        return {
            "id": row[0],
            "slug": row[1],
            "title": row[2],
            "timezone": row[3],
            "languages": self._json(row[4]) or [],
            "open_tiers": self._json(row[5]) or [],
            "moderation": row[6],
            "settings": self._json(row[7]) or {},
        }

    def person(
        self, session: Session, workshop_id: int, pseudonym: str
    ) -> tuple[dict[str, Any], dict[str, Any]] | None:
        """The participant and their conversation, locked for this transaction."""
        cur = self._cursor(session)
        cur.execute(self._person, {"workshop": workshop_id, "pseudonym": pseudonym})
        row = cur.fetchone()
        if row is None:
            return None
        person = dict(zip(_PERSON_COLUMNS, row[:7], strict=True))
        conversation = {"id": row[7], "state": self._json(row[8]) or {}, "waiting_tier": row[9]}
        return person, conversation

    def save_conversation(
        self,
        session: Session,
        conversation_id: int,
        *,
        state: dict[str, Any],
        script: str,
        step: str,
        finished: bool,
        now: datetime,
        waiting_tier: str | None = None,
        new_wait: bool = False,
    ) -> None:
        """Store the new conversation state and bump its version.

        ``waiting_tier`` is the tier the participant now waits for; ``new_wait`` says
        the wait began with this turn (it counts the waits, see ``Conversation.wait_no``).
        """
        cur = self._cursor(session)
        cur.execute(
            self._conversation,
            {
                "state": json.dumps(state, ensure_ascii=False, separators=(",", ":")),
                "script": script,
                "step": step,
                "finished": finished,
                "waiting": waiting_tier,
                "new_wait": 1 if new_wait else 0,
                "now": self._time(now),
                "id": conversation_id,
            },
        )


_BY_DIALECT: dict[str, TurnSQL] = {}


def turn_sql(session: Session) -> TurnSQL:
    """The statements for the session's dialect (built once per dialect)."""
    name = session.get_bind().dialect.name
    found = _BY_DIALECT.get(name)
    if found is None:
        found = _BY_DIALECT[name] = TurnSQL(name)
    return found
