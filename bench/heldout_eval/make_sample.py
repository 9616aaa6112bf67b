"""Draw the fresh held-out sample for fields and quotes: articles nobody tuned on.

3 PBA-news articles per outlet that are not in bench/pba_eval/sample.jsonl and 1 CLICK-ID article
per export file that are not in bench/clean_eval/sample.jsonl (the set bench/field_eval labels),
each holding a quote mark and 600-2,400 characters long (so every quote can be labelled by hand),
fixed seed. CLICK-ID rows are read from an ingest/articles table of the real corpus (raw text and
export columns as ingest keeps them) and written in the PBA export's column names, so one JSONL
export holds the whole sample.

    .venv/bin/python bench/heldout_eval/make_sample.py [PBA_CSV] [CLICKID_INGEST_ARTICLES_PARQUET]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.clean_scoring import write_sample  # noqa: E402
from bench.labelled_sample import (  # noqa: E402
    PBA_CSV,
    clickid_per_file,
    pba_per_outlet,
    quoted_of_length,
    read_pba,
)

HERE = Path(__file__).resolve().parent
PBA = PBA_CSV
# the real corpus as bench/run_realdata.py writes it by default
CLICKID = HERE.parents[1] / "out" / "realdata_full" / "ingest" / "articles.parquet"
SEED = 2121
PBA_PER_OUTLET = 3
CLICKID_PER_FILE = 1
MIN_CHARS, MAX_CHARS = 600, 2400


def pba_part(src: Path) -> list[dict[str, str]]:
    tuned = {
        json.loads(ln)["row"]
        for ln in (HERE.parent / "pba_eval" / "sample.jsonl").open(encoding="utf-8")
    }
    df = read_pba(src).filter(~pl.col("row").is_in(list(tuned))
                              & quoted_of_length("isi", MIN_CHARS, MAX_CHARS))
    return pba_per_outlet(df, PBA_PER_OUTLET, SEED)


def clickid_part(src: Path) -> list[dict[str, str]]:
    df = pl.read_parquet(src)
    tuned = {(s["source_path"], s["source_row"]) for s in
             map(json.loads, (HERE.parent / "clean_eval" / "sample.jsonl").open(encoding="utf-8"))}
    df = df.filter(quoted_of_length("raw_text", MIN_CHARS, MAX_CHARS))
    df = df.filter(~pl.struct("source_path", "source_row").map_elements(
        lambda r: (r["source_path"], r["source_row"]) in tuned, return_dtype=pl.Boolean))
    return clickid_per_file(df, CLICKID_PER_FILE, SEED)


def main() -> None:
    pba = Path(sys.argv[1]) if len(sys.argv) > 1 else PBA
    clickid = Path(sys.argv[2]) if len(sys.argv) > 2 else CLICKID
    for p in (pba, clickid):
        if not p.exists():
            sys.exit(f"error: {p} not found (the CLICK-ID table: run bench/run_realdata.py first)")
    picked = pba_part(pba) + clickid_part(clickid)
    write_sample(HERE / "sample.jsonl", picked)


if __name__ == "__main__":
    main()
