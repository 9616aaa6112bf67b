"""Drawing a sample to label by hand from the real exports: a fixed number of articles per PBA-news
outlet and per CLICK-ID export file, by a fixed seed, each written in the PBA export's column names
(id, sumber, tanggal, judul, isi, link) so that one JSONL export holds the whole sample. The
bench/*_eval/make_sample.py scripts choose which rows may be drawn (never one an earlier labelled
set holds) and call these."""

from __future__ import annotations

from pathlib import Path

import polars as pl

SHARED = Path(__file__).resolve().parents[2] / "shared" / "realdata"
PBA_CSV = SHARED / "pba-news" / "raw" / "hasil_scraping_berita.csv"
QUOTE = r"[\"“”]"


def quoted_of_length(text: str, lo: int, hi: int) -> pl.Expr:
    """Rows whose text column holds a quote mark and lo-hi characters (every quote labellable)."""
    return pl.col(text).str.contains(QUOTE) & pl.col(text).str.len_chars().is_between(lo, hi)


def read_pba(src: Path) -> pl.DataFrame:
    """The PBA-news export as text columns, with its 0-based row number ("row")."""
    return pl.read_csv(src, infer_schema_length=0).with_row_index("row")


def pba_per_outlet(df: pl.DataFrame, per_outlet: int, seed: int) -> list[dict[str, str]]:
    """per_outlet rows of each outlet ("sumber") of the PBA rows df (read_pba's), in row order."""
    out = []
    for outlet in sorted(df["sumber"].unique().to_list()):
        part = df.filter(pl.col("sumber") == outlet).sample(per_outlet, seed=seed).sort("row")
        out += [{"id": f"pba:{r['row']}", "sumber": r["sumber"], "tanggal": r["tanggal"],
                 "judul": r["judul"], "isi": r["isi"], "link": r["link"]}
                for r in part.to_dicts()]
    return out


def clickid_per_file(df: pl.DataFrame, per_file: int, seed: int) -> list[dict[str, str]]:
    """Up to per_file rows of each export file of df (rows of an ingest/articles table of the real
    corpus: raw text and export columns as ingest keeps them), in row order; id
    "<file stem>:<row>"."""
    out = []
    for path in sorted(df["source_path"].unique().to_list()):
        part = df.filter(pl.col("source_path") == path).sort("source_row")
        part = part.sample(min(len(part), per_file), seed=seed).sort("source_row")
        stem = path.rsplit(".", 1)[0]
        out += [{"id": f"{stem}:{r['source_row']}", "sumber": (r["outlet_hint"] or stem).lower(),
                 "tanggal": r["published_hint"], "judul": r["title_hint"], "isi": r["raw_text"],
                 "link": r["url"]} for r in part.to_dicts()]
    return out
