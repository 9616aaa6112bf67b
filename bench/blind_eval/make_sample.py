"""Draw the second blind sample for fields and quotes: articles no earlier labelled set holds.

3 PBA-news articles per outlet and 2 CLICK-ID articles per export file that are in none of the
earlier samples (bench/pba_eval, bench/heldout_eval, bench/clean_eval, bench/fresh_eval: by row, by
key and by URL), each holding a quote mark and 600-2,400 characters long (so every quote can be
labelled by hand), fixed seed (another than heldout's). CLICK-ID rows are read from an
ingest/articles table of the real corpus (raw text and export columns as ingest keeps them; by
default the cache bench/corpus.py's real_clean writes) and written in the PBA export's column names,
so one JSONL export holds the whole sample.

    .venv/bin/python bench/blind_eval/make_sample.py [PBA_CSV] [CLICKID_INGEST_ARTICLES_PARQUET]
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
BENCH = HERE.parent
PBA = PBA_CSV
# the real corpus's ingest table as bench/corpus.py real_clean() caches it
CLICKID = BENCH / "out" / "realdata" / "ingest" / "articles.parquet"
SEED = 2721
PBA_PER_OUTLET = 3
CLICKID_PER_FILE = 2
MIN_CHARS, MAX_CHARS = 600, 2400
EARLIER = ("pba_eval", "heldout_eval", "clean_eval", "fresh_eval")


def taken() -> tuple[set[int], set[str], set[str]]:
    """(PBA rows, CLICK-ID 'export:row' keys, URLs) of every earlier sample."""
    rows: set[int] = set()
    keys: set[str] = set()
    urls: set[str] = set()
    for name in EARLIER:
        for ln in (BENCH / name / "sample.jsonl").read_text(encoding="utf-8").splitlines():
            r = json.loads(ln)
            urls.update(u for u in (r.get("link"), r.get("url")) if u)
            if name == "pba_eval":
                rows.add(int(r["row"]))
            elif name == "heldout_eval":
                stem, row = r["id"].rsplit(":", 1)
                (rows.add(int(row)) if stem == "pba" else keys.add(r["id"]))
            elif r.get("corpus") == "pba":
                rows.add(int(r["source_row"]))
            else:
                keys.add(r["key"])
    return rows, keys, urls


def pba_part(src: Path, rows: set[int], urls: set[str]) -> list[dict[str, str]]:
    df = read_pba(src).filter(~pl.col("row").is_in(list(rows)) & ~pl.col("link").is_in(list(urls))
                              & quoted_of_length("isi", MIN_CHARS, MAX_CHARS))
    return pba_per_outlet(df, PBA_PER_OUTLET, SEED)


def clickid_part(src: Path, keys: set[str], urls: set[str]) -> list[dict[str, str]]:
    df = pl.read_parquet(src).with_columns(
        (pl.col("source_path").str.replace(r"\.(csv|xlsx)$", "") + ":"
         + pl.col("source_row").cast(pl.String)).alias("key"))
    df = df.filter(~pl.col("key").is_in(list(keys)) & ~pl.col("url").is_in(list(urls))
                   & quoted_of_length("raw_text", MIN_CHARS, MAX_CHARS))
    return clickid_per_file(df, CLICKID_PER_FILE, SEED)


def main() -> None:
    pba = Path(sys.argv[1]) if len(sys.argv) > 1 else PBA
    clickid = Path(sys.argv[2]) if len(sys.argv) > 2 else CLICKID
    for p in (pba, clickid):
        if not p.exists():
            sys.exit(f"error: {p} not found (the CLICK-ID table: run bench/corpus.py's real_clean "
                     "or bench/run_realdata.py first and pass its ingest/articles.parquet)")
    rows, keys, urls = taken()
    picked = pba_part(pba, rows, urls) + clickid_part(clickid, keys, urls)
    write_sample(HERE / "sample.jsonl", picked)


if __name__ == "__main__":
    main()
