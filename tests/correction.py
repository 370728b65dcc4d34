"""One citizen who saves a stakeholder with the wrong role and corrects it with ``back``.

Used on every surface (console, Slack, Discord): the same lines, the same stored result.
"""

from __future__ import annotations

from sqlmodel import select

from storage.models import Participant, Stakeholder
from storage.store import Store

#: (line typed, step expected *after* the line is handled)
CORRECTION_LINES: list[tuple[str, str]] = [
    ("yes", "helix"),
    ("4", "domains"),
    ("health", "importance"),
    ("4", "satisfaction"),
    ("1", "need_text"),
    ("I cannot book a doctor without a smartphone", "hmw"),
    ("skip", "need_confirm"),
    ("yes", "scenario"),
    ("1", "sh_name"),
    ("City council", "sh_helix"),
    ("1", "sh_role"),
    ("funder", "sh_power"),
    ("5", "sh_interest"),
    ("3", "sh_salience"),
    ("none", "sh_vulnerable"),
    ("none", "sh_confirm"),
    ("yes", "sh_more"),
    # Wrong role: back re-opens the saved stakeholder, then walks back to the role.
    ("back", "sh_confirm"),
    ("back", "sh_vulnerable"),
    ("back", "sh_salience"),
    ("back", "sh_interest"),
    ("back", "sh_power"),
    ("back", "sh_role"),
    ("regulator", "sh_power"),
    ("5", "sh_interest"),
    ("3", "sh_salience"),
    ("none", "sh_vulnerable"),
    ("none", "sh_confirm"),
    ("yes", "sh_more"),
]


def assert_corrected(store: Store, pseudonym: str) -> None:
    """The participant has exactly one stakeholder, with the corrected role."""
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudonym)).one()
        rows = s.exec(select(Stakeholder).where(Stakeholder.participant_id == person.id)).all()
        assert [(r.name, r.role, r.power, r.interest, r.seq) for r in rows] == [
            ("City council", "regulator", 5, 3, 3)
        ]
