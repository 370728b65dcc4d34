"""Pseudonyms: an HMAC of the platform user id, so no raw account id is stored."""

from __future__ import annotations

import hashlib
import hmac


def pseudonym(secret: str, platform: str, user_id: str) -> str:
    """A stable, non-reversible id for ``user_id`` on ``platform`` (hex, 32 chars)."""
    message = f"{platform}:{user_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]
