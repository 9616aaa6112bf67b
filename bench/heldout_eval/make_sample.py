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

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[2] / "shared" / "realdata"
PBA = SHARED / "pba-news" / "raw" / "hasil_scraping_berita.csv"
# the real corpus as bench/run_realdata.py writes it by default
CLICKID = HERE.parents[1] / "out" / "realdata_full" / "ingest" / "articles.parquet"
SEED = 2121
PBA_PER_OUTLET = 3
CLICKID_PER_FILE = 1
MIN_CHARS, MAX_CHARS = 600, 2400
QUOTE = r"[\"“”]"


def pba_part(src: Path) -> list[dict[str, str]]:
    df = pl.read_csv(src, infer_schema_length=0).with_row_index("row")
    tuned = {
        json.loads(ln)["row"]
        for ln in (HERE.parent / "pba_eval" / "sample.jsonl").open(encoding="utf-8")
    }
    df = df.filter(~pl.col("row").is_in(list(tuned)) & pl.col("isi").str.contains(QUOTE)
                   & pl.col("isi").str.len_chars().is_between(MIN_CHARS, MAX_CHARS))
    out = []
    for outlet in sorted(df["sumber"].unique().to_list()):
        part = df.filter(pl.col("sumber") == outlet).sample(PBA_PER_OUTLET, seed=SEED).sort("row")
        out += [
            {
                "id": f"pba:{r['row']}",
                "sumber": r["sumber"],
                "tanggal": r["tanggal"],
                "judul": r["judul"],
                "isi": r["isi"],
                "link": r["link"],
            }
            for r in part.to_dicts()
        ]
    return out


def clickid_part(src: Path) -> list[dict[str, str]]:
    df = pl.read_parquet(src)
    tuned = {(s["source_path"], s["source_row"]) for s in
             map(json.loads, (HERE.parent / "clean_eval" / "sample.jsonl").open(encoding="utf-8"))}
    df = df.filter(pl.col("raw_text").str.contains(QUOTE)
                   & pl.col("raw_text").str.len_chars().is_between(MIN_CHARS, MAX_CHARS))
    df = df.filter(~pl.struct("source_path", "source_row").map_elements(
        lambda r: (r["source_path"], r["source_row"]) in tuned, return_dtype=pl.Boolean))
    out = []
    for path in sorted(df["source_path"].unique().to_list()):
        part = df.filter(pl.col("source_path") == path).sort("source_row")
        part = part.sample(min(len(part), CLICKID_PER_FILE), seed=SEED).sort("source_row")
        stem = path.rsplit(".", 1)[0]
        out += [{"id": f"{stem}:{r['source_row']}", "sumber": (r["outlet_hint"] or stem).lower(),
                 "tanggal": r["published_hint"], "judul": r["title_hint"], "isi": r["raw_text"],
                 "link": r["url"]} for r in part.to_dicts()]
    return out


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
