"""Dask batches read their own rows (the row groups holding them), never the whole input table."""

from __future__ import annotations

import polars as pl
import pyarrow.parquet as pq

from tasks import io, schema, stages
from tests.test_batched import _local_map


def test_read_rows_takes_exactly_the_rows_at_the_positions_across_row_groups(
    sample_output, tmp_path
):
    full = io.read_table(sample_output, schema.DEDUP_PARAGRAPHS)
    with io.TableWriter(tmp_path, schema.DEDUP_PARAGRAPHS) as w:  # one row group per write
        for lo, hi in ((0, 10), (10, 11), (11, 40), (40, full.height)):
            w.write(full.slice(lo, hi - lo))
    assert (
        pq.ParquetFile(io.table_path(tmp_path, schema.DEDUP_PARAGRAPHS)).metadata.num_row_groups
        == 4
    )
    rows = [0, 9, 10, 12, 39, 40, full.height - 1]
    got = io.read_rows(tmp_path, schema.DEDUP_PARAGRAPHS, rows)
    assert got.equals(full[rows])
    assert io.read_rows(tmp_path, schema.DEDUP_PARAGRAPHS, [], ["article_id", "text"]).columns == [
        "article_id", "text"]


def test_batches_never_read_a_whole_text_table(raw_dir, tmp_path, monkeypatch):
    out = tmp_path / "out"
    for s in ("ingest", "clean", "dedup"):
        stages.run_stage(s, raw_dir, out)
    whole: list[str] = []
    real = io.read_table

    def spy(output, table, **kw):
        whole.append(table.relpath)
        return real(output, table, **kw)

    monkeypatch.setattr(io, "read_table", spy)
    for s in ("clean", "extract"):
        stages.run_batched(s, out, _local_map(out), batch_size=2)
    assert "dedup/paragraphs.parquet" not in whole
    # ingest/articles is read whole once, by clean's merge (finish_clean needs every article), not
    # per batch
    assert whole.count("ingest/articles.parquet") == 1
    assert pl.read_parquet(out / "extract" / "articles.parquet").height == 5
