"""The clean stage: ingest/articles -> clean/paragraphs, streaming, or in batches on a task
runner."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl

from tasks import io, schema
from tasks.clean import clean, fast
from tasks.context import Context

# from this many articles, the first-pass rows wait for the second pass in a
WORK_ON_DISK_ARTICLES = 250_000
# work file; below, in memory


def run(ctx: Context) -> dict[str, object]:
    """Two passes: per-article cleaning in chunks (ctx.map), the rows parked (in a work file on big
    corpora) while only the small repeated-line candidate tables stay in memory; then the
    corpus-level rule, ids and categories, batch by batch from the parked rows."""
    t0 = time.perf_counter()
    n = ctx.count(schema.INGEST_ARTICLES)
    chunks = ctx.rows(
        schema.INGEST_ARTICLES, list(clean.KEY_COLUMNS), batch_rows=clean.CHUNK_ARTICLES
    )
    cands: list[pl.DataFrame] = []
    outlets: list[pl.DataFrame] = []
    done = 0
    work = ctx.work_table(schema.CLEAN_WORK, batch_rows=50_000, in_memory=n < WORK_ON_DISK_ARTICLES)
    try:
        for rows, cand, per_outlet in ctx.map(fast.clean_chunk_keyed, chunks):
            work.write(rows)
            cands.append(cand)
            outlets.append(per_outlet)
            if len(cands) >= 64:  # keep the candidates compact on big corpora
                cands, outlets = [pl.concat(cands).unique()], [pl.concat(outlets)]
            done += per_outlet["n_outlet"].sum()
            ctx.report(done, n)
        repeated = clean.repeated_lines(cands, outlets)
        removed = 0
        with ctx.writer(schema.CLEAN_PARAGRAPHS) as w:
            for rows in work.read():
                out = fast.finish_rows(rows, repeated)
                removed += int(out["is_boilerplate"].sum())
                w.write(out)
    finally:
        work.close()
    return {"stage": "clean", "rows_in": n, "rows_out": w.rows,
            "boilerplate_removed": removed, "seconds": round(time.perf_counter() - t0, 3)}


# ---- in batches on a task runner (Dask): plan, run_batch on the workers, merge ----

def plan(output: Path, batch_size: int) -> list[tuple]:
    """(lo, hi) row ranges of ingest/articles."""
    n = io.count_rows(output, schema.INGEST_ARTICLES)
    return [(lo, min(lo + batch_size, n)) for lo in range(0, n, batch_size)]


def batch_size(args: tuple) -> int:
    """Articles in one batch of plan (for progress)."""
    lo, hi = args
    return hi - lo


def run_batch(output: Path, lo: int, hi: int) -> str:
    """Per-article cleaning of ingest articles [lo, hi) -> a part file (its path)."""
    articles = io.read_rows(output, schema.INGEST_ARTICLES, range(lo, hi))
    return io.write_part(fast.clean_rows(articles), output, f"clean-{lo:010d}")


def merge(output: Path, parts: list[str], t0: float) -> dict[str, object]:
    """The parts in plan order, then the corpus-level rules: the bytes of a streaming run."""
    articles = io.read_table(output, schema.INGEST_ARTICLES)
    rows = (
        pl.concat([pl.read_parquet(p) for p in parts])
        if parts
        else fast.clean_rows(articles.head(0))
    )
    paragraphs = fast.finish_clean(rows, articles)
    io.write_table(paragraphs, output, schema.CLEAN_PARAGRAPHS)
    io.remove_parts(parts)
    return {"stage": "clean", "rows_in": articles.height, "rows_out": paragraphs.height,
            "boilerplate_removed": int(paragraphs["is_boilerplate"].sum()),
            "seconds": round(time.perf_counter() - t0, 3)}
