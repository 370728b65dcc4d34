"""Per-install settings kept in the database."""

from __future__ import annotations

import secrets

from sqlmodel import Session

from storage.first_contact import SECRET_KEY
from storage.models import InstallSetting
from storage.upsert import insert_ignore

_SECRET_KEY = SECRET_KEY  # one spelling, read without SQLAlchemy by storage.first_contact


def install_secret(session: Session) -> str:
    """The install's pseudonym secret, created on first use (race-safe)."""
    row = session.get(InstallSetting, _SECRET_KEY)
    if row is None:
        insert_ignore(
            session,
            InstallSetting.__table__,  # type: ignore[attr-defined]
            {"key": _SECRET_KEY, "value": secrets.token_hex(32)},
            ["key"],
            returning="key",
        )
        row = session.get(InstallSetting, _SECRET_KEY)
    assert row is not None
    return row.value
