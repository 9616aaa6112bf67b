"""Worker processes (tasks/parallel.py) give the same tables as the in-process run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import io, schema
from tasks.clean.clean import clean_frame
from tasks.extract.extract import extract
from tasks.ingest import ingest
from tasks.parallel import default_workers, map_chunks


def on_workers(fn, chunks):
    """The runner's map on two worker processes."""
    return map_chunks(fn, chunks, 2)


NOW = datetime(2024, 6, 20, 6, 40, tzinfo=UTC)


@pytest.fixture()
def corpus(raw_dir):
    """The sample plus a copy of one article (a story spanning chunks) and two more outlets'
    articles."""
    (raw_dir / "copy.txt").write_text((raw_dir / "001_d570b8d179dc85b6.txt").read_text())
    (raw_dir / "banjir.txt").write_text(
        "Banjir Rendam Ratusan Rumah di Bekasi\n\nBEKASI, KOMPAS.com - Banjir merendam ratusan "
        "rumah di Bekasi Timur "
        "setelah hujan deras sejak Minggu malam.\n\n“Air masuk ke rumah sejak pukul dua dini "
        "hari,” kata warga bernama Siti Aminah.")
    (raw_dir / "pasar.txt").write_text(
        "Harga Cabai Naik Jelang Lebaran\n\nSURABAYA, KOMPAS.com - Harga cabai rawit di Pasar "
        "Keputran naik menjadi "
        "Rp 80.000 per kilogram.\n\n“Pasokan dari petani berkurang karena hujan,” ujar pedagang "
        "bernama Slamet Riyadi.")
    return raw_dir


def test_two_workers_give_the_same_tables_as_one(corpus, tmp_path, monkeypatch):
    from tasks import stages

    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    one = ingest.ingest_dir(corpus, now=NOW)
    two = ingest.ingest_dir(corpus, now=NOW, map_chunks=on_workers)
    assert one[0].equals(two[0]) and one[1].equals(two[1])

    arts = one[0]
    serial = clean_frame(arts)
    assert clean_frame(arts, map_chunks=on_workers, chunk=2).equals(serial)

    out = tmp_path / "out"
    io.write_table(arts, out, schema.INGEST_ARTICLES)
    io.write_table(serial, out, schema.CLEAN_PARAGRAPHS)
    stages.run_dedup(out)
    p, a = io.read_table(out, schema.DEDUP_PARAGRAPHS), io.read_table(out, schema.DEDUP_ARTICLES)
    # a story with 2+ articles
    assert a["story_id"].drop_nulls().n_unique() < a["story_id"].drop_nulls().len()
    base = extract(p, a, arts)
    par = extract(p, a, arts, map_chunks=on_workers, chunk=2)
    assert all(x.equals(y) for x, y in zip(base, par, strict=True))
    assert base[1].height > 0

    # dedup on workers, in small batches, with the workers stopped during the grouping and restarted
    # after
    from tasks import parallel
    from tasks.dedup import dedup

    stopped = []
    monkeypatch.setattr(
        stages, "shutdown_workers", lambda: (stopped.append(1), parallel.shutdown())
    )
    monkeypatch.setattr(dedup, "BATCH_ROWS", 20)
    monkeypatch.setattr(dedup, "SIGN_CHUNK", 10)
    monkeypatch.setattr(dedup, "IDLE_WORKERS_ROWS", 1)
    # ... and the lead words parked in a work file
    monkeypatch.setattr(dedup, "TERMS_ON_DISK_ROWS", 1)
    # ... and the index written before the output pass
    monkeypatch.setattr(dedup, "BACKGROUND_INDEX_TEXTS", 0)
    on_disk = []
    monkeypatch.setattr(
        io.WorkTable,
        "read",
        lambda self, read=io.WorkTable.read: (on_disk.append(self.frames is None), read(self))[1],
    )
    out2 = tmp_path / "out2"
    io.write_table(arts, out2, schema.INGEST_ARTICLES)
    io.write_table(serial, out2, schema.CLEAN_PARAGRAPHS)
    stages.run_dedup(out2, workers=2)
    assert stopped == [1] and on_disk == [True]
    assert io.read_table(out2, schema.DEDUP_PARAGRAPHS).equals(p)
    assert io.read_table(out2, schema.DEDUP_ARTICLES).equals(a)
    index = io.read_table(out, schema.DEDUP_INDEX).sort("norm_hash")
    assert io.read_table(out2, schema.DEDUP_INDEX).sort("norm_hash").equals(index) and index.height


