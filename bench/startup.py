"""How fast the CLI starts: ``cityneeds --help`` and the first reply of ``cityneeds chat``.

Measured in one run against a bare interpreter start (``python -c pass``) on the
same machine, so the ratios hold on a busy or a quiet host:

* ``python -c pass``: wall time and peak RSS of the child.
* ``cityneeds --help``: the same (target: at most 15x the bare start, at most 60 MiB).
* ``cityneeds chat``: on a fresh SQLite database, one line piped in; the time from
  starting the process until its first line of output (target: at most 0.8 s). A new
  person is greeted before the store loads (``bot.app.opening``); the same for someone
  who answered before, whose greeting needs the store, is printed beside it.

Each is run ``--repeat`` times (default 7) and the median is reported. Prints a
table and writes ``bench/results/startup.json``::

    python -m bench.startup
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import print_table, write_json

HELP_RATIO_TARGET = 15.0
HELP_RSS_TARGET_MIB = 60.0
FIRST_REPLY_TARGET_S = 0.8


def _cityneeds() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m``."""
    script = Path(sys.executable).with_name("cityneeds")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli.app"]


#: Runs in a small ``python -S`` that spawns the measured command and reports its
#: wall time and peak RSS: a child forked from this (larger) process would count
#: this process's memory as its own peak.
_LAUNCHER = """
import os, sys, time
argv, report = sys.argv[2:], sys.argv[1]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - started
with open(report, "w") as out:
    out.write(f"{wall} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def _launch(argv: list[str], report: Path, **popen: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-S", "-c", _LAUNCHER, str(report), *argv], **popen)


def _report(report: Path, argv: list[str]) -> tuple[float, float]:
    wall, rss_kib, code = report.read_text().split()
    if int(code) != 0:
        raise RuntimeError(f"{argv} exited with {code}")
    return float(wall), int(rss_kib) / 1024  # Linux reports KiB


def _run(argv: list[str]) -> tuple[float, float]:
    """Run a command to completion; return (wall seconds, peak RSS MiB) of it alone."""
    with tempfile.TemporaryDirectory(prefix="cityneeds-startup-") as folder:
        report = Path(folder) / "report"
        _launch(argv, report, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).wait()
        return _report(report, argv)


def _first_reply(command: list[str], returning: bool = False) -> tuple[float, float]:
    """Start ``cityneeds chat`` on a fresh database, pipe one line, time its first output line.

    With ``returning``, the same person has answered once before (an earlier chat on the
    same database), so the greeting needs the store: the path a new person skips.

    Returns:
        Seconds from start to the first line of output, and the chat's peak RSS in MiB.
    """
    with tempfile.TemporaryDirectory(prefix="cityneeds-startup-") as folder:
        report = Path(folder) / "report"
        env = {
            **os.environ,
            "CITYNEEDS_DATABASE_URL": f"sqlite:///{Path(folder) / 'startup.db'}",
            "CITYNEEDS_WORKSHOP": "startup",
        }
        argv = [*command, "chat", "--user", "bench"]
        if returning:
            subprocess.run(
                argv, input=b"yes\n", env=env, cwd=folder, capture_output=True, check=True
            )
        started = time.perf_counter()
        child = _launch(
            argv,
            report,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=folder,
        )
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(b"hello\n")
        child.stdin.close()
        line = child.stdout.readline()
        first = time.perf_counter() - started
        child.stdout.read()
        child.stdout.close()
        child.wait()
        if not line.strip():
            raise RuntimeError("cityneeds chat printed nothing")
        return first, _report(report, argv)[1]


def _median(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return (
        statistics.median(s[0] for s in samples),
        statistics.median(s[1] for s in samples),
    )


def main(argv: list[str] | None = None) -> int:
    """Measure and print; the exit code is 0 whether or not a target is met."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="Runs of each measurement.")
    args = parser.parse_args(argv)
    command = _cityneeds()
    bare = [_run([sys.executable, "-c", "pass"]) for _ in range(args.repeat)]
    help_ = [_run([*command, "--help"]) for _ in range(args.repeat)]
    chat = [_first_reply(command) for _ in range(args.repeat)]
    again = [_first_reply(command, returning=True) for _ in range(args.repeat)]
    (bare_s, bare_mib), (help_s, help_mib), (chat_s, chat_mib), (again_s, again_mib) = map(
        _median, (bare, help_, chat, again)
    )
    help_ratio = help_s / bare_s
    help_ok = help_ratio <= HELP_RATIO_TARGET and help_mib <= HELP_RSS_TARGET_MIB
    chat_ok = chat_s <= FIRST_REPLY_TARGET_S
    rows: list[list[Any]] = [
        ["python -c pass", bare_s, 1.0, bare_mib, "", ""],
        [
            "cityneeds --help",
            help_s,
            help_ratio,
            help_mib,
            f"<= {HELP_RATIO_TARGET:g}x, <= {HELP_RSS_TARGET_MIB:g} MiB",
            "ok" if help_ok else "MISSED",
        ],
        [
            "cityneeds chat: first reply",
            chat_s,
            chat_s / bare_s,
            chat_mib,
            f"<= {FIRST_REPLY_TARGET_S:g} s",
            "ok" if chat_ok else "MISSED",
        ],
        ["cityneeds chat: first reply, returning", again_s, again_s / bare_s, again_mib, "", ""],
    ]
    print_table(
        f"CLI start-up, median of {args.repeat} runs (command: {' '.join(command)})",
        ["what", "wall s", "x bare", "peak RSS MiB", "target", ""],
        rows,
    )
    path = write_json(
        "startup",
        {
            "repeat": args.repeat,
            "bare_s": bare_s,
            "bare_rss_mib": bare_mib,
            "help_s": help_s,
            "help_ratio": help_ratio,
            "help_rss_mib": help_mib,
            "first_reply_s": chat_s,
            "chat_rss_mib": chat_mib,
            "returning_first_reply_s": again_s,
            "help_ok": help_ok,
            "first_reply_ok": chat_ok,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
