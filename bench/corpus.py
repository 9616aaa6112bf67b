"""Shared by the benchmarks: the real CLICK-ID corpus (ingested + cleaned once, cached under
bench/out/realdata) and frames shaped like the pipeline's own tables, so stage functions can be
timed without file I/O."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

from tasks import io, schema, stages

REAL_RAW = Path("../shared/realdata/clickid-2019/raw")
CACHE = Path("bench/out/realdata")
WORD = re.compile(r"\w+")


def real_clean(src: Path = REAL_RAW, cache: Path = CACHE) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(ingest/articles, clean/paragraphs) of the real corpus; computed once, then read from the
    cache."""
    if not (cache / schema.CLEAN_PARAGRAPHS.relpath).exists():
        if not src.is_dir():
            raise SystemExit(f"{src} not found: the benchmarks need ../shared/realdata (see its "
                             "SOURCE.txt)")
        print(f"ingesting and cleaning {src} once into {cache} ...", flush=True)
        stages.run_ingest(src, cache)
        stages.run_clean(cache)
    return io.read_table(cache, schema.INGEST_ARTICLES), io.read_table(
        cache, schema.CLEAN_PARAGRAPHS
    )


def articles_frame(
    ids: list[str], published: list[datetime | None], *, paths: list[str] | None = None
) -> pl.DataFrame:
    """An ingest/articles-shaped frame (what dedup reads): ids, publish hints, ingest order."""
    base = datetime(2024, 1, 1, tzinfo=UTC)
    hints = [None if p is None else f"{p.day} {MONTHS[p.month - 1]} {p.year} "
                                    f"{p.hour:02d}:{p.minute:02d} WIB" for p in published]
    df = pl.DataFrame({
        "article_id": ids,
        "source_path": paths or [f"bench/{i:07d}.txt" for i in range(len(ids))],
        "source_row": [None] * len(ids),
        "published_hint": hints,
        "ingested_at": [base + timedelta(seconds=i) for i in range(len(ids))],
    }, schema_overrides={"source_row": pl.Int64})
    return schema.conform(df, schema.INGEST_ARTICLES)


def paragraphs_frame(rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
    """A clean/paragraphs-shaped frame from (article_id, text, boilerplate_rule) rows in article
    order."""
    df = pl.DataFrame(
        rows,
        schema={"article_id": pl.String, "text": pl.String, "boilerplate_rule": pl.String},
        orient="row",
    )
    df = df.with_columns(
        pl.int_range(pl.len()).over("article_id").cast(pl.Int32).alias("paragraph_index")
    )
    df = df.with_columns(
        (pl.col("article_id") + "-" + pl.col("paragraph_index").cast(pl.String).str.zfill(4)).alias(
            "paragraph_id"
        ),
        pl.col("paragraph_index").alias("source_line"),
        pl.col("boilerplate_rule").is_not_null().alias("is_boilerplate"),
    )
    return schema.conform(df, schema.CLEAN_PARAGRAPHS)


MONTHS = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def scaled_corpus(n: int, articles: pl.DataFrame, paragraphs: pl.DataFrame, *, seed: int = 11,
                  copy_share: float = 0.1) -> tuple[pl.DataFrame, pl.DataFrame]:
    """n articles shaped like the real corpus: the real articles first, then new ones made from real
    articles by replacing 40% of their words with other corpus words (so their text is new, not a
    copy), of which `copy_share` are instead light edits of an earlier article (wire copy).
    Deterministic for a seed."""
    rng = random.Random(seed)
    real_ids = articles["article_id"].to_list()
    by_art = {
        a: list(zip(t, r, strict=True))
        for a, t, r in paragraphs.group_by("article_id", maintain_order=True)
        .agg("text", "boilerplate_rule")
        .iter_rows()
    }
    vocab = [
        w for w in WORD.findall(" ".join(paragraphs["text"].head(60000).to_list())) if len(w) > 3
    ][:200000]
    rows: list[tuple[str, str, str | None]] = []
    ids: list[str] = []
    published: list[datetime | None] = []
    t0 = datetime(2019, 9, 1, 3, tzinfo=UTC)
    for i in range(n):
        src = real_ids[i % len(real_ids)]
        aid = f"{i:016x}"
        ids.append(aid)
        published.append(t0 + timedelta(minutes=7 * i))
        paras = by_art.get(src, [])
        if i < len(real_ids):
            rows.extend((aid, t, r) for t, r in paras)
            continue
        if rng.random() < copy_share:
            for t, r in paras:  # wire copy: same paragraphs, a changed number and an attribution
                rows.append(
                    (
                        aid,
                        t if r else re.sub(r"\d+", lambda m: str(int(m.group()) + 1), t, count=1),
                        r,
                    )
                )
            continue
        for t, r in paras:
            if r:
                rows.append((aid, t, r))
                continue
            words = t.split(" ")
            for j in range(len(words)):
                if rng.random() < 0.4:
                    words[j] = rng.choice(vocab)
            rows.append((aid, " ".join(words), None))
    return articles_frame(ids, published), paragraphs_frame(rows)
