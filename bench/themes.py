"""Themes at 1k/10k/100k needs, with an empty embedding cache and with a warm one.

Run: ``python -m bench.themes [--sizes 1000 10000 100000]``. The needs are made from the
labelled set (tests/fixtures/themes_labelled.csv) with varied openings, endings and a
block number in each text's language, so every text is distinct and keeps its gold theme.
Each size runs twice in fresh processes on one SQLite file: first with an empty cache
(every text is encoded and stored), then warm (vectors read back, nothing encoded). Each
phase has its own peak RSS. Quality is NMI/ARI against the gold themes, on the
synthetic needs and on the labelled set itself. Writes ``bench/results/themes.json``.

Targets (issue "Synthesis"): 10k needs with an empty cache < 60 s on 2 cores; quality on
the labelled set NMI ≥ 0.90 and ARI ≥ 0.80.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import print_table, write_json

SIZES = (1_000, 10_000, 100_000)
TARGET_COLD_10K_S = 60.0
LABELLED = Path(__file__).parents[1] / "tests" / "fixtures" / "themes_labelled.csv"
HELIX = ("government", "industry", "academia", "civil_society")

OPENINGS = {
    "en": [
        "",
        "Honestly, ",
        "In my street, ",
        "For my family, ",
        "As a parent, ",
        "Really, ",
        "Every week I notice this: ",
        "To be frank, ",
        "Where I live, ",
        "Simply put, ",
        "As an older resident, ",
        "From my experience, ",
    ],
    "zh": [
        "",
        "说实话，",
        "在我们街道，",
        "对我们家来说，",
        "作为家长，",
        "真的，",
        "我每周都会遇到：",
        "坦白讲，",
        "在我住的地方，",
        "简单来说，",
        "作为老居民，",
        "根据我的经验，",
    ],
}
ENDINGS = {
    "en": [
        "",
        " This matters a lot to me.",
        " Please fix it soon.",
        " It has been like this for years.",
        " My neighbours agree.",
        " It affects the whole street.",
        " Nothing has changed so far.",
        " It makes daily life harder.",
    ],
    "zh": [
        "",
        "这对我很重要。",
        "请尽快解决。",
        "这种情况已经好多年了。",
        "邻居们也这么认为。",
        "整条街都受影响。",
        "到现在还没有改变。",
        "这让日常生活更难了。",
    ],
}
BLOCK = {"en": " (block {n})", "zh": "（{n}号楼）"}


def labelled() -> list[dict[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def synthetic(size: int, seed: int) -> tuple[list[Any], dict[str, str]]:
    """``size`` distinct needs made from the labelled set, and their gold themes."""
    from bot.synthesis import ThemeText

    rng = random.Random(seed)
    rows = labelled()
    texts, gold = [], {}
    for i in range(size):
        row = rows[i % len(rows)]
        loc = row["locale"]
        body = row["text"]
        text = rng.choice(OPENINGS[loc]) + (
            body[0].lower() + body[1:] if loc == "en" and rng.random() < 0.3 and i % 2 else body
        )
        text += rng.choice(ENDINGS[loc]) + BLOCK[loc].format(n=i // len(rows) + 1)
        key = f"need:{i + 1}"
        texts.append(
            ThemeText(key, text, loc, row["domain"], HELIX[i % 4], float(rng.randint(1, 25)), i)
        )
        gold[key] = row["gold_theme"]
    return texts, gold


def quality(run: Any, gold: dict[str, str]) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    keys = sorted(gold)
    predicted = [run.theme_of(k) for k in keys]
    truth = [gold[k] for k in keys]
    return normalized_mutual_info_score(truth, predicted), adjusted_rand_score(truth, predicted)


def _one(size: int, seed: int, db: str, phase: str) -> dict[str, Any]:
    from bot.synthesis import SentenceEncoder, embed, find_themes
    from bot.synthesis.encoder import encoder_key
    from storage.embeddings import EmbeddingTable
    from storage.store import Store

    texts, gold = synthetic(size, seed)
    store = Store(f"sqlite:///{db}")
    store.ensure_schema()
    encoder = SentenceEncoder()
    encoder.load()  # weights load (≈2 s) is outside the timing: once per process
    t0 = time.perf_counter()
    embedded = embed([t.text for t in texts], encoder, EmbeddingTable(store))
    t1 = time.perf_counter()
    run = find_themes(texts, embedded.vectors, locales=("en", "zh"), encoder=encoder_key(encoder))
    t2 = time.perf_counter()
    nmi, ari = quality(run, gold)
    store.dispose()
    return {
        "needs": size,
        "phase": phase,
        "encoded": embedded.encoded,
        "embed_s": t1 - t0,
        "cluster_s": t2 - t1,
        "total_s": t2 - t0,
        "themes": len(run.themes),
        "nmi": nmi,
        "ari": ari,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def labelled_quality() -> dict[str, float]:
    from bot.synthesis import MemoryCache, SentenceEncoder, TfidfEncoder, ThemeText, build_themes

    rows = labelled()
    texts = [
        ThemeText(r["key"], r["text"], r["locale"], r["domain"], created_order=i)
        for i, r in enumerate(rows)
    ]
    gold = {r["key"]: r["gold_theme"] for r in rows}
    use = build_themes(texts, encoder=SentenceEncoder(), cache=MemoryCache())
    tfidf = build_themes(texts, encoder=TfidfEncoder())
    (u_nmi, u_ari), (t_nmi, t_ari) = quality(use, gold), quality(tfidf, gold)
    return {"use_nmi": u_nmi, "use_ari": u_ari, "tfidf_nmi": t_nmi, "tfidf_ari": t_ari}


def main() -> None:
    """Run every size cold then warm, each in a child process, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--labelled", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.labelled:
        print(json.dumps(labelled_quality()))
        return
    if args.one:
        print(json.dumps(_one(args.one, args.seed, args.db, args.phase)))
        return
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            db = str(Path(tmp) / f"themes-{size}.db")
            for phase in ("empty cache", "warm cache"):
                print(f"themes bench: {size:,} needs, {phase} …", file=sys.stderr, flush=True)
                out = subprocess.run(
                    [
                        sys.executable,
                        "-m",
                        "bench.themes",
                        "--one",
                        str(size),
                        "--seed",
                        str(args.seed),
                        "--db",
                        db,
                        "--phase",
                        phase,
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    out = subprocess.run(
        [sys.executable, "-m", "bench.themes", "--labelled"],
        check=True,
        capture_output=True,
        text=True,
    )
    labelled_scores = json.loads(out.stdout.strip().splitlines()[-1])
    print_table(
        "Themes: embed (through the SQLite cache) + cluster + describe (synthetic, seeded)",
        [
            "needs",
            "cache",
            "encoded",
            "embed s",
            "cluster s",
            "total s",
            "themes",
            "NMI",
            "ARI",
            "peak RSS MB",
        ],
        [
            [
                r["needs"],
                r["phase"],
                r["encoded"],
                r["embed_s"],
                r["cluster_s"],
                r["total_s"],
                r["themes"],
                r["nmi"],
                r["ari"],
                r["peak_rss_mb"],
            ]
            for r in runs
        ],
    )
    print(
        f"\nlabelled set ({LABELLED.name}): sentence encoder NMI {labelled_scores['use_nmi']:.3f}"
        f" ARI {labelled_scores['use_ari']:.3f} (target ≥ 0.90 / ≥ 0.80); TF-IDF fallback NMI "
        f"{labelled_scores['tfidf_nmi']:.3f} ARI {labelled_scores['tfidf_ari']:.3f}"
    )
    cold = [r for r in runs if r["needs"] == 10_000 and r["phase"] == "empty cache"]
    if cold:
        print(
            f"10k needs, empty cache: {cold[0]['total_s']:.1f} s "
            f"(target < {TARGET_COLD_10K_S:.0f} s on 2 cores)"
        )
    path = write_json(
        "themes",
        {"runs": runs, "labelled": labelled_scores, "targets": {"cold_10k_s": TARGET_COLD_10K_S}},
    )
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
