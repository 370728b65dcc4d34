"""A workshop's findings from the store: cached vectors, theme ids kept from the last digest.

Theme finding never runs on the reply path: digests, exports, ``!progress`` and the
demo call :func:`workshop_findings`. Vectors are cached in the database by text hash,
so a digest encodes only texts it has not seen; theme ids are matched against the
themes of the last posted digest (kept in its body) so they stay the same.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from storage import digests as rows

if TYPE_CHECKING:
    from bot.digest.findings import Findings
    from bot.synthesis.encoder import TextEncoder
    from bot.synthesis.types import PreviousTheme
    from flows.snapshot import WorkshopSnapshot
    from storage.store import Store

log = logging.getLogger(__name__)

_lock = threading.Lock()
_encoder: TextEncoder | None = None


def shared_encoder() -> TextEncoder:
    """The process's text encoder, loaded once (the sentence encoder, else TF-IDF)."""
    global _encoder
    with _lock:
        if _encoder is None:
            from bot.synthesis.encoder import default_encoder

            _encoder = default_encoder()
        return _encoder


def previous_themes(store: Store, workshop_id: int) -> tuple[PreviousTheme, ...]:
    """The themes the last posted digest showed (empty before the first one)."""
    from bot.synthesis.types import PreviousTheme

    with store.session() as session:
        last = rows.latest_posted(session, workshop_id)
    stored: Any = (last.body or {}).get("themes", []) if last is not None else []
    found = []
    for item in stored if isinstance(stored, list) else []:
        try:
            found.append(
                PreviousTheme(
                    id=str(item["id"]),
                    domain=str(item["domain"]),
                    member_keys=tuple(str(k) for k in item["members"]),
                )
            )
        except (KeyError, TypeError):
            log.warning("ignoring a malformed theme in the last digest of workshop %s", workshop_id)
    return tuple(found)


def themes_for_body(findings: Findings) -> list[dict[str, Any]]:
    """What a digest body keeps of its themes, so the next digest keeps their ids."""
    return [
        {"id": t.id, "domain": t.domain, "members": list(t.member_keys)} for t in findings.themes
    ]


def workshop_findings(
    store: Store,
    snap: WorkshopSnapshot,
    *,
    locales: Sequence[str] | None = None,
    encoder: TextEncoder | None = None,
) -> Findings:
    """Theme ``snap`` with the store's vector cache and the last digest's theme ids.

    Args:
        store: The database (vector cache, last posted digest).
        snap: The workshop (approved contributions); moderators' renames and moves apply.
        locales: Label languages (default: the workshop's languages, else English).
        encoder: The text encoder (default: :func:`shared_encoder`).
    """
    from bot.digest.findings import find
    from bot.synthesis.types import ThemeOverrides
    from storage import theme_overrides
    from storage.embeddings import EmbeddingTable

    languages = tuple(dict.fromkeys(locales or snap.workshop.languages or ("en",)))
    with store.session() as session:
        decided = theme_overrides.decisions(session, snap.workshop.id)
    return find(
        snap,
        encoder=encoder or shared_encoder(),
        cache=EmbeddingTable(store),
        previous=previous_themes(store, snap.workshop.id),
        overrides=ThemeOverrides(renames=decided.renames, moves=decided.moves),
        locales=languages,
    )
