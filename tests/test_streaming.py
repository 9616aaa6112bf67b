"""Stages stream their tables in batches (bounded memory on any corpus); the pieces that make that
possible."""

from __future__ import annotations

import random

import numpy as np
import polars as pl
import pytest

from tasks import io, schema, stages
from tasks.clean import clean
from tasks.clean import stage as clean_stage
from tasks.dedup import dedup
from tasks.dedup import stage as dedup_stage
from tasks.extract import extract


def _union_find_roots(n: int, edges: list[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


@pytest.mark.parametrize("seed", range(5))
def test_components_label_every_node_with_the_smallest_node_of_its_component(seed):
    rng = random.Random(seed)
    n = rng.randint(1, 300)
    edges = [(rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(0, 2 * n))]
    a = np.array([e[0] for e in edges], np.int64)
    b = np.array([e[1] for e in edges], np.int64)
    assert dedup.components(n, a, b).tolist() == _union_find_roots(n, edges)


def test_whole_articles_never_splits_an_article_between_batches():
    ids = [f"a{i}" for i, k in enumerate([3, 1, 5, 2, 4]) for _ in range(k)]
    df = pl.DataFrame({"article_id": ids, "x": range(len(ids))})
    batches = list(dedup.whole_articles(df.slice(lo, 4) for lo in range(0, df.height, 4)))
    assert pl.concat(batches).equals(df)
    seen: set[str] = set()
    for b in batches:
        here = set(b["article_id"])
        assert not here & seen
        seen |= here


def test_table_writer_keeps_the_previous_table_when_the_stage_fails(tmp_path):
    q = schema.QUARANTINE
    io.write_table(pl.DataFrame({"source_path": ["old.txt"], "reason": ["empty"]}), tmp_path, q)
    with pytest.raises(RuntimeError), io.TableWriter(tmp_path, q) as w:
        w.write(pl.DataFrame({"source_path": ["new.txt"], "reason": ["binary"]}))
        raise RuntimeError("killed mid-stage")
    assert io.read_table(tmp_path, q)["source_path"].to_list() == ["old.txt"]
    assert not [p for p in tmp_path.rglob("*.tmp")]
    with io.TableWriter(tmp_path, q) as w:
        for i in range(5):
            w.write(
                pl.DataFrame(
                    {"source_path": [f"{i}.txt", f"{i}b.txt"], "reason": ["empty", "binary"]}
                )
            )
    back = list(io.iter_table(tmp_path, q, ["source_path"], batch_rows=3))
    assert pl.concat(back)["source_path"].to_list() == [
        f"{i}{s}.txt" for i in range(5) for s in ("", "b")
    ]
    assert io.values_at(tmp_path, q, "source_path", np.array([7, 0, 3])) == [
        "3b.txt",
        "0.txt",
        "1b.txt",
    ]


def test_streamed_stages_in_small_batches_equal_the_in_memory_functions(
    raw_dir, tmp_path, monkeypatch
):
    (raw_dir / "copy.txt").write_text((raw_dir / "001_d570b8d179dc85b6.txt").read_text())
    monkeypatch.setattr(clean, "CHUNK_ARTICLES", 2)
    monkeypatch.setattr(dedup, "BATCH_ROWS", 7)
    monkeypatch.setattr(extract, "CHUNK_ARTICLES", 2)
    out = tmp_path / "out"
    for s in stages.resolve_stages():
        stages.run_stage(s, raw_dir, out)
    arts = io.read_table(out, schema.INGEST_ARTICLES)
    paragraphs = io.read_table(out, schema.CLEAN_PARAGRAPHS)
    assert paragraphs.equals(clean.clean_frame(arts))
    p, a, index, _ = dedup.dedup(paragraphs, arts)
    assert io.read_table(out, schema.DEDUP_PARAGRAPHS).equals(p)
    assert io.read_table(out, schema.DEDUP_ARTICLES).equals(a)
    # a story of 2+ articles
    assert a["story_id"].drop_nulls().n_unique() < a["story_id"].drop_nulls().len()
    written = io.read_table(out, schema.DEDUP_INDEX)
    assert written.select("norm_hash", "sig").sort("norm_hash").equals(index.sort("norm_hash"))
    for got, want in zip(
        (
            io.read_table(out, t)
            for t in (schema.EXTRACT_ARTICLES, schema.EXTRACT_QUOTES, schema.EXTRACT_ENTITIES)
        ),
        extract.extract(p, a, arts),
        strict=True,
    ):
        assert got.equals(want)


def test_extract_refuses_dedup_paragraphs_out_of_source_order(sample_output, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(sample_output, out)
    p = io.read_table(out, schema.DEDUP_PARAGRAPHS)
    io.write_table(
        p.sort("article_id", "paragraph_index", descending=True), out, schema.DEDUP_PARAGRAPHS
    )
    with pytest.raises(io.DatasetError, match="run --from dedup"):
        stages.run_extract(out)


def test_dedup_reads_the_index_signatures_streamed_and_rebuilds_a_damaged_index(
    raw_dir, tmp_path, caplog
):
    out = tmp_path / "out"
    for s in ("ingest", "clean", "dedup"):
        stages.run_stage(s, raw_dir, out)
    fresh = [
        io.read_table(out, t)
        for t in (schema.DEDUP_PARAGRAPHS, schema.DEDUP_ARTICLES, schema.DEDUP_INDEX)
    ]
    index = dedup_stage.read_index(out)
    # only the hashes are held until the signatures are needed
    assert index is not None and index.sig is None
    stages.run_dedup(out)  # every signature now comes from the index
    again = [
        io.read_table(out, t)
        for t in (schema.DEDUP_PARAGRAPHS, schema.DEDUP_ARTICLES, schema.DEDUP_INDEX)
    ]
    assert again[0].equals(fresh[0]) and again[1].equals(fresh[1])
    assert again[2].sort("norm_hash").equals(fresh[2].sort("norm_hash"))
    damaged = fresh[2].with_columns(
        pl.when(pl.int_range(pl.len()) == 0).then(None).otherwise(pl.col("sig")).alias("sig")
    )
    io.write_table(damaged, out, schema.DEDUP_INDEX)
    # a damage its checksum does not catch (issue 27 added the checksum):
    from tasks import manifest

    dedup_stage.index_checksum_path(out).write_text(
        manifest.file_digest(io.table_path(out, schema.DEDUP_INDEX))
    )
    stages.run_dedup(out)
    assert "missing from the dedup index" in caplog.text
    assert io.read_table(out, schema.DEDUP_PARAGRAPHS).equals(fresh[0])
    assert (
        io.read_table(out, schema.DEDUP_INDEX).sort("norm_hash").equals(fresh[2].sort("norm_hash"))
    )


def test_clean_rows_parked_in_memory_or_in_a_work_file_give_the_same_table(
    raw_dir, tmp_path, monkeypatch
):
    parked = []
    monkeypatch.setattr(
        io.WorkTable,
        "read",
        lambda self, read=io.WorkTable.read: (parked.append(self.frames is None), read(self))[1],
    )
    mem, disk = tmp_path / "mem", tmp_path / "disk"
    for out in (mem, disk):
        stages.run_ingest(raw_dir, out)
    stages.run_clean(mem)
    monkeypatch.setattr(clean_stage, "WORK_ON_DISK_ARTICLES", 0)
    stages.run_clean(disk)
    assert parked == [False, True]  # small corpus in memory; the big-corpus path in a file
    assert io.read_table(disk, schema.CLEAN_PARAGRAPHS).equals(
        io.read_table(mem, schema.CLEAN_PARAGRAPHS)
    )
    assert not list((disk / ".work").glob("*.parquet")) and not list(
        (mem / ".work").glob("*.parquet")
    )
