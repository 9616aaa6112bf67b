"""Sentence-level copies: wire text carried without paragraph breaks, partial copies whose lead or
ending was rewritten or whose paragraphs were redrawn, and the stock sentences that make no copy."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tasks.dedup.sentence_copies import (
    _held_twice,
    normalise,
    normalise_expr,
    sentence_copies,
    sentence_keys,
    sentences_expr,
    split_sentences,
)
from tests.test_article_copies import article, run

# a wire story of eight sentences, in four paragraphs of two
WIRE = [
    "Gempa bermagnitudo 5,8 mengguncang wilayah selatan Kabupaten Malang pada Sabtu dini hari "
    "sekitar pukul "
    "dua. Getarannya terasa hingga Kota Blitar, Lumajang dan sebagian wilayah Kabupaten Jember.",
    "Badan Meteorologi menyebut pusat gempa berada di laut pada kedalaman enam puluh kilometer "
    "dari permukaan. "
    "Gempa itu tidak berpotensi menimbulkan tsunami karena kekuatannya tidak cukup besar.",
    "Petugas penanggulangan bencana mencatat tujuh belas rumah warga rusak ringan di tiga "
    "kecamatan pesisir. "
    "Dua sekolah dasar di Kecamatan Sumbermanjing juga mengalami retak pada dinding kelasnya.",
    "Sejumlah warga sempat berlarian keluar rumah saat guncangan pertama terasa cukup kencang di "
    "desa mereka. "
    "Hingga siang hari belum ada laporan korban jiwa maupun warga yang harus dirawat di rumah "
    "sakit.",
]
LEAD_B = ("Warga pesisir selatan Malang dikejutkan guncangan keras menjelang subuh yang membuat "
          "mereka panik dan "
          "keluar rumah tanpa alas kaki.")
END_B = ("Pemerintah kabupaten berjanji mendata ulang kerusakan dan menyiapkan bantuan perbaikan "
         "rumah bagi warga "
         "yang terdampak pekan depan, kata seorang pejabat setempat.")
STOCK = (
    "Hal itu disampaikan oleh juru bicara kepolisian daerah kepada wartawan di Surabaya pada Senin "
    "siang."
)


def glued(paragraphs: list[str]) -> str:
    """An export that lost its breaks: paragraphs run together, the next one glued to the period."""
    return "".join(paragraphs)


def test_two_outlets_carrying_the_wire_text_without_breaks_are_a_partial_copy(tmp_path):
    a = article("Gempa 5,8 Guncang Malang", "14 September 2019 05:00 WIB", [glued(WIRE)])
    b = article("Gempa Malang, Warga Panik", "14 September 2019 09:00 WIB",
                [glued([LEAD_B, WIRE[1], WIRE[2], WIRE[3].split(". ")[0] + ". ", END_B])])
    by = run(tmp_path, {"a.txt": a, "b.txt": b})
    assert by["b.txt"]["duplicate_of"] == by["a.txt"]["article_id"]
    assert by["b.txt"]["copy_unit"] == "sentences"
    assert 0.5 <= by["b.txt"]["similarity"] <= 0.9
    assert by["a.txt"]["duplicate_of"] is None


def test_a_glued_export_copying_a_paragraphed_article_is_found_sentence_by_sentence(tmp_path):
    a = article("Gempa 5,8 Guncang Malang", "14 September 2019 05:00 WIB", WIRE)
    b = article("Gempa Guncang Malang Selatan", "14 September 2019 07:00 WIB", [glued(WIRE)])
    by = run(tmp_path, {"a.txt": a, "b.txt": b})
    assert by["b.txt"]["duplicate_of"] == by["a.txt"]["article_id"]
    assert by["b.txt"]["similarity"] >= 0.8


def test_two_articles_sharing_one_stock_sentence_are_not_copies(tmp_path):
    a = article("Polisi Tangkap Pengedar", "16 September 2019 10:00 WIB", [
        "Kepolisian daerah menangkap dua pengedar narkoba di sebuah rumah kos di kawasan Wonokromo "
        "pada Minggu "
        "malam. " + STOCK,
        "Dari tangan keduanya polisi menyita dua ratus gram sabu dan timbangan digital yang "
        "disembunyikan di "
        "lemari pakaian."])
    b = article("Razia Balap Liar", "17 September 2019 10:00 WIB", [
        "Ratusan sepeda motor terjaring razia balap liar di jalan raya Darmo pada akhir pekan lalu "
        "oleh petugas "
        "gabungan. " + STOCK,
        "Para pemilik kendaraan harus menunjukkan surat lengkap sebelum motornya dapat diambil "
        "kembali dari "
        "kantor polisi."])
    by = run(tmp_path, {"a.txt": glued(a.split("\n\n")[:2]) + "\n\n" + a.split("\n\n", 2)[2],
                        "b.txt": b})
    assert by["a.txt"]["duplicate_of"] is None and by["b.txt"]["duplicate_of"] is None


def test_same_event_articles_of_two_outlets_written_apart_are_not_copies(tmp_path):
    a = article("Gempa 5,8 Guncang Malang", "14 September 2019 05:00 WIB", [glued(WIRE)])
    b = article("Rumah Rusak Akibat Gempa Malang", "14 September 2019 10:00 WIB", [glued([
        "Tujuh belas rumah di pesisir Malang rusak setelah gempa yang terjadi menjelang subuh "
        "tadi. ",
        "Menurut petugas, kerusakan paling banyak berupa genteng yang runtuh dan dinding yang "
        "retak. ",
        "Warga Sumbermanjing memilih tidur di teras rumah karena khawatir ada gempa susulan malam "
        "ini. ",
        "Badan Meteorologi menyebut pusat gempa berada di laut pada kedalaman enam puluh kilometer "
        "dari "
        "permukaan. ",
        "Bantuan terpal dan makanan siap saji dikirim ke tiga kecamatan yang paling terdampak "
        "siang ini."])])
    by = run(tmp_path, {"a.txt": a, "b.txt": b})
    assert by["b.txt"]["duplicate_of"] is None


OWN_P = [
    "Kepala desa setempat mengatakan warga sudah kembali ke rumah masing-masing setelah guncangan "
    "mereda dan "
    "petugas memastikan bangunan sekolah aman untuk dipakai belajar pada hari Senin.",
    "Badan Meteorologi meminta masyarakat tetap tenang dan tidak mudah percaya kabar bohong "
    "tentang gempa "
    "susulan besar yang beredar lewat pesan berantai di media sosial sejak pagi.",
]


@pytest.mark.parametrize("case", ["rewritten_intro", "rewritten_ending", "both", "reordered"])
def test_partial_copies_with_a_rewritten_lead_or_ending_or_redrawn_paragraphs_are_copies(
    tmp_path, case
):
    split = [s for p in WIRE for s in split_sentences(p)]  # eight sentences
    paragraphs = {
        "rewritten_intro": [LEAD_B, WIRE[1], WIRE[2], WIRE[3]],
        "rewritten_ending": [WIRE[0], WIRE[1], WIRE[2], OWN_P[0]],
        "both": [LEAD_B, WIRE[1], WIRE[2], WIRE[3], OWN_P[0]],
        # redrawn: three sentences to a paragraph, and the story told in another order
        "reordered": [
            " ".join(split[4:7]),
            " ".join(split[0:3]),
            OWN_P[0],
            " ".join(split[7:8] + split[3:4]),
        ],
    }[case]
    a = article("Gempa 5,8 Guncang Malang", "14 September 2019 05:00 WIB", WIRE)
    b = article("Gempa Malang, Warga Panik", "14 September 2019 09:00 WIB", paragraphs)
    by = run(tmp_path, {"a.txt": a, "b.txt": b})
    assert by["b.txt"]["duplicate_of"] == by["a.txt"]["article_id"]
    assert 0.5 <= by["b.txt"]["similarity"] < 0.9


TEXTS = [
    "KOMPAS.com - Sebuah perusahaan Inggris, Intelligent Energy, mengklaim baterai 3,5 mm.Solusi "
    "itu diuji.",
    "Dr. Andi dan B. J. Habibie hadir di Jl. Sudirman No. 5 pukul 10.30 WIB. Mereka pulang pukul "
    "12.00.",
    'Ia berkata, "Kami siap." Lalu ia pergi.\u201cSekarang bisa,\u201d ujarnya. Apa? Ya! Harga Rp. '
    '5 juta.',
    "tidak ada titik di sini sama sekali",
    "Ékspor naik. Élan baru?Tidak. ...lalu. “Kutip.” (Foto: AFP)",
    "",
]


def test_the_vectorised_sentence_cut_equals_the_readable_one():
    fast = (
        pl.DataFrame({"t": TEXTS})
        .with_row_index()
        .with_columns(sentences_expr("t"))
        .explode("t")
        .group_by("index", maintain_order=True)
        .agg(normalise_expr(pl.col("t")))["t"]
        .to_list()
    )
    slow = [[normalise(s) for s in split_sentences(t)] for t in TEXTS]
    assert [[s for s in x if s] for x in fast] == [[s for s in x if s] for x in slow]


def test_sentence_keys_are_its_head_and_tail_each_with_half_its_words_and_short_sentences_skipped():
    text = pl.Series(["Satu dua tiga empat lima enam tujuh delapan sembilan. Pendek sekali.",
                      "Satu dua tiga empat lima enam tujuh delapan sembilan.",
                      "Satu dua tiga empat lima enam tujuh delapan sepuluh."])  # its end edited
    key, art = sentence_keys(np.array([0, 1, 2]), text)
    assert list(art) == [0, 0, 1, 1, 2, 2]  # the short sentence has no keys
    assert key[0] == key[2] and key[1] == key[3]  # the same words, wherever they stand
    assert key[4] == key[0] and key[5] != key[1]  # an edited end keeps the head's key
    assert [int(k & np.uint64(0xFF)) for k in key[:2]] == [4, 5]


@pytest.mark.parametrize("parts", [2, 8, 64])
def test_shared_sentences_found_slice_by_slice_equal_those_found_at_once(parts):
    rng = np.random.default_rng(7)
    # keys spread over the whole 64-bit space (as hashes are), a third of them held several times
    pool = rng.integers(0, 2**63, 3_000, dtype=np.int64).astype(np.uint64) * np.uint64(2)
    key = np.concatenate([pool, rng.choice(pool[:1_000], 4_000)])
    art = rng.integers(0, 500, len(key)).astype(np.int32)
    whole = _held_twice(key, art, parts=1)
    sliced = _held_twice(key, art, parts=parts)
    assert len(whole[0]) > 1_000  # some keys are shared by two articles
    for w, s in zip(whole, sliced, strict=True):
        np.testing.assert_array_equal(w, s)


def test_copies_decided_a_range_of_articles_at_a_time_equal_those_decided_at_once(monkeypatch):
    from tasks.dedup import article_copies as ac

    rng = np.random.default_rng(11)
    # 60 articles of 12 sentence keys: each retells one of 8 stories with 2-6 keys of its own
    pool = rng.integers(1, 2**55, 500, dtype=np.int64).astype(np.uint64) << np.uint64(8)
    pool |= np.uint64(10)  # ten words a key
    stories = pool[:96].reshape(8, 12)
    arts = []
    for _ in range(60):
        own = stories[rng.integers(8)].copy()
        swap = rng.choice(12, rng.integers(2, 7), replace=False)
        own[swap] = rng.choice(pool[96:], len(swap), replace=False)
        arts.append(own)
    key = np.concatenate(arts)
    art = np.repeat(np.arange(60, dtype=np.int32), 12)
    body_w = np.full(61, 120.0)
    at_once = sentence_copies(key, art, body_w, 60)
    monkeypatch.setattr(ac, "BATCH_HELD_ROWS", 7)
    batched = sentence_copies(key, art, body_w, 60)
    assert at_once.height > 5
    assert batched.equals(at_once)
