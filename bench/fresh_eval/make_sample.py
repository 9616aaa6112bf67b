"""Draw the fresh held-out cleaning sample: articles no earlier labelled set holds, fixed seed.

Two CLICK-ID articles per export that are not in bench/clean_eval (drawn from the shapes that set
left out: clean_eval took articles of 4-16 split units, this one takes the others, one-line glued
exports and long articles), and two PBA-news articles per outlet that are not in
bench/pba_eval/sample.jsonl. Each record keeps the raw text as ingested (`text`); labels.tsv marks
boilerplate as exact substrings of it, written by hand before berita's output on these articles was
looked at. Rerunning this reproduces sample.jsonl exactly.

    .venv/bin/python bench/fresh_eval/make_sample.py [ingest/articles.parquet of the CLICK-ID
    corpus]
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.clean_scoring import write_sample  # noqa: E402
from bench.corpus import real_clean  # noqa: E402
from tasks.text import split_lines  # noqa: E402

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
PBA_CSV = next(
    (
        p
        for p in (
            HERE.parents[k]
            / "shared"
            / "realdata"
            / "pba-news"
            / "raw"
            / "hasil_scraping_berita.csv"
            for k in (2, 3)
        )
        if p.exists()
    ),
    Path("hasil_scraping_berita.csv"),
)
PER_EXPORT = 2
PER_PBA_OUTLET = 2
SEED = 20261201


def clickid(arts: pl.DataFrame, rng: random.Random) -> list[dict]:
    taken = {
        json.loads(x)["key"]
        for x in (BENCH / "clean_eval" / "sample.jsonl").read_text().splitlines()
    }
    arts = arts.with_columns(
        pl.col("source_path").str.replace(r"\.(csv|xlsx)$", "").alias("export")
    )
    out = []
    for export in sorted(arts["export"].unique().to_list()):
        rows = arts.filter(pl.col("export") == export).sort("source_row").to_dicts()
        ok = [
            r
            for r in rows
            if f"{export}:{r['source_row']}" not in taken
            and not 4 <= len(split_lines(r["raw_text"])) <= 16
            and 300 <= len(r["raw_text"]) <= 4000
        ]
        for r in rng.sample(ok, min(PER_EXPORT, len(ok))):
            out.append(
                {
                    "key": f"{export}:{r['source_row']}",
                    "corpus": "clickid",
                    "outlet": export,
                    "source_path": r["source_path"],
                    "source_row": r["source_row"],
                    "text": r["raw_text"],
                }
            )
    return out


def pba(rng: random.Random) -> list[dict]:
    taken = {
        int(json.loads(x)["row"])
        for x in (BENCH / "pba_eval" / "sample.jsonl").read_text().splitlines()
    }
    df = pl.read_csv(PBA_CSV, infer_schema_length=0).with_row_index("row")
    out = []
    for outlet in sorted(df["sumber"].unique().to_list()):
        rows = [r for r in df.filter(pl.col("sumber") == outlet).sort("row").to_dicts()
                if r["row"] not in taken and r["isi"] and len(r["isi"]) <= 4000]
        for r in rng.sample(rows, PER_PBA_OUTLET):
            out.append(
                {
                    "key": f"pba-{outlet}:{r['row']}",
                    "corpus": "pba",
                    "outlet": f"pba-{outlet}",
                    "source_path": PBA_CSV.name,
                    "source_row": int(r["row"]),
                    "text": r["isi"],
                }
            )
    return out


def main() -> None:
    arts = (pl.read_parquet(sys.argv[1]) if len(sys.argv) > 1 else real_clean()[0])
    rng = random.Random(SEED)
    picked = clickid(arts, rng) + pba(rng)
    write_sample(HERE / "sample.jsonl", picked)


if __name__ == "__main__":
    main()
