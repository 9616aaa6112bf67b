"""Dedup throughput: the dedup stage over corpora of 25k, 50k and 100k articles built from the real
CLICK-ID corpus (bench/corpus.py: real articles, then new ones with 40% of their words replaced, 10%
of them wire copies of earlier ones). Each size runs in its own process so its peak RSS is its own.
Also times an incremental run: 1% new articles deduplicated against the persisted index of the other
99%.

    .venv/bin/python bench/dedup_bench.py [--sizes 25000,50000,100000]

Prints articles/s, seconds, peak RSS per size, and the time ratio when the corpus doubles.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import real_clean, scaled_corpus  # noqa: E402

OUT = Path("bench/out/dedup")


def corpus_paths(n: int) -> tuple[Path, Path]:
    return OUT / f"articles_{n}.parquet", OUT / f"paragraphs_{n}.parquet"


def make_corpus(n: int) -> None:
    a_path, p_path = corpus_paths(n)
    if a_path.exists() and p_path.exists():
        return
    OUT.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    arts, paras = real_clean()
    a, p = scaled_corpus(n, arts, paras)
    a.write_parquet(a_path)
    p.write_parquet(p_path)
    print(
        f"built corpus of {n} articles, {p.height} paragraphs in {time.perf_counter() - t:.0f}s",
        flush=True,
    )


def child(n: int, index_from: int | None, corpus: int) -> None:
    """Run dedup over the first n articles (optionally with an index built over the first
    index_from)."""
    from tasks.dedup.dedup import dedup

    a_path, p_path = corpus_paths(corpus)
    arts = pl.read_parquet(a_path).head(n)
    paras = pl.read_parquet(p_path)
    paras = paras.filter(pl.col("article_id").is_in(arts["article_id"].implode()))
    index = None
    if index_from:
        old = arts.head(index_from)
        _, _, index, _ = dedup(
            paras.filter(pl.col("article_id").is_in(old["article_id"].implode())), old, None
        )
    t = time.perf_counter()
    _, a, _, stats = dedup(paras, arts, index)
    secs = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "articles": n,
                "paragraphs": paras.height,
                "seconds": secs,
                "peak_rss_mib": rss,
                **stats,
            }
        )
    )


def run_child(n: int, corpus: int, index_from: int | None = None) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n), "--corpus", str(corpus)]
    cmd += ["--index-from", str(index_from)] if index_from else []
    r = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="25000,50000,100000")
    ap.add_argument("--child", type=int)
    ap.add_argument("--index-from", type=int)
    ap.add_argument("--corpus", type=int)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.index_from, args.corpus or args.child)
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    make_corpus(max(sizes))
    results = {}
    for n in sizes:
        r = run_child(n, max(sizes))
        results[n] = r
        print(f"dedup {n:>8,} articles {r['paragraphs']:>10,} paragraphs  {r['seconds']:6.1f}s  "
              f"{n / r['seconds']:8.0f} articles/s  peak RSS {r['peak_rss_mib']:6.0f} MiB  "
              f"copies={r['paragraph_copies']} article_dups={r['article_duplicates']} "
              f"stories={r['stories']}", flush=True)
    for n in sizes:
        if 2 * n in results:
            print(f"doubling {n:,} -> {2 * n:,} articles: time "
                  f"x{results[2 * n]['seconds'] / results[n]['seconds']:.2f} (target <= 2.2)")
    big = max(sizes)
    inc = run_child(big, big, index_from=int(big * 0.99))
    print(f"incremental: {big:,} articles with the index of the first {int(big * 0.99):,}: "
          f"{inc['seconds']:.1f}s "
          f"({inc['seconds'] / results[big]['seconds']:.0%} of the full run)")


if __name__ == "__main__":
    main()
