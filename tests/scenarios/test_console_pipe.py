"""The console adapter on a pipe: a full run, and a SIGKILL mid-tier followed by a resume."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import select

from bot.identity import pseudonym
from storage.models import Conversation, Participant
from storage.store import Store
from tests.citizen import CITIZEN_LINES, LINES, assert_citizen_stored

SECRET = "pipe-test-secret"


def _env(db_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CITYNEEDS_DATABASE_URL=db_url,
        CITYNEEDS_SECRET=SECRET,
        CITYNEEDS_WORKSHOP="city",
        PYTHONUNBUFFERED="1",
    )
    return env


def _chat(db_url: str, user: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli.app", "chat", "--user", user],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(db_url),
        cwd=cwd,
    )


def test_a_scripted_citizen_completes_all_tiers_on_a_pipe(
    db_url: str, store: Store, tmp_path: Path
) -> None:
    proc = _chat(db_url, "dana", tmp_path)
    out, err = proc.communicate("\n".join(LINES) + "\n", timeout=120)
    assert proc.returncode == 0, err
    assert out.startswith("Welcome to the CityNeeds workshop")
    assert "[Meso (stakeholders) · Step 1 of 14]" in out
    assert "You finished all three parts" in out
    assert_citizen_stored(store, pseudonym(SECRET, "console", "dana"))


def _step_of(store: Store, pseudo: str) -> str | None:
    with store.session() as s:
        person = s.exec(select(Participant).where(Participant.pseudonym == pseudo)).first()
        if person is None:
            return None
        conv = s.exec(select(Conversation).where(Conversation.participant_id == person.id)).first()
        return None if conv is None else conv.step


def test_killed_mid_tier_resumes_at_the_same_step_with_nothing_lost(
    db_url: str, store: Store, tmp_path: Path
) -> None:
    pseudo = pseudonym(SECRET, "console", "emil")
    cut = 20  # after "1, 2" the citizen is at sh_vulnerable, in the middle of the meso tier
    assert CITIZEN_LINES[cut - 1][1] == "sh_vulnerable"
    proc = _chat(db_url, "emil", tmp_path)
    assert proc.stdin is not None
    proc.stdin.write("\n".join(LINES[:cut]) + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while _step_of(store, pseudo) != "sh_vulnerable":
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the answers were not acknowledged in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    again = _chat(db_url, "emil", tmp_path)
    out, err = again.communicate("\n".join(LINES[cut:]) + "\n", timeout=120)
    assert again.returncode == 0, err
    first_reply = out.split("\n\n")[0:2]
    assert first_reply[0].startswith("Welcome back")
    assert "does it speak for any of these groups?" in first_reply[1]
    assert "You finished all three parts" in out
    assert_citizen_stored(store, pseudo)
