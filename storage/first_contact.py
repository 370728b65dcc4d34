"""Has this database ever seen a person? Asked with the standard library only.

``cityneeds chat`` greets someone new before SQLAlchemy and the models are loaded
(about a second on a small machine): the greeting of a new participant depends on
nothing stored. This module answers, read-only and without SQLAlchemy, whether the
person is certainly new. Any doubt (PostgreSQL, an unreadable file, a row found)
answers ``False`` and the caller takes the ordinary path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

_PREFIX = "sqlite:///"
#: The :class:`~storage.models.InstallSetting` key of the pseudonym secret.
SECRET_KEY = "pseudonym_secret"


def sqlite_file(database_url: str) -> Path | None:
    """The file behind a ``sqlite:///`` URL, or ``None`` (another database, or in memory)."""
    if not database_url.startswith(_PREFIX):
        return None
    path = database_url[len(_PREFIX) :].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)


def certainly_new(
    database_url: str,
    secret: str | None,
    pseudonym_of: Callable[[str], str],
    workshop: str | None,
    default_workshop: str,
) -> bool:
    """Whether the person is unknown to the database and the workshop will take them.

    Args:
        database_url: The configured SQLAlchemy URL.
        secret: The pseudonym secret from the environment, if set there.
        pseudonym_of: Secret → the person's pseudonym (HMAC of their user id).
        workshop: The workshop asked for, or ``None`` for "where they last answered".
        default_workshop: The workshop that is created when missing.

    Returns:
        ``True`` only when no participant row has this pseudonym in any workshop and
        the workshop is the default or exists; ``False`` when in doubt.
    """
    path = sqlite_file(database_url)
    if path is None:
        return False
    if not path.exists() or path.stat().st_size == 0:
        return path.parent.is_dir() and workshop in (None, default_workshop)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5) as db:
            return _unknown(db, secret, pseudonym_of, workshop, default_workshop)
    except sqlite3.Error:
        return False


def _unknown(
    db: sqlite3.Connection,
    secret: str | None,
    pseudonym_of: Callable[[str], str],
    workshop: str | None,
    default_workshop: str,
) -> bool:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "participant" not in tables:
        return workshop in (None, default_workshop)
    if secret is None:
        row = db.execute("SELECT value FROM installsetting WHERE key = ?", (SECRET_KEY,)).fetchone()
        if row is None:  # no secret yet, so nobody has a pseudonym yet
            return workshop in (None, default_workshop)
        secret = str(row[0])
    name = pseudonym_of(secret)
    if db.execute("SELECT 1 FROM participant WHERE pseudonym = ? LIMIT 1", (name,)).fetchone():
        return False
    if workshop is None or workshop == default_workshop:
        return True
    return db.execute("SELECT 1 FROM workshop WHERE slug = ?", (workshop,)).fetchone() is not None
