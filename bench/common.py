"""Shared bits of the benchmarks: tables, JSON results, PostgreSQL discovery."""

from __future__ import annotations

import json
import os
import platform
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg

RESULTS = Path(__file__).parent / "results"
POSTGRES_URL = os.environ.get(
    "CITYNEEDS_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def libpq(url: str) -> str:
    """A SQLAlchemy psycopg URL as a libpq connection string."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def postgres_reachable() -> bool:
    """Whether the benchmark PostgreSQL answers."""
    try:
        with psycopg.connect(libpq(POSTGRES_URL), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_schema() -> Iterator[tuple[str, str]]:
    """A fresh schema; yields (SQLAlchemy URL with search_path, schema name)."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(libpq(POSTGRES_URL), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}", schema
    finally:
        with psycopg.connect(libpq(POSTGRES_URL), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0–1) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print an aligned text table."""
    cells = [[str(h) for h in headers], *[[_fmt(v) for v in row] for row in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    print(f"\n{title}")
    for index, row in enumerate(cells):
        print("  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)))
        if index == 0:
            print("  ".join("-" * w for w in widths))


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    return str(value)


def write_json(name: str, payload: dict[str, Any]) -> Path:
    """Write results with machine facts to ``bench/results/NAME.json``."""
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        **payload,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    return path
