"""Ingestion: answers/s through router + engine + storage vs. the raw durable-insert ceiling.

Run: ``python -m bench.ingest [--participants 2000]``. Two phases per database:

* throughput: every participant answers as fast as the bot replies (a closed loop with
  no think time), so the bot is saturated; answers/s is compared with the raw ceiling
  of the same database measured in the same run (plain ``sqlite3``/``psycopg``, one
  durable commit per row);
* latency: the same number of participants join, then all answer at once with a pause
  between answers (uniform 2–10 s: quicker than people read and type; about 330
  answers/s arrive), and p50/p99 are the time from message to reply.

Targets (issue "benchmarks and hardening"): ratio ≥ 0.25 on SQLite, p99 < 50 ms.
Writes ``bench/results/ingest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.common import (
    libpq,
    percentile,
    postgres_reachable,
    postgres_schema,
    print_table,
    write_json,
)
from bot.app.events import InboundEvent
from bot.config import Settings
from bot.runtime import ensure_workshop, open_runtime
from bot.scheduler.poster import ConsolePoster
from storage.store import Store

#: Pause between a paced participant's answers, in seconds, and how many they give.
THINK = (2.0, 10.0)
PACED_ANSWERS = 5
#: One macro tier with three domains: 18 answers per participant.
ANSWERS = ["yes", "4", "1, 13, 6"] + [
    "4",
    "2",
    "The buses stop running too early",
    "skip",
    "yes",
] * 3


async def _router_run(
    url: str,
    participants: int,
    *,
    think: tuple[float, float] | None = None,
    answers: int = 0,
    prefix: str = "u",
) -> dict[str, Any]:
    store = Store(url, pool_size=12)
    rt = open_runtime(
        Settings(database_url=url, secret="bench"), store=store, poster=ConsolePoster(io.StringIO())
    )
    ensure_workshop(rt.store, "bench")
    script = ANSWERS[: answers or len(ANSWERS)]
    latencies: list[float] = []

    joined = asyncio.Event()
    waiting = [participants]

    async def one(index: int) -> None:
        rng = random.Random(index)
        user = f"{prefix}{index:05d}"
        await rt.router.start(InboundEvent("bench", user, "", "bench"))
        if think:
            # Everybody is in before the measured answering starts; then first answers
            # spread over one pause, so the load is steady rather than one wave.
            waiting[0] -= 1
            if waiting[0] == 0:
                joined.set()
            await joined.wait()
            await asyncio.sleep(rng.uniform(0, think[1]))
        for text in script:
            if think:
                await asyncio.sleep(rng.uniform(*think))
            started = time.perf_counter()
            response = await rt.router.handle(InboundEvent("bench", user, text, "bench"))
            latencies.append(time.perf_counter() - started)
            assert response.replies and response.replies[0].kind != "error", response.replies

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(participants)))
    elapsed = time.perf_counter() - started
    batches, jobs = rt.store.committer.batches, rt.store.committer.jobs
    rt.close()
    total = participants * len(script)
    return {
        "answers": total,
        "seconds": elapsed,
        "answers_per_s": total / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "turns_per_commit": jobs / batches if batches else float("nan"),
    }


async def _both(url: str, participants: int) -> dict[str, Any]:
    saturated = await _router_run(url, participants)
    paced = await _router_run(url, participants, think=THINK, answers=PACED_ANSWERS, prefix="paced")
    return {
        "answers": saturated["answers"],
        "answers_per_s": saturated["answers_per_s"],
        "turns_per_commit": saturated["turns_per_commit"],
        "saturated_p50_ms": saturated["p50_ms"],
        "saturated_p99_ms": saturated["p99_ms"],
        "paced_answers_per_s": paced["answers_per_s"],
        "p50_ms": paced["p50_ms"],
        "p99_ms": paced["p99_ms"],
    }


def _raw_sqlite(path: Path, rows: int) -> float:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE answer (id INTEGER PRIMARY KEY, who TEXT, body TEXT)")
    started = time.perf_counter()
    for i in range(rows):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO answer (who, body) VALUES (?, ?)", (f"u{i}", "answer text"))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return rows / elapsed


def _raw_postgres(url: str, schema: str, rows: int) -> float:
    with psycopg.connect(libpq(url.split("?")[0]), options=f"-csearch_path={schema}") as conn:
        conn.execute("CREATE TABLE answer (id SERIAL PRIMARY KEY, who TEXT, body TEXT)")
        conn.commit()
        started = time.perf_counter()
        for i in range(rows):
            conn.execute("INSERT INTO answer (who, body) VALUES (%s, %s)", (f"u{i}", "answer text"))
            conn.commit()
        return rows / (time.perf_counter() - started)


def main() -> None:
    """Run the ingestion benchmark on SQLite and, when reachable, PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=2000)
    parser.add_argument("--raw-rows", type=int, default=5000)
    args = parser.parse_args()
    results: dict[str, Any] = {
        "participants": args.participants,
        "answers_each": len(ANSWERS),
        "paced": {"think_s": THINK, "answers_each": PACED_ANSWERS},
    }
    with tempfile.TemporaryDirectory() as tmp:
        router = asyncio.run(_both(f"sqlite:///{tmp}/bench.db", args.participants))
        raw = _raw_sqlite(Path(tmp) / "raw.db", args.raw_rows)
    results["sqlite"] = {**router, "raw_commits_per_s": raw, "ratio": router["answers_per_s"] / raw}
    if postgres_reachable():
        with postgres_schema() as (url, _):
            router = asyncio.run(_both(url, args.participants))
        with postgres_schema() as (url, schema):
            raw = _raw_postgres(url, schema, args.raw_rows)
        results["postgresql"] = {
            **router,
            "raw_commits_per_s": raw,
            "ratio": router["answers_per_s"] / raw,
        }
    else:
        print("PostgreSQL is not reachable: measured SQLite only")
    rows = [
        [
            db,
            r["answers"],
            r["answers_per_s"],
            r["raw_commits_per_s"],
            r["ratio"],
            r["turns_per_commit"],
            r["p50_ms"],
            r["p99_ms"],
        ]
        for db, r in results.items()
        if isinstance(r, dict) and "ratio" in r
    ]
    print_table(
        f"Ingestion: {args.participants} concurrent participants (throughput: "
        f"{len(ANSWERS)} answers each, no pause; latency: {PACED_ANSWERS} answers each, "
        f"{THINK[0]}–{THINK[1]} s pauses)",
        [
            "db",
            "answers",
            "answers/s",
            "raw commits/s",
            "ratio",
            "turns/commit",
            "p50 ms",
            "p99 ms",
        ],
        rows,
    )
    print("targets: ratio ≥ 0.25 on SQLite; p99 < 50 ms")
    print(f"\nwrote {write_json('ingest', results)}")


if __name__ == "__main__":
    main()
