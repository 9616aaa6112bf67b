"""Stage functions without Prefect: readers, reruns, --stage/--from, quarantine, dedup, dates."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

from tasks import io, schema, stages
from tasks.extract.dates import parse_datetime
from tests.conftest import run_all


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*.parquet"))}


def test_every_dataset_reads_in_polars_duckdb_pandas_and_pyarrow(sample_output):
    for table in schema.TABLES:
        path = sample_output / table.relpath
        assert path.exists(), table.relpath
        n = pl.read_parquet(path).height
        assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0] == n
        assert len(pd.read_parquet(path)) == n
        t = pq.read_table(path)
        assert t.num_rows == n and t.schema.names == list(table.columns)


def test_rerun_with_unchanged_input_rewrites_identical_data(raw_dir, tmp_path):
    out = tmp_path / "out"
    run_all(raw_dir, out)
    first = digest(out)
    run_all(raw_dir, out)
    assert digest(out) == first


def test_single_stage_rerun_reads_previous_parquet(raw_dir, tmp_path):
    out = tmp_path / "out"
    run_all(raw_dir, out)
    before = digest(out)
    (out / "extract" / "articles.parquet").unlink()
    stages.run_extract(out)
    assert digest(out) == before


def test_stage_without_its_input_says_which_stage_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="run the 'ingest' stage first"):
        stages.run_clean(tmp_path)


def test_resolve_stages():
    assert stages.resolve_stages() == ["ingest", "clean", "dedup", "extract"]
    assert stages.resolve_stages(stage="clean") == ["clean"]
    assert stages.resolve_stages(from_stage="dedup") == ["dedup", "extract"]
    with pytest.raises(ValueError, match="unknown stage"):
        stages.resolve_stages(stage="bogus")


def test_bad_input_is_quarantined_and_good_articles_still_come_out(raw_dir, tmp_path):
    (raw_dir / "empty.txt").write_bytes(b"")
    (raw_dir / "blank.txt").write_text("   \n\t\n")
    (raw_dir / "junk.txt").write_bytes(bytes(range(256)) * 40)
    (raw_dir / "broken.json").write_text("{not json")
    good = {
        "title": "Banjir Rendam Jakarta",
        "content": "JAKARTA, KOMPAS.com - Banjir merendam "
        "ratusan rumah di Jakarta Timur pada "
        "Senin pagi.",
        "url": "https://megapolitan.kompas.com/read/2024/01/01/banjir",
    }
    (raw_dir / "export.jsonl").write_text(
        json.dumps(good) + "\n{bad line\n" + json.dumps({"title": "x"}) + "\n"
    )
    (raw_dir / "notes.docx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out"
    run_all(raw_dir, out)
    q = pl.read_parquet(out / "quarantine" / "ingest.parquet")
    reasons = {(r["source_path"], r["reason"]) for r in q.to_dicts()}
    assert {
        ("empty.txt", "empty"),
        ("blank.txt", "empty"),
        ("junk.txt", "binary"),
        ("broken.json", "malformed_json"),
        ("export.jsonl", "malformed_json"),
        ("export.jsonl", "no_text_column"),
        ("notes.docx", "unsupported_format"),
    } <= reasons
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    assert arts.height == 6
    row = arts.filter(pl.col("source_path") == "export.jsonl").row(0, named=True)
    assert (
        row["outlet"] == "kompas.com"
        and row["dateline"] == "Jakarta"
        and row["title"] == "Banjir Rendam Jakarta"
    )


def test_csv_export_with_quoted_newlines_and_missing_columns(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scrape.csv").write_text(
        'title,source,date,time,content,url\n'
        '"Harga Beras Naik",merdeka.com,15 Oktober 2019,20:24,"Direktur Bulog mengaku '
        'bingung.\nStok di gudang melimpah.",https://www.merdeka.com/uang/a.html\n'
        '"Tanpa Isi",merdeka.com,15 Oktober 2019,20:25\n', encoding="utf-8")
    out = tmp_path / "out"
    run_all(raw, out)
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    assert arts.height == 1
    r = arts.row(0, named=True)
    assert r["outlet"] == "merdeka.com"
    assert r["published_at"] == datetime(2019, 10, 15, 13, 24, tzinfo=UTC)
    assert "Stok di gudang melimpah." in r["body"]
    q = pl.read_parquet(out / "quarantine" / "ingest.parquet")
    assert q.filter(pl.col("source_row") == 1)["reason"].to_list() == ["no_article_text"]


def test_rescrape_is_an_article_duplicate_and_repeats_inside_an_article_leave_the_body(
    raw_dir, tmp_path
):
    src = (raw_dir / "002_9bfb3a9635530b8a.txt").read_text()
    (raw_dir / "rescrape_002.txt").write_text("Header Situs Lain\n\n" + src + "\n\nIkuti kami di "
                                                                              "Instagram @situs")
    para = (
        "Pihak berwenang Ukraina mengatakan, serangan pesawat tak berawak Rusia pada hari Rabu "
        "telah merusak infrastruktur."
    )
    (raw_dir / "repeat.txt").write_text(f"Judul Berita Ulang\n\n{para}\n\nParagraf lain yang "
                                        f"berbeda isinya sama sekali.\n\n{para}")
    out = tmp_path / "out"
    run_all(raw_dir, out)
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    by = {r["source_path"]: r for r in arts.to_dicts()}
    assert by["rescrape_002.txt"]["duplicate_of"] == by["002_9bfb3a9635530b8a.txt"]["article_id"]
    assert by["002_9bfb3a9635530b8a.txt"]["duplicate_of"] is None
    assert by["repeat.txt"]["body"].count("Pihak berwenang Ukraina") == 1
    paras = pl.read_parquet(out / "dedup" / "paragraphs.parquet")
    within = paras.filter(pl.col("duplicate_scope") == "within_article")
    assert within.height >= 1 and not within["in_body"].any()


def test_near_duplicate_paragraph_with_light_edits_points_to_the_canonical(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    base = ("Kementerian Keuangan mencatat penerimaan pajak hingga akhir Agustus mencapai Rp 1.000 "
            "triliun atau tumbuh "
            "lima persen dibandingkan periode yang sama tahun lalu, didorong oleh setoran pajak "
            "penghasilan badan.")
    edited = base.replace("Rp 1.000 triliun", "Rp 1.012 triliun").replace(
        "didorong", "terutama didorong"
    )
    (raw / "a.txt").write_text("Penerimaan Pajak Naik\n\n5 September 2024 10:00 "
                               f"WIB\n\n{base}\n\nParagraf khas outlet A.")
    (raw / "b.txt").write_text("Pajak Tumbuh Lima Persen\n\n6 September 2024 09:00 "
                               f"WIB\n\n{edited}\n\nParagraf khas outlet B yang lain.")
    out = tmp_path / "out"
    run_all(raw, out)
    p = pl.read_parquet(out / "dedup" / "paragraphs.parquet").join(
        pl.read_parquet(out / "ingest" / "articles.parquet").select("article_id", "source_path"),
        on="article_id",
    )
    copy = p.filter(
        (pl.col("source_path") == "b.txt") & pl.col("text").str.starts_with("Kementerian")
    ).row(0, named=True)
    canon = p.filter(
        (pl.col("source_path") == "a.txt") & pl.col("text").str.starts_with("Kementerian")
    ).row(0, named=True)
    assert (
        copy["duplicate_of"] == canon["paragraph_id"] and copy["duplicate_scope"] == "cross_article"
    )
    assert 0.6 <= copy["similarity"] < 1.0
    assert canon["duplicate_of"] is None


def test_incremental_run_reuses_the_index(raw_dir, tmp_path, monkeypatch):
    from tasks.dedup import dedup as dedup_mod
    from tasks.text import norm_key

    out = tmp_path / "out"
    run_all(raw_dir, out)
    first = pl.read_parquet(out / "dedup" / "index" / "paragraph_signatures.parquet")
    (raw_dir / "new.txt").write_text(
        (raw_dir / "001_d570b8d179dc85b6.txt").read_text()
        + "\n\nTambahan baru yang cukup panjang untuk punya tanda tangan MinHash sendiri."
    )
    hashed: list[int] = []
    real_minhash = dedup_mod.minhash
    monkeypatch.setattr(
        dedup_mod, "minhash", lambda keys: hashed.append(len(keys)) or real_minhash(keys)
    )
    run_all(raw_dir, out)
    index = pl.read_parquet(out / "dedup" / "index" / "paragraph_signatures.parquet")
    clean = pl.read_parquet(out / "clean" / "paragraphs.parquet")
    new_id = pl.read_parquet(out / "ingest" / "articles.parquet").filter(
        pl.col("source_path") == "new.txt"
    )["article_id"][0]
    eligible = clean.filter(
        ~pl.col("is_boilerplate") & (pl.col("text").str.count_matches(r"\S+") >= 8)
    )
    hashes = pl.read_parquet(out / "dedup" / "paragraphs.parquet").join(
        eligible.select("paragraph_id"), on="paragraph_id"
    )
    # one per distinct body text of 8+ words
    assert set(index["norm_hash"]) == set(hashes["norm_hash"])
    assert index["norm_hash"].is_unique().all()
    assert set(first["norm_hash"]) < set(index["norm_hash"])
    old_texts = {norm_key(t) for t in eligible.filter(pl.col("article_id") != new_id)["text"]}
    new_texts = {
        norm_key(t) for t in eligible.filter(pl.col("article_id") == new_id)["text"]
    } - old_texts
    assert hashed == [len(new_texts)] == [1]  # only the one text never seen before was hashed
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    assert arts.filter(pl.col("source_path") == "new.txt")["duplicate_of"].is_not_null().all()


def test_writes_are_atomic_and_leave_no_temp_files(sample_output):
    assert not [
        p for p in sample_output.rglob("*") if p.name.startswith(".") and p.suffix == ".tmp"
    ]


def test_second_run_on_the_same_output_is_refused_with_a_clear_message(tmp_path):
    with io.run_lock(tmp_path):
        with pytest.raises(io.LockedError, match="another berita run"):
            with io.run_lock(tmp_path):
                pass


@pytest.mark.parametrize("text,iso", [
    ("20 Juni 2024 13:40", "2024-06-20T06:40:00+00:00"),
    ("Kamis, 20 Juni 2024 | 13.40 WITA", "2024-06-20T05:40:00+00:00"),
    ("19/09/2019 09:48 WIB", "2019-09-19T02:48:00+00:00"),
    ("Senin, 1 Januari 2024 08:00 WIT", "2023-12-31T23:00:00+00:00"),
    ("2019-09-18 00:00:00 13:08 WIB", "2019-09-18T06:08:00+00:00"),
    ("Mei 28, 2019", "2019-05-27T17:00:00+00:00"),
])
def test_indonesian_dates_convert_to_utc(text, iso):
    assert parse_datetime(text).isoformat() == iso


def test_event_date_in_body_is_not_the_publish_time(sample_output):
    arts = pl.read_parquet(sample_output / "extract" / "articles.parquet")
    row = arts.filter(pl.col("source_path") == "000_c0fe9f79e18d2f47.txt").row(0, named=True)
    assert "Rabu (19/6/2024)" in row["body"] and row["published_at"] is None
