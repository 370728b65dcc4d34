"""Start ``cityneeds …`` many times quickly: a parent that imported the app once forks each run.

A fresh ``cityneeds run slack`` spends about three seconds importing before it
does anything; a test that kills and restarts it fifty times would spend most
of its time there. :class:`Prefork` starts one parent process (``python -m
bot.testing.prefork``) that imports the CLI and everything it loads, starts no
thread and opens nothing, then forks a child per request. The child is the
real command: it sets its environment, calls :func:`bot.cli.app.main` with the
given arguments and exits with its code; the parent only forks. Children are
reaped by the parent (``SIGCHLD`` ignored), so a killed child leaves no zombie.

Protocol (one JSON object per line on the parent's stdin, one line back):
``{"argv": [...], "env": {...}, "log": "path"}`` → ``{"pid": 1234}``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO


def _child(argv: Sequence[str], env: Mapping[str, str], log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.environ.update(env)
    sys.argv = ["cityneeds", *argv]
    code = 0
    try:
        from bot.cli.app import main

        main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def serve(requests: IO[str], answers: IO[str]) -> None:
    """The parent's loop: fork one child per request line until stdin closes."""
    import bot.adapters.slack.main
    import bot.adapters.slack.service
    import bot.cli.app  # noqa: F401
    from bot.core import load_core

    load_core()  # the shipped scripts and catalogs: immutable, cached, no thread

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    for line in requests:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _child(list(request["argv"]), dict(request.get("env") or {}), str(request["log"]))
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()


class Prefork:
    """The parent process, seen from a test.

    Args:
        cwd: Working directory of the children (no ``.env`` from the checkout).
        env: Environment of the parent (and so of every child).
    """

    def __init__(self, cwd: Path, env: Mapping[str, str]) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bot.testing.prefork"],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def start(self, argv: Sequence[str], env: Mapping[str, str], log: Path) -> int:
        """Fork ``cityneeds argv…`` with ``env`` added, output to ``log``; return its pid."""
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(json.dumps({"argv": list(argv), "env": dict(env), "log": str(log)}) + "\n")
        stdin.flush()
        answer = stdout.readline()
        if not answer:
            raise RuntimeError("the prefork parent died")
        return int(json.loads(answer)["pid"])

    def close(self) -> None:
        """End the parent (children it forked are not touched)."""
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()


if __name__ == "__main__":
    serve(sys.stdin, sys.stdout)
