"""Worker processes (tasks/parallel.py) give the same tables as the in-process run."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tasks import ingest, io, schema
from tasks.clean import clean_frame
from tasks.extract import extract, story_chunks
from tasks.parallel import default_workers, map_chunks

NOW = datetime(2024, 6, 20, 6, 40, tzinfo=UTC)


@pytest.fixture()
def corpus(raw_dir):
    """The sample plus a copy of one article (a story spanning chunks) and two more outlets' articles."""
    (raw_dir / "copy.txt").write_text((raw_dir / "001_d570b8d179dc85b6.txt").read_text())
    (raw_dir / "banjir.txt").write_text(
        "Banjir Rendam Ratusan Rumah di Bekasi\n\nBEKASI, KOMPAS.com - Banjir merendam ratusan rumah di Bekasi Timur "
        "setelah hujan deras sejak Minggu malam.\n\n“Air masuk ke rumah sejak pukul dua dini hari,” kata warga bernama Siti Aminah.")
    (raw_dir / "pasar.txt").write_text(
        "Harga Cabai Naik Jelang Lebaran\n\nSURABAYA, KOMPAS.com - Harga cabai rawit di Pasar Keputran naik menjadi "
        "Rp 80.000 per kilogram.\n\n“Pasokan dari petani berkurang karena hujan,” ujar pedagang bernama Slamet Riyadi.")
    return raw_dir


def test_two_workers_give_the_same_tables_as_one(corpus, tmp_path, monkeypatch):
    from tasks import stages

    monkeypatch.setattr(ingest, "PARALLEL_MIN_BYTES", 0)
    one = ingest.ingest_dir(corpus, now=NOW)
    two = ingest.ingest_dir(corpus, now=NOW, workers=2)
    assert one[0].equals(two[0]) and one[1].equals(two[1])

    arts = one[0]
    serial = clean_frame(arts)
    assert clean_frame(arts, workers=2, chunk=2).equals(serial)

    out = tmp_path / "out"
    io.write_table(arts, out, schema.INGEST_ARTICLES)
    io.write_table(serial, out, schema.CLEAN_PARAGRAPHS)
    stages.run_dedup(out)
    p, a = io.read_table(out, schema.DEDUP_PARAGRAPHS), io.read_table(out, schema.DEDUP_ARTICLES)
    assert a["story_id"].drop_nulls().n_unique() < a["story_id"].drop_nulls().len()  # a story with 2+ articles
    base = extract(p, a, arts)
    par = extract(p, a, arts, workers=2, chunk=2)
    assert all(x.equals(y) for x, y in zip(base, par, strict=True))
    assert base[1].height > 0


def test_story_chunks_keep_each_story_in_one_chunk():
    import polars as pl

    data = pl.DataFrame({"article_id": [f"a{i}" for i in range(7)],
                         "story_id": ["s1", None, "s1", "s2", None, "s2", "s1"]})
    chunks = story_chunks(data, 2)
    assert len(chunks) >= 2 and sum(c.height for c in chunks) == 7
    for s in ("s1", "s2"):
        assert sum(s in c["story_id"].to_list() for c in chunks) == 1


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
