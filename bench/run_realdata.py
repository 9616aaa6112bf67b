"""Run every stage over the real-data corpus (../shared/realdata/clickid-2019/raw: CSV + XLSX
exports) and print per-stage rows, articles/s, wall time and peak RSS. Usage:
    .venv/bin/python bench/run_realdata.py [input_dir] [output_dir]
The output folder is emptied first (a first run: no dedup index from an earlier one). Worker
processes: BERITA_WORKERS, else all CPUs.
"""

from __future__ import annotations

import resource
import shutil
import sys
import time
from pathlib import Path

import polars as pl

from tasks import stages
from tasks.parallel import default_workers, shutdown


def main() -> None:
    src = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/realdata/clickid-2019/raw")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "bench/out/realdata_full")
    shutil.rmtree(out, ignore_errors=True)
    workers = default_workers()
    t0 = time.perf_counter()
    results = [
        stages.run_stage(s, src, out, force=True, workers=workers) for s in stages.resolve_stages()
    ]
    n = int(results[0]["rows_out"])
    total = time.perf_counter() - t0
    t1 = time.perf_counter()
    again = [stages.run_stage(s, src, out, workers=workers) for s in stages.resolve_stages()]
    rerun = time.perf_counter() - t1
    for r in results:
        rate = n / r["seconds"] if r["seconds"] else float("inf")
        print(f"{r['stage']:8s} {r['seconds']:8.1f}s {rate:9.0f} articles/s  {r}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    shutdown()
    workers_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"total    {total:8.1f}s  {n / total:8.0f} articles/s  peak RSS {rss:.0f} MiB (each of "
          f"{workers} workers "
          f"<= {workers_rss:.0f} MiB)  articles={n}")
    print(f"rerun with unchanged input: {rerun:.1f}s ({rerun / total:.1%} of the first run); "
          f"skipped: {[r['stage'] for r in again if r.get('skipped')]}")
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    q = pl.read_parquet(out / "quarantine" / "ingest.parquet")
    print("quarantined:", q.group_by("reason").len().sort("len", descending=True).rows())
    print("outlets:", arts.group_by("outlet").len().sort("len", descending=True).head(15).rows())
    print(
        "with title:",
        arts["title"].is_not_null().mean(),
        "with published_at:",
        arts["published_at"].is_not_null().mean(),
        "with dateline:",
        arts["dateline"].is_not_null().mean(),
    )
    print(
        "article duplicates:",
        arts["duplicate_of"].is_not_null().sum(),
        "stories:",
        arts["story_id"].n_unique(),
        "largest story:",
        arts.group_by("story_id").len()["len"].max(),
    )
    p = pl.read_parquet(out / "dedup" / "paragraphs.parquet")
    print("paragraph rows:", p.height, "boilerplate rows:", int(p["is_boilerplate"].sum()),
          "paragraph copies:", int(p["duplicate_of"].is_not_null().sum()))
    print(
        "top rules:",
        p.group_by("boilerplate_rule")
        .len()
        .drop_nulls()
        .sort("len", descending=True)
        .head(15)
        .rows(),
    )


if __name__ == "__main__":
    main()
