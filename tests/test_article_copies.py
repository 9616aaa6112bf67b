"""Article copies: byte-identical copies, partial copies with a rewritten lead or ending, glued
exports."""

from __future__ import annotations

import polars as pl

from tests.conftest import run_all

P = [
    "Kementerian Perhubungan menutup sementara Bandara Sultan Syarif Kasim II Pekanbaru pada Senin "
    "pagi karena "
    "jarak pandang di landasan pacu turun hingga tiga ratus meter akibat kabut asap kebakaran "
    "lahan.",
    "Sebanyak empat puluh dua penerbangan dari dan menuju Pekanbaru dibatalkan, sementara sebelas "
    "penerbangan "
    "lain dialihkan ke Bandara Hang Nadim Batam dan Bandara Kualanamu Deli Serdang sejak pukul "
    "enam.",
    "Kepala Otoritas Bandara Wilayah Enam mengatakan penumpang yang penerbangannya dibatalkan "
    "dapat meminta "
    "pengembalian dana penuh atau menjadwalkan ulang perjalanan tanpa biaya tambahan di loket "
    "maskapai.",
    "Badan Meteorologi memperkirakan kabut asap masih menyelimuti Riau hingga akhir pekan karena "
    "titik panas di "
    "Kabupaten Pelalawan dan Indragiri Hilir bertambah menjadi hampir tiga ratus titik dalam "
    "sehari.",
    "Pemerintah provinsi meminta warga mengurangi kegiatan di luar rumah, membagikan masker di dua "
    "puluh titik "
    "dan membuka posko kesehatan di setiap kecamatan yang terpapar asap paling tebal pekan ini.",
]
OTHER = ("Di tempat lain, seorang warga Dumai bercerita bahwa antrean di puskesmas kecamatan sudah "
         "mengular sejak "
         "subuh karena banyak anak mengalami batuk dan sesak napas setelah tiga hari menghirup "
         "asap.")


def article(title: str, when: str, paragraphs: list[str]) -> str:
    return "\n\n".join([title, when, *paragraphs])


def run(tmp_path, files: dict[str, str]) -> dict[str, dict]:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, text in files.items():
        (raw / name).write_text(text)
    out = tmp_path / "out"
    run_all(raw, out)
    arts = pl.read_parquet(out / "dedup" / "articles.parquet").join(
        pl.read_parquet(out / "ingest" / "articles.parquet").select("article_id", "source_path"),
        on="article_id",
    )
    return {r["source_path"]: r for r in arts.to_dicts()}


def test_a_byte_identical_copy_is_a_duplicate_even_when_its_original_shares_a_paragraph_elsewhere(
    tmp_path,
):
    original = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P[:3])
    # earlier
    third = article("Kabut Asap Riau Makin Pekat", "15 September 2019 08:00 WIB", [P[0], OTHER])
    by = run(
        tmp_path,
        {
            "a_original.txt": original,
            "b_copy.txt": original.replace("09:00", "11:00"),
            "c_third.txt": third,
        },
    )
    assert by["b_copy.txt"]["duplicate_of"] == by["a_original.txt"]["article_id"]
    assert by["a_original.txt"]["duplicate_of"] is None
    assert by["c_third.txt"]["duplicate_of"] is None


def test_a_copy_with_a_rewritten_lead_and_ending_is_a_partial_copy_with_its_contained_share(
    tmp_path,
):
    original = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P)
    rewritten = article("Kabut Asap, 42 Penerbangan Batal", "16 September 2019 13:00 WIB",
                        ["Kabut asap tebal kembali melumpuhkan penerbangan di Riau, Senin, untuk "
                         "ketiga kalinya "
                         "pekan ini menurut keterangan otoritas bandara setempat kepada wartawan.",
                         *P[1:4], OTHER])
    by = run(tmp_path, {"a.txt": original, "b.txt": rewritten})
    b = by["b.txt"]
    assert b["duplicate_of"] == by["a.txt"]["article_id"]
    assert 0.5 <= b["similarity"] < 0.8  # the share of b's body words found in a
    assert by["a.txt"]["duplicate_of"] is None


