"""SIGKILL the console bot at random points during 1,000 answers: every acknowledged answer
is stored exactly once, and each citizen finishes with exactly their answers."""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlmodel import select

from bot.identity import pseudonym
from storage.models import Conversation, Participant
from storage.store import Store
from tests.citizen import LINES, assert_citizen_stored

SECRET = "crash-secret"
CITIZENS = 22  # × 47 lines ≈ 1,034 answers
KILLS_PER_CITIZEN = 2


class Bot:
    """One ``cityneeds chat --ack`` process and a reader for its output."""

    def __init__(self, db_url: str, user: str, cwd: Path) -> None:
        env = dict(os.environ, CITYNEEDS_DATABASE_URL=db_url, CITYNEEDS_SECRET=SECRET)
        env["CITYNEEDS_WORKSHOP"] = "city"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli.app", "chat", "--user", user, "--ack"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            bufsize=0,
        )
        assert self.proc.stdout is not None
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)
        self.buffer = b""

    def wait_for(self, marker: bytes, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            assert time.monotonic() < deadline, f"no {marker!r} in {self.buffer[-300:]!r}"
            for key, _ in self.selector.select(timeout=0.5):
                chunk = os.read(key.fd, 65536)
                assert chunk, f"the bot exited before {marker!r}"
                self.buffer += chunk

    def send(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")

    def kill(self) -> None:
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.selector.close()


def _committed_turns(store: Store, pseudo: str) -> int:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudo)).one()
        version = select(Conversation.version).where(Conversation.participant_id == person.id)
        return s.exec(version).one()


def _citizen(db_url: str, store: Store, index: int, cwd: Path) -> tuple[int, int]:
    """Run one citizen with random kills; return (acknowledged answers, answers stored)."""
    rng = random.Random(index)
    user = f"crash-{index}"
    pseudo = pseudonym(SECRET, "console", user)
    kill_after = sorted(rng.sample(range(1, len(LINES) - 1), KILLS_PER_CITIZEN))
    acknowledged = 0
    starts = 0
    position = 0
    while position < len(LINES):
        bot = Bot(db_url, user, cwd)
        bot.wait_for(b"\n\n")  # greeting or welcome-back: the start turn is stored
        starts += 1
        number = 0
        killed = False
        while position < len(LINES):
            bot.send(LINES[position])
            number += 1
            if kill_after and position + 1 >= kill_after[0]:
                kill_after.pop(0)
                time.sleep(rng.choice([0, 0.001, 0.003, 0.01, 0.05]))  # maybe mid-turn
                bot.kill()
                killed = True
                break
            bot.wait_for(f"ok {number}\n".encode())
            acknowledged += 1
            position += 1
        if not killed:
            assert bot.proc.stdin is not None
            bot.proc.stdin.close()
            bot.proc.wait(timeout=30)
            break
        # Every turn bumps the version once: the stored answers are the turns less the starts.
        position = _committed_turns(store, pseudo) - starts
    stored = _committed_turns(store, pseudo) - starts
    return acknowledged, stored


def test_sigkill_at_random_points_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    # SQLite only: the kill-and-resume path is the same on PostgreSQL, which the
    # pipe test in test_console_pipe.py covers with a SIGKILL of its own.
    db_url = f"sqlite:///{tmp_path / 'crash.db'}"
    store = Store(db_url)
    store.ensure_schema()
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda i: _citizen(db_url, store, i, tmp_path), range(CITIZENS)))
    total = sum(stored for _, stored in results)
    assert total == CITIZENS * len(LINES) and total >= 1000
    for index, (acknowledged, stored) in enumerate(results):
        assert acknowledged <= stored == len(LINES), index
        assert_citizen_stored(store, pseudonym(SECRET, "console", f"crash-{index}"))
    store.dispose()
