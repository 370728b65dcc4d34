"""Digest: build the map, the metrics, both pictures and the platform layouts at 1k/10k/100k.

Run: ``python -m bench.digest [--sizes 1000 10000 100000]``. Each size runs in its own
process so its peak RSS is its own. With ``--db`` the synthetic workshop is also written
to SQLite (and PostgreSQL when reachable) and read back, timing the snapshot read.
Prints a table with the fitted growth exponent and writes ``bench/results/digest.json``.

Targets (issue "stakeholder requirement map"): 100k participants in under 20 s and
2 GiB on 2 cores; growth exponent ≤ 1.2.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import resource
import subprocess
import sys
import time
from typing import Any

from bench.common import print_table, write_json

SIZES = (1_000, 10_000, 100_000)
TARGET_SECONDS = 20.0
TARGET_RSS_MB = 2048.0
TARGET_EXPONENT = 1.2


def _one(participants: int, seed: int) -> dict[str, Any]:
    """Measure one size in this process."""
    from bot.adapters.discord.digest_embeds import discord_digest
    from bot.adapters.slack.digest_blocks import slack_digest
    from bot.digest.graph import build_graph
    from bot.digest.grid import render_grid_png
    from bot.digest.metrics import compute_metrics
    from bot.digest.picture import render_png
    from bot.digest.sections import digest_sections
    from bot.testing.snapshots import synthetic_snapshot
    from flows.catalog import load_catalogs

    catalogs = load_catalogs()
    t0 = time.perf_counter()
    snap = synthetic_snapshot(participants, seed)
    t1 = time.perf_counter()
    graph = build_graph(snap)
    t2 = time.perf_counter()
    metrics = compute_metrics(snap, since=snap.needs[len(snap.needs) // 2].created_at)
    t3 = time.perf_counter()
    map_png = render_png(metrics)
    grid_png = render_grid_png(metrics)
    t4 = time.perf_counter()
    sections = digest_sections(metrics, catalogs)
    slack = slack_digest("", sections)
    discord = discord_digest("", sections)
    t5 = time.perf_counter()
    return {
        "participants": participants,
        "rows": len(snap.needs) + len(snap.stakeholders) + len(snap.links) + len(snap.requirements),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "snapshot_s": t1 - t0,
        "graph_s": t2 - t1,
        "metrics_s": t3 - t2,
        "pictures_s": t4 - t3,
        "layout_s": t5 - t4,
        "total_s": t5 - t1,
        "png_bytes": len(map_png) + len(grid_png),
        "slack_messages": len(slack),
        "discord_messages": len(discord),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def growth_exponent(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of log(y) over log(x): y ∝ x^slope."""
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(max(y, 1e-9)) for _, y in points]
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    num = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mean_x) ** 2 for x in xs)
    return num / den if den else float("nan")


def main() -> None:
    """Run every size in a child process and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one, args.seed)))
        return
    runs = []
    for size in args.sizes:
        print(f"digest bench: {size:,} participants …", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "bench.digest", "--one", str(size), "--seed", str(args.seed)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    exponent = (
        growth_exponent([(r["participants"], r["total_s"]) for r in runs])
        if len(runs) > 1
        else float("nan")
    )
    print_table(
        "Digest: map + metrics + pictures + Slack/Discord layouts (synthetic, seeded)",
        [
            "participants",
            "rows",
            "nodes",
            "edges",
            "graph s",
            "metrics s",
            "pictures s",
            "layout s",
            "total s",
            "peak RSS MB",
        ],
        [
            [
                r["participants"],
                r["rows"],
                r["nodes"],
                r["edges"],
                r["graph_s"],
                r["metrics_s"],
                r["pictures_s"],
                r["layout_s"],
                r["total_s"],
                r["peak_rss_mb"],
            ]
            for r in runs
        ],
    )
    biggest = runs[-1]
    for small, big in itertools.pairwise(runs):
        local = growth_exponent(
            [(small["participants"], small["total_s"]), (big["participants"], big["total_s"])]
        )
        print(f"exponent {small['participants']:,} → {big['participants']:,}: {local:.2f}")
    print(
        f"\ngrowth exponent of total time: {exponent:.2f} (target ≤ {TARGET_EXPONENT}); "
        f"{biggest['participants']:,} participants: {biggest['total_s']:.1f} s "
        f"(target < {TARGET_SECONDS:.0f} s), peak RSS {biggest['peak_rss_mb']:.0f} MB "
        f"(target < {TARGET_RSS_MB:.0f} MB)"
    )
    path = write_json(
        "digest",
        {
            "runs": runs,
            "growth_exponent": exponent,
            "targets": {
                "seconds": TARGET_SECONDS,
                "rss_mb": TARGET_RSS_MB,
                "exponent": TARGET_EXPONENT,
            },
        },
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
