"""Profile the ingestion hot path with py-spy (all threads) and print where the time goes.

Run: ``python -m bench.profile [--participants 500]``. Samples ``bench.ingest``'s
workload (SQLite, saturated) with ``py-spy record --threads`` and prints the functions
with the most self time and the most total time, plus the path of the raw profile
(open it with speedscope or flamegraph.pl).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import RESULTS, print_table


def _workload(participants: int) -> None:
    from bench.ingest import _router_run

    with tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(_router_run(f"sqlite:///{tmp}/profile.db", participants))
    print(f"{result['answers_per_s']:.0f} answers/s while profiled", file=sys.stderr)


def _summarise(raw: Path, top: int) -> None:
    self_time: Counter[str] = Counter()
    total_time: Counter[str] = Counter()
    samples = imports = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        frames = [f.split(" (")[0] for f in stack.split(";")]
        if "_find_and_load" in frames:
            imports += n  # start-up, not the hot path
            continue
        samples += n
        self_time[frames[-1]] += n
        for frame in set(frames):
            total_time[frame] += n
    print_table(
        f"py-spy: functions by self time ({samples} samples, all threads; "
        f"{imports} samples of start-up imports left out)",
        ["self %", "function"],
        [[100 * n / samples, f] for f, n in self_time.most_common(top)],
    )
    ours = [
        (f, n)
        for f, n in total_time.most_common()
        if not f.startswith(("<module>", "thread", "Thread.", "_bootstrap", "_run_"))
    ]
    print_table(
        "py-spy: functions by total time",
        ["total %", "function"],
        [[100 * n / samples, f] for f, n in ours[:top]],
    )


def main() -> None:
    """Record and summarise, or (``--workload``) just run the workload."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--workload", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.workload:
        _workload(args.participants)
        return
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        sys.exit("py-spy is not installed: pip install -e '.[bench]'")
    RESULTS.mkdir(exist_ok=True)
    raw = RESULTS / "profile.txt"
    subprocess.run(
        [
            spy,
            "record",
            "--threads",
            "--rate",
            "250",
            "--format",
            "raw",
            "--output",
            str(raw),
            "--",
            sys.executable,
            "-m",
            "bench.profile",
            "--workload",
            "--participants",
            str(args.participants),
        ],
        check=True,
    )
    _summarise(raw, args.top)
    print(f"\nraw profile: {raw}")


if __name__ == "__main__":
    main()
