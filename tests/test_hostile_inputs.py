"""A corpus of hostile inputs: each file is processed correctly or quarantined with a reason, and
every good article still comes out of the pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec used to make mojibake)
import polars as pl
import pytest

from tasks.ingest import ingest

from .conftest import SAMPLE, run_all

GOOD = (
    "Harga Cabai Naik Jelang Lebaran\n\n"
    "JAKARTA, KOMPAS.com - Harga cabai rawit di Pasar Induk Kramat Jati naik menjadi Rp 80.000 per "
    "kilogram.\n\n"
    "“Pasokan dari Jawa Tengah berkurang karena hujan,” kata pedagang bernama Slamet Riyadi.\n\n"
    "Baca juga: Harga Bawang Merah Turun di Pasar Senen\n\n"
    "Kementerian Perdagangan berjanji menggelar operasi pasar pekan depan."
)


def _good(n: int) -> str:
    """Distinct good articles (each a different market) so dedup does not merge them."""
    city = ["Bandung", "Medan", "Makassar", "Surabaya", "Padang", "Denpasar", "Manado", "Ambon"][n]
    return GOOD.replace("Kramat Jati", f"Kota {city}").replace("Rp 80.000", f"Rp {80 + n}.000")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> tuple[Path, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    root = tmp_path_factory.mktemp("hostile")
    raw = root / "raw"
    raw.mkdir()
    outside = root / "outside.txt"
    outside.write_text(_good(7), encoding="utf-8")
    (root / "outside_dir").mkdir()
    (root / "outside_dir" / "x.txt").write_text(_good(7), encoding="utf-8")

    (raw / "empty.txt").write_bytes(b"")
    (raw / "whitespace.txt").write_text(" \n\t\r\n  \u3000\n")
    (raw / "junk.bin.txt").write_bytes(os.urandom(4096))
    (raw / "nul.txt").write_bytes(b"Judul\x00\x00\x00" * 200)
    (raw / "utf16.txt").write_bytes(_good(0).encode("utf-16"))  # BOM + UTF-16LE
    (raw / "cp1252.txt").write_bytes(_good(1).replace("Slamet", "Slamét").encode("cp1252"))
    (raw / "mojibake.txt").write_text(
        _good(2).encode("utf-8").decode("sloppy-windows-1252"), encoding="utf-8"
    )
    (raw / "crlf.txt").write_bytes(_good(3).replace("\n", "\r\n").encode())
    (raw / "lone_cr.txt").write_bytes(_good(4).replace("\n", "\r").encode())
    (raw / "zero_width.txt").write_text(
        _good(5)
        .replace("Harga cabai", "Harga\u00a0cabai")
        .replace("Kementerian", "Kemen\u200bterian\u00ad"),
        encoding="utf-8",
    )
    # 50 MB: not an article; must be refused without reading it
    with open(raw / "huge.txt", "wb") as fh:
        block = (b"Lorem ipsum dolor sit amet berita panjang sekali. " * 20 + b"\n") * 1000
        for _ in range(50 * 1024 * 1024 // len(block) + 1):
            fh.write(block)
    (raw / "no_article.html").write_text(
        "<html><head><title>x</title><style>body{color:red}</style><script>var a = 1; function "
        "f(){return a}</script>"
        "</head><body><nav><a "
        "href='/'>Beranda</a></nav><script>document.write('iklan')</script></body></html>")
    good_lines = [
        json.dumps(
            {"title": f"Judul {i}", "content": _good(i), "url": f"https://news.example.id/{i}"}
        )
        for i in (1, 2)
    ]
    (raw / "mixed.jsonl").write_text(
        "\n".join([good_lines[0], "{broken", "[1, 2", good_lines[1], '"just a string"']) + "\n"
    )
    (raw / "quoted.csv").write_text(
        "title,content,url\n"
        f'"Judul CSV","{_good(7).replace(chr(34), chr(34) * 2)}",https://news.example.id/csv\n'
        '"Tanpa isi"\n', encoding="utf-8")
    dup = ("Gempa Guncang Sulawesi Tengah\n\nPALU, KOMPAS.com - Gempa bermagnitudo 5,2 mengguncang "
           "Kabupaten Sigi pada "
           "Selasa dini hari, menurut Badan Meteorologi, Klimatologi, dan Geofisika.\n\nWarga "
           "sempat berhamburan keluar "
           "rumah, tetapi belum ada laporan kerusakan bangunan maupun korban jiwa.")
    (raw / "dup_a.txt").write_text(dup, encoding="utf-8")
    (raw / "dup_b.txt").write_text(dup, encoding="utf-8")
    (raw / "only_boilerplate.txt").write_text(
        "Baca Juga: Harga Emas Hari Ini\n\nADVERTISEMENT\n\nSCROLL TO CONTINUE WITH CONTENT\n\n"
        "Silakan baca konten menarik lainnya dari Kompas di Google News\n\nEditor: Ana Ramadhani",
        encoding="utf-8",
    )
    sub = raw / "berita ekonomi – Jawa Barat"
    sub.mkdir()
    (sub / "harga cabai (ñ) 東京.txt").write_text(_good(6), encoding="utf-8")
    (raw / "link_outside.txt").symlink_to(outside)
    (raw / "dir_outside").symlink_to(root / "outside_dir", target_is_directory=True)
    (raw / "seed").mkdir()
    for p in SAMPLE.glob("*.txt"):
        (raw / "seed" / p.name).write_bytes(p.read_bytes())

    out = root / "out"
    run_all(raw, out)
    q = pl.read_parquet(out / "quarantine" / "ingest.parquet")
    arts = pl.read_parquet(out / "extract" / "articles.parquet")
    paras = pl.read_parquet(out / "dedup" / "paragraphs.parquet")
    return out, q, arts, paras


def _reason(q: pl.DataFrame, path: str) -> list[str]:
    return q.filter(pl.col("source_path") == path)["reason"].to_list()


@pytest.mark.parametrize("path,reason", [
    ("empty.txt", "empty"),
    ("whitespace.txt", "empty"),
    ("junk.bin.txt", "binary"),
    ("nul.txt", "binary"),
    ("huge.txt", "too_large"),
    ("no_article.html", "no_article_text"),
    ("link_outside.txt", "symlink_outside"),
    ("dir_outside", "symlink_dir"),
])
def test_bad_file_is_quarantined_with_its_reason(hostile, path, reason):
    _, q, arts, _ = hostile
    assert _reason(q, path) == [reason]
    assert arts.filter(pl.col("source_path") == path).is_empty()


def test_bad_rows_of_an_export_are_quarantined_with_their_line(hostile):
    _, q, arts, _ = hostile
    bad = q.filter(pl.col("source_path") == "mixed.jsonl").sort("source_row")
    assert bad["reason"].to_list() == ["malformed_json", "malformed_json", "malformed_row"]
    assert bad["detail"][0].startswith("line 2:") and bad["detail"][1].startswith("line 3:")
    assert sorted(arts.filter(pl.col("source_path") == "mixed.jsonl")["title"].to_list()) == [
        "Judul 1",
        "Judul 2",
    ]
    assert _reason(q, "quoted.csv") == ["no_article_text"]
    assert "Kota Ambon" in arts.filter(pl.col("source_path") == "quoted.csv")["body"][0]


@pytest.mark.parametrize(
    "path,city",
    [
        ("utf16.txt", "Bandung"),
        ("cp1252.txt", "Medan"),
        ("mojibake.txt", "Makassar"),
        ("crlf.txt", "Surabaya"),
        ("lone_cr.txt", "Padang"),
        ("zero_width.txt", "Denpasar"),
        ("berita ekonomi – Jawa Barat/harga cabai (ñ) 東京.txt", "Manado"),
    ],
)
def test_awkward_encodings_and_names_come_out_clean(hostile, path, city):
    _, _, arts, _ = hostile
    rows = arts.filter(pl.col("source_path") == path)
    assert rows.height == 1, path
    a = rows.row(0, named=True)
    assert a["title"] == "Harga Cabai Naik Jelang Lebaran"
    assert a["outlet"] == "kompas.com" and a["dateline"] == "Jakarta"
    assert f"Kota {city}" in a["body"]
    # curly quotes survive / are repaired
    assert "“Pasokan dari Jawa Tengah berkurang karena hujan,”" in a["body"]
    assert "Kementerian Perdagangan" in a["body"]
    assert "Baca juga" not in a["body"]
    for bad in ("\r", "\u200b", "\u00a0", "\u00ad", "â€", "\ufffd", "\x00"):
        assert bad not in a["body"], (path, repr(bad))
    # three body paragraphs: line structure survived CR / CRLF / UTF-16
    assert a["body"].count("\n\n") == 2


def test_cp1252_accents_are_decoded(hostile):
    _, _, arts, _ = hostile
    assert "Slamét Riyadi" in arts.filter(pl.col("source_path") == "cp1252.txt")["body"][0]


def test_duplicate_files_are_both_kept_and_the_second_points_to_the_first(hostile):
    _, _, arts, _ = hostile
    a = arts.filter(pl.col("source_path") == "dup_a.txt").row(0, named=True)
    b = arts.filter(pl.col("source_path") == "dup_b.txt").row(0, named=True)
    assert a["body"] == b["body"]
    assert {a["duplicate_of"], b["duplicate_of"]} - {None} <= {a["article_id"], b["article_id"]}
    assert (a["duplicate_of"] is None) != (b["duplicate_of"] is None)


def test_article_of_only_boilerplate_keeps_every_line_as_a_removed_row(hostile):
    _, _, arts, paras = hostile
    a = arts.filter(pl.col("source_path") == "only_boilerplate.txt").row(0, named=True)
    assert a["body"] == "" and a["word_count"] == 0
    rows = paras.filter(pl.col("article_id") == a["article_id"])
    assert (
        rows.height == 5
        and not rows["in_body"].any()
        and rows["boilerplate_rule"].is_not_null().all()
    )
    assert a["editors"] == ["Ana Ramadhani"]


def test_every_good_article_comes_out(hostile):
    _, q, arts, _ = hostile
    expected_files = {
        "utf16.txt",
        "cp1252.txt",
        "mojibake.txt",
        "crlf.txt",
        "lone_cr.txt",
        "zero_width.txt",
        "quoted.csv",
        "dup_a.txt",
        "dup_b.txt",
        "only_boilerplate.txt",
        "berita ekonomi – Jawa Barat/harga cabai (ñ) 東京.txt",
    } | {f"seed/{p.name}" for p in SAMPLE.glob("*.txt")}
    assert expected_files <= set(arts["source_path"].to_list())
    assert arts.filter(pl.col("source_path") == "mixed.jsonl").height == 2
    # nothing is both an article and quarantined as a whole file
    whole = set(q.filter(pl.col("source_row").is_null())["source_path"].to_list())
    assert not whole & set(arts["source_path"].to_list())


def test_huge_file_is_refused_without_being_read(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with open(p, "wb") as fh:
        fh.truncate(ingest.MAX_ARTICLE_BYTES + 1)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file over the limit"))
    res = ingest.read_file(p, "big.txt")
    assert [q.reason for q in res.quarantined] == ["too_large"] and not res.records


def test_export_row_with_an_oversized_text_is_quarantined_alone(tmp_path):
    rows = [
        {"content": "Isi berita biasa yang pendek."},
        {"content": "x" * (ingest.MAX_ARTICLE_CHARS + 1)},
    ]
    p = tmp_path / "e.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows))
    res = ingest.read_file(p, "e.jsonl")
    assert len(res.records) == 1 and [(q.source_row, q.reason) for q in res.quarantined] == [
        (1, "too_large")
    ]
