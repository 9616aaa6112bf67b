"""Draw the cleaning evaluation sample: 6 articles from each outlet of the CLICK-ID exports
(seeded), split into the units (lines, or glued paragraphs of one-line exports) that the labeller
marks as body or boilerplate. Writes bench/clean_eval/sample.jsonl. The labels themselves are in
labels.tsv, written by hand.

    .venv/bin/python bench/clean_eval/make_sample.py [--per-outlet 6] [--print]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.corpus import real_clean  # noqa: E402
from tasks.text import split_lines  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-outlet", type=int, default=6)
    ap.add_argument("--print", action="store_true")
    args = ap.parse_args()
    arts, _ = real_clean()
    arts = arts.with_columns(
        pl.col("source_path").str.replace(r"\.(csv|xlsx)$", "").alias("export")
    )
    rng = random.Random(20261122)
    out = []
    for export in sorted(arts["export"].unique().to_list()):
        rows = arts.filter(pl.col("export") == export).sort("source_row").to_dicts()
        ok = [r for r in rows if 4 <= len(split_lines(r["raw_text"])) <= 16]
        for r in rng.sample(ok, min(args.per_outlet, len(ok))):
            units = [t for _, t in split_lines(r["raw_text"])]
            out.append(
                {
                    "key": f"{export}:{r['source_row']}",
                    "source_path": r["source_path"],
                    "source_row": r["source_row"],
                    "title_hint": r["title_hint"],
                    "url": r["url"],
                    "units": units,
                }
            )
    with open(HERE / "sample.jsonl", "w", encoding="utf-8") as fh:
        for o in out:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")
    print(f"{len(out)} articles from {len({o['key'].split(':')[0] for o in out})} exports")
    if args.print:
        for o in out:
            print(f"\n=== {o['key']}  title_hint={o['title_hint']!r}")
            for i, u in enumerate(o["units"]):
                print(f"[{i}] {u}")


if __name__ == "__main__":
    main()
