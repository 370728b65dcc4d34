"""The stakeholders already named in a workshop, most named first, for the meso tier to offer."""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import func
from sqlmodel import Session, col, select

from flows.kinds import Status
from storage.actor_decisions import MERGE, RENAME, STAKEHOLDER, in_force
from storage.models import Stakeholder


def named_actors(session: Session, workshop_id: int, limit: int) -> list[str]:
    """One name per actor (moderators' merges and renames applied), most named first.

    Only approved rows count, so a hidden or pending name is never offered to others.
    """
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        seen = set()
        while key in parent and key not in seen:
            seen.add(key)
            key = parent[key]
        return key

    renames: dict[str, str] = {}
    for d in in_force(session, workshop_id):
        if d.kind != STAKEHOLDER:
            continue
        if d.action == MERGE and root(d.subject) != root(d.value):
            parent[root(d.subject)] = root(d.value)
        elif d.action == RENAME:
            renames[d.subject] = d.value
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    rows = session.exec(
        select(Stakeholder.key, Stakeholder.name, func.count())
        .where(Stakeholder.workshop_id == workshop_id, Stakeholder.status == Status.APPROVED.value)
        .group_by(col(Stakeholder.key), col(Stakeholder.name))
    )
    for key, name, count in rows:
        spellings[root(key)][name] += count
    shown = {root(k): v for k, v in renames.items()}
    ranked = sorted(
        spellings.items(), key=lambda kv: (-sum(kv[1].values()), kv[1].most_common(1)[0][0])
    )
    return [shown.get(key, names.most_common(1)[0][0]) for key, names in ranked[:limit]]
