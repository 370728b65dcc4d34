"""Start-up that never hangs, never prints a password, and survives two replicas at once."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from bot.cli.app import app as cli
from bot.config import Settings
from bot.runtime import library_seeds, open_runtime
from bot.scheduler.digests import DigestService
from bot.testing.clock import FakeClock
from bot.testing.poster import RecordingPoster
from storage import digests, workshops
from storage.audit import audit_rows
from storage.store import Store

runner = CliRunner()
SECRET = "SECRET-pa55word"
#: A guard against a hang, far above the connect timeout; not a speed target.
HANG_GUARD_SECONDS = 60


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP port on 127.0.0.1 that accepts connections and never says a word."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(conn)  # held open, never read, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def _cityneeds(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process (the way an operator starts it)."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.app", *args],
        env={**os.environ, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_SECONDS,
        check=False,
    )


def test_a_server_that_accepts_but_never_answers_gives_one_error_line_and_exit_2(
    silent_server: int, tmp_path: Path
) -> None:
    url = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:{silent_server}/x"
    env = {"CITYNEEDS_DATABASE_URL": url, "CITYNEEDS_DB_CONNECT_TIMEOUT": "1"}
    for command in (("workshop", "list"), ("db", "current")):
        done = _cityneeds(*command, env=env, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, done.stderr
        assert lines[0].startswith(
            f"error: cannot open the database 'postgresql+psycopg://postgres:***@127.0.0.1:"
            f"{silent_server}/x': "
        )
        assert lines[0].endswith(
            "(no answer within 1 s; set CITYNEEDS_DB_CONNECT_TIMEOUT to wait longer)"
        )
        assert SECRET not in done.stdout + done.stderr


def test_a_failed_start_never_shows_the_password_anywhere(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres:{SECRET}@127.0.0.1:1/x"
    env = {"CITYNEEDS_DATABASE_URL": url}
    runs = [
        _cityneeds("workshop", "list", env=env, cwd=tmp_path),
        _cityneeds("scheduler", "run", "--once", env=env, cwd=tmp_path),
        _cityneeds("import", "city", str(_one_row_file(tmp_path)), env=env, cwd=tmp_path),
        _cityneeds("export", "city", "--format", "json", env=env, cwd=tmp_path),
        _cityneeds("db", "current", env=env, cwd=tmp_path),
        _cityneeds("db", "upgrade", env=env, cwd=tmp_path),
    ]
    for done in runs:
        assert done.returncode == 2, done.stderr
        assert "cannot open the database 'postgresql+psycopg://postgres:***@127.0.0.1:1/x'" in (
            done.stderr
        )
        assert SECRET not in done.stdout + done.stderr
    assert not any(
        SECRET in p.read_text(errors="replace") for p in tmp_path.rglob("*") if p.is_file()
    )


def _one_row_file(folder: Path) -> Path:
    path = folder / "one.csv"
    path.write_text(
        "group,language,domain,importance,satisfaction,need\n"
        "civil_society,en,mobility,5,2,Night buses for shift workers\n",
        encoding="utf-8",
    )
    return path


def test_a_failing_migration_is_reported_as_an_upgrade_error(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Not a table, so the database still looks empty; the first migration then
    # collides with it.
    store = Store(db_url)
    with store.engine.begin() as connection:
        connection.execute(text("CREATE VIEW workshop AS SELECT 1 AS id"))
    store.dispose()
    monkeypatch.setenv("CITYNEEDS_DATABASE_URL", db_url)
    result = runner.invoke(cli, ["workshop", "list"])
    assert result.exit_code == 2
    assert "error: cannot upgrade the database schema: " in result.output
    assert "cannot open the database" not in result.output
    assert "workshop" in result.output.split("cannot upgrade the database schema: ")[1]


@pytest.mark.parametrize("replicas", [2, 4])
def test_replicas_starting_together_on_an_empty_database_all_start(
    db_url: str, replicas: int
) -> None:
    stores = [Store(db_url) for _ in range(replicas)]
    barrier = threading.Barrier(replicas)
    errors: list[BaseException] = []

    def start(store: Store) -> None:
        barrier.wait()
        try:
            store.ensure_schema()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert {s.current_revision() for s in stores} == {stores[0].head_revision()}
        with stores[0].session() as session:
            count = session.execute(text("SELECT count(*) FROM domain")).scalar()
        assert count == 16  # seeded once, not once per replica
    finally:
        for s in stores:
            s.dispose()


def test_the_claim_row_names_the_replica_that_posted_the_digest(store: Store) -> None:
    clock = FakeClock(datetime(2026, 10, 23, 16, 5, tzinfo=UTC))
    poster = RecordingPoster(clock)
    rt = open_runtime(
        Settings(database_url=store.url, secret="s"), store=store, poster=poster, clock=clock
    )
    try:
        ws = store.create_workshop("berlin", "Berlin", scenarios=library_seeds())
        with store.session() as session:
            workshops.update_settings(session, ws.id, digest_review=False)
            assert digests.claim(session, ws.id, "2026-10-23", "host-a:111", clock()) is not None
        # host-a died after claiming; host-b finishes the digest.
        survivor = DigestService(
            store, rt.router.core.catalogs, poster, clock=clock, holder="host-b:222"
        )
        assert asyncio.run(survivor.reconcile()) == 1
        with store.session() as session:
            row = digests.find(session, ws.id, "2026-10-23")
            posts = [r for r in audit_rows(session, ws.id) if r["action"] == "digest.post"]
        assert row is not None and row.status == "posted"
        assert row.claimed_by == "host-b:222"
        assert [(p["actor"], p["detail"]["claimed_by"]) for p in posts] == [
            ("host-b:222", "host-a:111")
        ]
        assert [p.period for p in poster.of("digest")] == ["2026-10-23"]
    finally:
        rt.scheduler.shutdown()
        rt.router.close()
