"""One function per stage: read the previous stage's Parquet, call the pure stage logic, write Parquet.

These are what the Prefect tasks call (flows/pipeline.py) and what tests call without Prefect.
Each returns a small dict of counts for the run summary.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from tasks import io, schema
from tasks.clean import clean_frame
from tasks.dedup import INDEX_VERSION, dedup
from tasks.extract import extract
from tasks.ingest import ingest_dir

Progress = Callable[[int, int], None] | None
DEDUP_INDEX = schema.DEDUP_INDEX


def run_ingest(input_dir: Path, output: Path, progress: Progress = None) -> dict[str, object]:
    t0 = time.perf_counter()
    input_dir = Path(input_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"input directory {input_dir} does not exist")
    previous = io.read_table(output, schema.INGEST_ARTICLES, required=False)
    articles, quarantine = ingest_dir(input_dir, previous, progress=progress)
    io.write_table(articles, output, schema.INGEST_ARTICLES)
    io.write_table(quarantine, output, schema.QUARANTINE)
    return {"stage": "ingest", "rows_in": articles.height + quarantine.height, "rows_out": articles.height,
            "quarantined": quarantine.height, "seconds": round(time.perf_counter() - t0, 3)}


def run_clean(output: Path, progress: Progress = None) -> dict[str, object]:
    t0 = time.perf_counter()
    articles = io.read_table(output, schema.INGEST_ARTICLES)
    paragraphs = clean_frame(articles, progress=progress)
    io.write_table(paragraphs, output, schema.CLEAN_PARAGRAPHS)
    removed = int(paragraphs["is_boilerplate"].sum())
    return {"stage": "clean", "rows_in": articles.height, "rows_out": paragraphs.height,
            "boilerplate_removed": removed, "seconds": round(time.perf_counter() - t0, 3)}


def run_dedup(output: Path, progress: Progress = None) -> dict[str, object]:
    t0 = time.perf_counter()
    paragraphs = io.read_table(output, schema.CLEAN_PARAGRAPHS)
    articles = io.read_table(output, schema.INGEST_ARTICLES)
    index = read_index(output)
    if progress:  # dedup is a few vectorised passes, not a per-article loop: report its phases
        progress(1, 3)
    p, a, new_index, stats = dedup(paragraphs, articles, index)
    if progress:
        progress(2, 3)
    io.write_table(p, output, schema.DEDUP_PARAGRAPHS)
    io.write_table(a, output, schema.DEDUP_ARTICLES)
    write_index(new_index, output)
    if progress:
        progress(3, 3)
    return {"stage": "dedup", "rows_in": paragraphs.height, "rows_out": p.height,
            "duplicates_found": stats["paragraph_copies"], **stats, "seconds": round(time.perf_counter() - t0, 3)}


def run_extract(output: Path, progress: Progress = None) -> dict[str, object]:
    t0 = time.perf_counter()
    p = io.read_table(output, schema.DEDUP_PARAGRAPHS)
    a = io.read_table(output, schema.DEDUP_ARTICLES)
    ing = io.read_table(output, schema.INGEST_ARTICLES)
    arts, quotes, ents = extract(p, a, ing, progress=progress)
    io.write_table(arts, output, schema.EXTRACT_ARTICLES)
    io.write_table(quotes, output, schema.EXTRACT_QUOTES)
    io.write_table(ents, output, schema.EXTRACT_ENTITIES)
    return {"stage": "extract", "rows_in": a.height, "rows_out": arts.height, "quotes": quotes.height,
            "entities": ents.height, "seconds": round(time.perf_counter() - t0, 3)}


def read_index(output: Path) -> pl.DataFrame | None:
    """The persisted MinHash index, or None when absent or built with other hashing parameters."""
    index = io.read_table(output, DEDUP_INDEX, required=False)
    if index is None or index.is_empty() or index["index_version"][0] != INDEX_VERSION:
        return None
    return index.drop("index_version")


def write_index(index: pl.DataFrame, output: Path) -> None:
    io.write_table(index.with_columns(pl.lit(INDEX_VERSION).alias("index_version")), output, DEDUP_INDEX)


def resolve_stages(stage: str | None = None, from_stage: str | None = None) -> list[str]:
    """Which stages to run: one (--stage), from one on (--from), or all."""
    if stage and from_stage:
        raise ValueError("use either --stage or --from, not both")
    for s in (stage, from_stage):
        if s and s not in schema.STAGES:
            raise ValueError(f"unknown stage {s!r}: choose one of {', '.join(schema.STAGES)}")
    if stage:
        return [stage]
    if from_stage:
        return list(schema.STAGES[schema.STAGES.index(from_stage):])
    return list(schema.STAGES)