def test_a_surname_is_resolved_with_a_full_name_from_another_chunk_of_its_story():
    import polars as pl

    bodies = {
        "a1": ["“Pasokan berkurang karena hujan,” kata Slamet Riyadi, Ketua Asosiasi Pedagang "
               "Pasar."],
        "a2": ["Banjir merendam ratusan rumah di Bekasi Timur setelah hujan deras sejak Minggu "
               "malam."],
        "a3": ["“Harga cabai belum turun sampai hari ini,” kata Riyadi kepada wartawan."],
    }
    paragraphs = pl.DataFrame(
        [
            {
                "article_id": a,
                "paragraph_index": i,
                "text": t,
                "boilerplate_rule": None,
                "in_body": True,
            }
            for a, ts in bodies.items()
            for i, t in enumerate(ts)
        ]
    )
    articles = pl.DataFrame({"article_id": ["a1", "a2", "a3"], "duplicate_of": [None, None, None],
                             "story_id": ["a1", None, "a1"]})
    meta = pl.DataFrame(
        {
            "article_id": ["a1", "a2", "a3"],
            "source_path": ["x.csv"] * 3,
            "source_row": [0, 1, 2],
            "url": [None] * 3,
            "title_hint": ["Cabai", "Banjir", "Cabai lagi"],
            "published_hint": [None] * 3,
            "outlet_hint": [None] * 3,
        },
        schema_overrides={"url": pl.String, "published_hint": pl.String, "outlet_hint": pl.String},
    )
    whole = extract(paragraphs, articles, meta)
    split = extract(paragraphs, articles, meta, chunk=1)  # a1 and a3 in different chunks
    assert all(x.equals(y) for x, y in zip(whole, split, strict=True))
    q = split[1].filter(pl.col("article_id") == "a3")
    assert q["speaker"].to_list() == ["Slamet Riyadi"]


def test_workers_setting(monkeypatch):
    monkeypatch.setenv("BERITA_WORKERS", "3")
    assert default_workers() == 3
    monkeypatch.setenv("BERITA_WORKERS", "0")
    with pytest.raises(ValueError, match="BERITA_WORKERS"):
        default_workers()
    assert list(map_chunks(abs, [-1, -2], 1)) == [1, 2]



def _abs_in_parent_only(x: int) -> int:
    import multiprocessing
    import os

    if multiprocessing.parent_process() is not None:
        os._exit(3)  # a worker dies (as when killed for memory)
    return abs(x)


def test_dead_workers_fall_back_to_this_process(caplog):
    got = list(map_chunks(_abs_in_parent_only, [-1, -2, -3], 2))
    assert got == [1, 2, 3]
    assert "worker processes failed" in caplog.text
    assert list(map_chunks(abs, [-4, -5], 2)) == [4, 5]  # a fresh pool afterwards


class _PoolBreakingAtSubmit:
    """A pool whose workers die after two chunks: the third submit raises, as a real pool does once
    it has seen a worker die."""

    def __init__(self):
        self.submitted = 0

    def submit(self, fn, *args):
        from concurrent.futures import Future
        from concurrent.futures.process import BrokenProcessPool

        self.submitted += 1
        if self.submitted > 2:
            raise BrokenProcessPool("a child process terminated abruptly")
        done: Future = Future()
        done.set_exception(BrokenProcessPool("a child process terminated abruptly"))
        return done


def test_a_pool_breaking_at_submit_loses_no_chunk(monkeypatch, caplog):
    from tasks import parallel

    monkeypatch.setattr(parallel, "_pool", lambda workers: _PoolBreakingAtSubmit())
    monkeypatch.setattr(parallel._pool, "cache_clear", lambda: None, raising=False)
    got = list(parallel._on_workers(abs, iter([-1, -2, -3, -4, -5, -6]), 2))
    assert got == [1, 2, 3, 4, 5, 6]  # the chunk being submitted when the pool broke included
    assert "worker processes failed" in caplog.text
