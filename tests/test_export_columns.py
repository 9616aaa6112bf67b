"""Export columns beyond text/url/title/date: authors, editors, category, tags mapped; every other
column kept verbatim in ingest/articles.extra; authors normalised through to extract."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tasks.extract.fields import column_people, header_fields
from tasks.ingest.columns import export_metadata, tag_list
from tasks.ingest.ingest import records_frame, records_from_rows


def ingest_rows(rows: list[dict[str, object]]):
    res = records_from_rows(iter(enumerate(rows)), "export.jsonl", "jsonl")
    return records_frame(res.records, None, datetime(2026, 1, 1, tzinfo=UTC))


def test_author_editor_category_tags_columns_are_mapped_and_the_rest_kept_in_extra() -> None:
    row = {
        "judul": "Harga Cabai Naik",
        "isi": "JAKARTA - Harga cabai naik.",
        "link": "https://x.com/a",
        "tanggal": "2019/09/10",
        "penulis": "Rina Wulandari - detikNews",
        "Redaktur": "Tim Redaksi",
        "kategori": "Ekonomi",
        "tags": "cabai, harga pangan",
        "jumlah_kata": "5",
        "views": "120",
    }
    df = ingest_rows([row])
    r = df.row(0, named=True)
    assert r["author_hint"] == "Rina Wulandari - detikNews"
    assert r["editor_hint"] == "Tim Redaksi"
    assert r["category_hint"] == "Ekonomi" and r["tags_hint"] == "cabai, harga pangan"
    assert json.loads(r["extra"]) == {"jumlah_kata": "5", "views": "120"}
    assert r["url"] == "https://x.com/a" and r["title_hint"] == "Harga Cabai Naik"


def test_nothing_of_the_row_is_lost() -> None:
    row = {
        "content": "Teks berita.",
        "text": "Teks kedua.",
        "author": "A B",
        "reporter": "C D",
        "x": "1",
    }
    meta = export_metadata(row, ["content"])
    kept = {**json.loads(meta["extra"]), "content": row["content"], "author": meta["author_hint"]}
    assert kept == row


def test_no_extra_columns_gives_null_extra() -> None:
    assert export_metadata({"content": "Teks."}, ["content"])["extra"] is None


def test_column_authors_are_normalised_and_follow_the_text_credits() -> None:
    f = header_fields([("Penulis: Dedi Kurniawan", "author_credit")], None, None, None, None)
    column_people(
        f,
        {
            "author_hint": "Dedi Kurniawan, Sari Dewi - detikNews",
            "editor_hint": "Tim detikcom",
            "category_hint": "Nasional",
            "tags_hint": "politik|pilkada",
        },
    )
    assert f["authors"] == ["Dedi Kurniawan", "Sari Dewi"]
    assert f["editors"] == []
    assert f["category"] == "Nasional" and f["tags"] == ["politik", "pilkada"]


def test_tag_list_shapes() -> None:
    assert tag_list('["a", "b"]') == ["a", "b"]
    assert tag_list("a; b ;c") == ["a", "b", "c"]
    assert tag_list(None) == []


def test_columns_named_with_a_field_word_are_mapped() -> None:
    meta = export_metadata(
        {
            "content": "Teks.",
            "author_name": "Oleh: Rina Wulandari",
            "article_editor": "Sari Dewi",
            "meta_keywords": "a, b",
            "views": "12",
        },
        ["content"],
    )
    assert meta["author_hint"] == "Oleh: Rina Wulandari" and meta["editor_hint"] == "Sari Dewi"
    assert meta["tags_hint"] == "a, b"
    assert json.loads(meta["extra"]) == {"views": "12"}
    f = header_fields([], None, None, None, None)
    column_people(f, meta)
    assert f["authors"] == ["Rina Wulandari"]


def test_date_columns_as_unix_timestamps_and_us_order() -> None:
    from tasks.extract.dates import parse_datetime

    assert parse_datetime("1568084700").isoformat() == "2019-09-10T03:05:00+00:00"
    assert parse_datetime("1568084700000") == parse_datetime("1568084700")
    assert parse_datetime("08/25/2015 10:30").strftime("%Y-%m-%d %H:%M") == "2015-08-25 03:30"


def test_a_json_list_of_tags_and_authors_is_read_as_a_list() -> None:
    meta = export_metadata(
        {
            "content": "Teks.",
            "tags": ["cabai", "harga"],
            "authors": ["Rina Wulandari", "Sari Dewi"],
        },
        ["content"],
    )
    assert tag_list(meta["tags_hint"]) == ["cabai", "harga"]
    f = header_fields([], None, None, None, None)
    column_people(f, meta)
    assert f["authors"] == ["Rina Wulandari", "Sari Dewi"]
