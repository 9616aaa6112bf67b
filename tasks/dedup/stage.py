"""The dedup stage: clean/paragraphs (+ ingest/articles) -> dedup/paragraphs, dedup/articles and the
persisted signature index (dedup/index), streaming clean/paragraphs twice (dedup.dedup_stream)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from tasks import io, schema
from tasks.context import Context
from tasks.dedup import dedup

DEDUP_INDEX = schema.DEDUP_INDEX


def run(ctx: Context) -> dict[str, object]:
    """Memory holds numeric arrays per paragraph and one signature per distinct text, never the
    texts.
    ctx.force: the index is not reused (every signature recomputed)."""
    t0 = time.perf_counter()
    output = Path(ctx.output)
    n = ctx.count(schema.CLEAN_PARAGRAPHS)
    cp = schema.CLEAN_PARAGRAPHS
    source = dedup.Source(
        n,
        lambda columns: io.iter_table(output, cp, columns, batch_rows=dedup.BATCH_ROWS),
        lambda rows: io.values_at(output, cp, "text", rows),
    )
    order = dedup.article_order(  # the article frames are dropped once ranked
        ctx.read(schema.INGEST_ARTICLES, ["article_id", "ingested_at", "source_path", "source_row",
                                          "published_hint", "url", "title_hint"]),
        io.filter_rows(output, cp, pl.col("boilerplate_rule") == "publish_date",
                       ["article_id", "boilerplate_rule", "text"]))
    ctx.release_memory()

    def attempt(index):
        work = ctx.work_table(schema.DEDUP_TERMS_WORK, in_memory=n < dedup.TERMS_ON_DISK_ROWS,
                              batch_rows=None if n < dedup.TERMS_ON_DISK_ROWS else 2_000_000)
        try:
            with ctx.writer(schema.DEDUP_PARAGRAPHS) as w:
                return w, *dedup.dedup_stream(
                    source,
                    order,
                    index,
                    w.write,
                    work,
                    ctx.progress,
                    ctx.map,
                    save_index=lambda ix: write_index(ix, output),
                    release_memory=ctx.release_memory,
                    pause_workers=ctx.pause_workers,
                )
        finally:
            work.close()

    try:
        w, arts, _, stats = attempt(None if ctx.force else read_index(output))
    except dedup.IndexIncomplete as e:
        logging.getLogger("berita").warning("%s; recomputing every signature", e)
        w, arts, _, stats = attempt(None)
    ctx.write(arts, schema.DEDUP_ARTICLES)  # the new index was written as soon as it was complete
    return {
        "stage": "dedup",
        "rows_in": n,
        "rows_out": w.rows,
        "duplicates_found": stats["paragraph_copies"],
        **stats,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def index_checksum_path(output: Path) -> Path:
    """The index's checksum file, beside it: the xxh3 digest of the index file as berita wrote
    it."""
    return io.table_path(output, DEDUP_INDEX).with_suffix(".xxh3")


def read_index(output: Path):
    """The persisted MinHash index (dedup.Index), or None when absent or built with other hashing
    parameters. Only the hashes are read now (8 bytes a text); the signatures are streamed from the
    file once, for the texts found in it (dedup.Signatures.finish). An index whose bytes do not
    match the checksum written beside it (damaged, or rewritten by something else: valid Parquet
    with wrong signatures), or that has none, is rebuilt with a warning; a read error while
    streaming it is dedup.IndexIncomplete (rebuilt the same way)."""
    from tasks.dedup.dedup import Index, IndexIncomplete

    path = io.table_path(output, DEDUP_INDEX)
    if not path.exists():
        return None
    log = logging.getLogger("berita")
    try:
        expected = index_checksum_path(output).read_text(encoding="utf-8").strip()
        if io.file_digest(path) != expected:
            log.warning(
                "%s does not match its checksum (damaged or rewritten); rebuilding it", path
            )
            return None
    except OSError:
        log.warning("%s has no readable checksum beside it; rebuilding it", path)
        return None
    try:
        n = io.count_rows(output, DEDUP_INDEX)
        h = np.empty(n, np.uint64)
        lo = 0
        for b in io.iter_table(
            output, DEDUP_INDEX, ["norm_hash", "index_version"], batch_rows=500_000
        ):
            if (b["index_version"] != dedup.INDEX_VERSION).any() or b["norm_hash"].null_count():
                return None
            h[lo : lo + b.height] = (
                b["norm_hash"].str.to_integer(base=16, dtype=pl.UInt64).to_numpy()
            )
            lo += b.height
    except (io.DatasetError, pl.exceptions.PolarsError, ValueError) as e:
        log.warning("%s is unreadable (%s); rebuilding it", path, type(e).__name__)
        return None  # an unreadable or old-format index is rebuilt, never an error

    def batches():
        try:
            for b in io.iter_table(output, DEDUP_INDEX, ["norm_hash", "sig"], batch_rows=200_000):
                # a damaged row is missing: dedup.IndexIncomplete
                b = b.filter(pl.col("sig").is_not_null())
                yield (
                    b["norm_hash"].str.to_integer(base=16, dtype=pl.UInt64).to_numpy(),
                    b["sig"].to_numpy(),
                )
        except (io.DatasetError, pl.exceptions.PolarsError, ValueError, OSError) as e:
            raise IndexIncomplete(
                f"dedup index unreadable while streaming ({type(e).__name__})"
            ) from e

    return Index(h[:lo], batches=batches) if lo else None


def write_index(index, output: Path) -> None:
    """index: a dedup.Index (written from its arrays without a copy through polars)."""
    data = index.to_arrow()
    data = data.append_column(
        "index_version", pa.repeat(pa.scalar(dedup.INDEX_VERSION, pa.large_string()), data.num_rows)
    )
    # killed between the two writes: rebuilt, never trusted
    index_checksum_path(output).unlink(missing_ok=True)
    path = io.write_arrow(data, output, DEDUP_INDEX)
    io.atomic_write_bytes(index_checksum_path(output), io.file_digest(path).encode())
