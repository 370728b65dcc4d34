"""Someone new is greeted at once: the greeting is written before the store is loaded.

``cityneeds chat`` takes about a second to load SQLAlchemy and the models; a new
participant's greeting needs neither. These scenarios check that the early greeting
is exactly the router's own, is written once, is never given to someone the
database knows, and never when the database cannot be read without SQLAlchemy.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.adapters.console import run_console
from bot.adapters.console.transcript import PLATFORM, transcript
from bot.app.events import InboundEvent
from bot.app.workshops import ensure_workshop
from bot.identity import pseudonym
from bot.runtime import Runtime
from storage.first_contact import certainly_new
from storage.store import Store

WELCOME = "Welcome to the CityNeeds workshop."
#: A guard against a hang; not a speed target (that lives in bench/startup.py).
HANG_GUARD_SECONDS = 120


def _chat(db: Path, *args: str, given: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli.app", "chat", *args],
        input=given,
        env={**os.environ, "CITYNEEDS_DATABASE_URL": f"sqlite:///{db}"},
        cwd=db.parent,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=True,
    )
    return done.stdout


def _first_reply(app: Runtime, user: str, locale: str | None = None) -> str:
    event = InboundEvent(PLATFORM, user, "", "city", locale=locale)
    return transcript(app.router.handle_sync(event, start=True).replies)


def test_a_new_person_on_a_fresh_database_is_greeted_once_with_the_routers_own_words(
    tmp_path: Path, app: Runtime
) -> None:
    out = _chat(tmp_path / "fresh.db", "--user", "ana", given="yes\n")
    assert out.count(WELCOME) == 1
    assert out.startswith(_first_reply(app, "someone-else"))
    assert "Which group do you mainly speak for?" in out  # the answer was taken after the greeting


def test_a_new_person_asking_for_chinese_is_greeted_in_chinese_once(
    tmp_path: Path, app: Runtime
) -> None:
    out = _chat(tmp_path / "fresh.db", "--user", "lin", "--lang", "zh")
    expected = _first_reply(app, "another", locale="zh")
    assert out == expected
    assert "欢迎" in out and WELCOME not in out


def test_someone_who_answered_before_is_welcomed_back_not_greeted_as_new(tmp_path: Path) -> None:
    db = tmp_path / "city.db"
    _chat(db, "--user", "ana", given="yes\n")
    again = _chat(db, "--user", "ana")
    assert WELCOME not in again
    assert again.startswith("Welcome back.")
    other = _chat(db, "--user", "ben")
    assert other.count(WELCOME) == 1  # the database exists, but Ben is new to it


def test_the_greeting_is_written_before_sqlalchemy_is_loaded(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from bot.cli.chat_cmd import greet_someone_new\n"
        "shown = greet_someone_new('ana', None, None)\n"
        "print('sqlalchemy loaded:', 'sqlalchemy' in sys.modules, shown is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        env={**os.environ, "CITYNEEDS_DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"},
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=True,
    )
    assert done.stdout.startswith(WELCOME)
    assert done.stdout.splitlines()[-1] == "sqlalchemy loaded: False True"


def test_when_the_early_greeting_differs_the_routers_own_is_written(app: Runtime) -> None:
    real = _first_reply(app, "probe")
    same, other = io.StringIO(), io.StringIO()
    kwargs = {"workshop": "city", "stdin": io.StringIO("")}
    run_console(app.router, user="cara", stdout=same, shown=real, **kwargs)  # type: ignore[arg-type]
    run_console(app.router, user="dan", stdout=other, shown="Hi!\n\n", **kwargs)  # type: ignore[arg-type]
    assert same.getvalue() == ""
    assert other.getvalue() == real


def test_only_a_readable_sqlite_file_that_does_not_know_the_person_counts_as_new(
    tmp_path: Path, app: Runtime
) -> None:
    def new(url: str, user: str = "ana", workshop: str | None = None) -> bool:
        return certainly_new(url, None, lambda s: pseudonym(s, PLATFORM, user), workshop, "city")

    assert new(f"sqlite:///{tmp_path / 'absent.db'}")
    assert not new(f"sqlite:///{tmp_path / 'absent.db'}", workshop="cty")  # a typo is refused later
    assert not new(f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}")
    assert not new("sqlite:///:memory:")
    assert not new("postgresql+psycopg://postgres@127.0.0.1:5432/test")

    db = tmp_path / "city.db"
    _chat(db, "--user", "ana", given="yes\n")
    url = f"sqlite:///{db}"
    assert not new(url, "ana")
    assert new(url, "ben")
    assert new(url, "ben", workshop="city")
    assert not new(url, "ben", workshop="harbour")  # neither the default nor created
    other = Store(url)
    ensure_workshop(other, "harbour")
    other.dispose()
    assert new(url, "ben", workshop="harbour")
    db.write_bytes(b"not a database")
    assert not new(url, "ben")