def test_articles_sharing_one_quoted_paragraph_are_not_copies(tmp_path):
    a = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P[:4])
    b = article("Warga Dumai Antre di Puskesmas", "16 September 2019 12:00 WIB", [OTHER, P[4], P[2],
                "Dinas Kesehatan Dumai menambah jam layanan puskesmas hingga malam hari dan "
                "menyiapkan ruang "
                "oksigen bagi balita dan lansia yang mengalami gangguan pernapasan sejak akhir "
                "pekan lalu."])
    by = run(tmp_path, {"a.txt": a, "b.txt": b})
    assert by["a.txt"]["duplicate_of"] is None and by["b.txt"]["duplicate_of"] is None


MORE = [
    "Gubernur Riau meninjau posko kesehatan di Kecamatan Rumbai pada Senin sore dan meminta bupati "
    "mengerahkan mobil tangki air untuk membasahi lahan gambut yang masih membara di pinggir kota.",
    "Satuan tugas gabungan mengerahkan tiga helikopter pengebom air dan delapan ratus personel "
    "untuk memadamkan api di lahan konsesi seluas dua ribu hektare di Kabupaten Pelalawan "
    "sejak Minggu.",
    "Polda Riau menetapkan sembilan tersangka pembakaran lahan, dua di antaranya pengurus koperasi "
    "perkebunan sawit yang diduga menyuruh pekerjanya membuka lahan dengan cara membakar semak.",
    "Dinas Pendidikan meliburkan sekolah dasar dan menengah di Pekanbaru selama tiga hari setelah "
    "indeks standar pencemar udara menembus angka tiga ratus atau masuk kategori berbahaya bagi "
    "anak.",
]


def test_a_later_article_holding_an_earlier_one_whole_with_more_added_expands_that_earlier_one(
    tmp_path,
):
    brief = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P[:3])
    expanded = article("Riau Darurat Asap", "16 September 2019 15:00 WIB",
                       ["Kabut asap tebal kembali melumpuhkan Riau pada Senin, ketika bandara "
                        "ditutup dan sekolah diliburkan menurut keterangan pemerintah provinsi.",
                        *P[:3], *MORE[:3]])
    by = run(tmp_path, {"a.txt": brief, "b.txt": expanded})
    b = by["b.txt"]
    assert b["duplicate_of"] == by["a.txt"]["article_id"]
    assert b["copy_direction"] == "expands_earlier"
    assert b["similarity"] >= 0.8  # the share of a's body words found in b
    assert by["a.txt"]["duplicate_of"] is None


def test_a_follow_up_story_recalling_an_earlier_brief_as_background_is_no_copy(tmp_path):
    brief = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P[:2])
    follow_up = article("Riau Darurat Asap", "17 September 2019 15:00 WIB",
                        [*MORE, OTHER, P[2], *P[:2]])
    by = run(tmp_path, {"a.txt": brief, "b.txt": follow_up})
    assert by["b.txt"]["duplicate_of"] is None


def test_a_one_paragraph_brief_quoted_inside_a_long_later_article_makes_no_copy(tmp_path):
    brief = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P[:1])
    long = article("Riau Darurat Asap", "16 September 2019 15:00 WIB", [P[0], *MORE, OTHER])
    by = run(tmp_path, {"a.txt": brief, "b.txt": long})
    assert by["b.txt"]["duplicate_of"] is None


def test_a_rewritten_copy_is_marked_a_copy_of_the_earlier_article(tmp_path):
    original = article("Bandara Pekanbaru Ditutup", "16 September 2019 09:00 WIB", P)
    copy = article("Kabut Asap, 42 Penerbangan Batal", "16 September 2019 13:00 WIB",
                   [*P[:4], OTHER])
    by = run(tmp_path, {"a.txt": original, "b.txt": copy})
    assert by["b.txt"]["copy_direction"] == "copy_of_earlier"
    assert by["a.txt"]["copy_direction"] is None
