"""Draw the PBA-news evaluation sample: 10 articles per outlet, fixed seed, from the shared corpus.

The sample is labelled by hand (clean_labels.tsv, fields.tsv, quotes.tsv) before berita's output on
it is looked at. Rerunning this script reproduces sample.jsonl exactly.

    .venv/bin/python bench/pba_eval/make_sample.py
    [../shared/realdata/pba-news/raw/hasil_scraping_berita.csv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clean_scoring import write_sample  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parents[2] / "shared" / "realdata" / "pba-news" / "raw" / "hasil_scraping_berita.csv"
PER_OUTLET = 10
SEED = 2026


def main() -> None:
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if not src.exists():
        sys.exit(f"error: {src} not found (the PBA-news corpus lives in "
                 "../shared/realdata/pba-news/raw)")
    df = pl.read_csv(src, infer_schema_length=0).with_row_index("row")
    picked = []
    for outlet in sorted(df["sumber"].unique().to_list()):
        part = df.filter(pl.col("sumber") == outlet).sample(PER_OUTLET, seed=SEED).sort("row")
        picked.extend(part.to_dicts())
    write_sample(HERE / "sample.jsonl", picked)


if __name__ == "__main__":
    main()
