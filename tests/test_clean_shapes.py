"""Boilerplate shapes that leaked on scrapes of unseen outlets: related-link blocks, calls to action
as families, credits and captions. Each fixture is written for the shape, not copied from an
article."""

from __future__ import annotations

import polars as pl
import pytest

from tasks.clean.clean import is_related_headline, split_related
from tests.clean_fixture import BODY1, BODY2, BODY3, _body, _rules


@pytest.mark.parametrize(
    "prefix",
    [
        "Baca juga:",
        "Baca Juga",
        "Yuk baca juga:",
        "Simak berita lainnya:",
        "Pilihan editor:",
        "Artikel terkait",
        "Berita Terkait:",
        "BACA JUGA:",
    ],
)
def test_a_related_prefix_alone_on_its_line_takes_the_headline_after_it(prefix):
    text = f"{BODY1}\n{prefix}\nWarga Resah, Pencurian Motor Marak di Depok\n{BODY2}\n{BODY3}"
    assert _body(text) == [BODY1, BODY2, BODY3]
    assert ("related_headline", "Warga Resah, Pencurian Motor Marak di Depok") in _rules(text)


def test_a_related_list_takes_several_title_case_headlines_but_not_the_paragraph_after():
    text = (f"{BODY1}\nArtikel Terkait:\nInilah Daftar Harga BBM Terbaru\nJokowi Resmikan Tol "
            "Cisumdawu\n"
            "Harga cabai di pasar naik lagi pekan ini karena cuaca buruk di sentra "
            f"produksi\n{BODY2}")
    assert _body(text) == [BODY1, "Harga cabai di pasar naik lagi pekan ini karena cuaca buruk di "
                                  "sentra produksi",
                           BODY2]


def test_a_bare_related_prefix_with_no_headline_is_removed_and_the_next_paragraph_kept():
    assert _body(f"{BODY1}\nBaca Juga\n{BODY2}\n{BODY3}") == [BODY1, BODY2, BODY3]
    assert _body(f"{BODY1}\n{BODY2}\nBaca Juga") == [BODY1, BODY2]


@pytest.mark.parametrize("prefix", ["Yuk baca juga:", "Simak berita lainnya:", "Pilihan editor:"])
def test_a_related_prefix_glued_to_the_next_paragraph_cuts_only_the_headline(prefix):
    text = (
        f"{BODY1}\n{prefix} Jokowi Resmikan Tol Baru di Jawa Barat Petani mengeluh harga pupuk "
        f"naik.\n{BODY2}"
    )
    assert _body(text) == [BODY1, "Petani mengeluh harga pupuk naik.", BODY2]


def test_a_related_link_in_brackets_is_cut_with_its_brackets():
    text = (
        "Ia menolak berkomentar. (Baca: Pansel Libatkan Polri Telusuri Rekam Jejak)Pemeriksaan "
        "berlanjut besok."
    )
    assert split_related(text) == [("Ia menolak berkomentar.", None),
                                   ("(Baca: Pansel Libatkan Polri Telusuri Rekam Jejak)", "baca"),
                                   ("Pemeriksaan berlanjut besok.", None)]


def test_headline_shape():
    assert is_related_headline("Warga Resah, Pencurian Motor Marak di Depok", first=True)
    assert is_related_headline("Inter Milan kontak Madrid minta transfer pemain ini", first=True)
    assert not is_related_headline("Polisi menangkap dua pelaku di Depok.", first=True)
    assert not is_related_headline("harga cabai naik lagi", first=True)
    assert not is_related_headline(
        "Inter Milan kontak Madrid minta transfer pemain ini", first=False
    )


@pytest.mark.parametrize("cta", [
    "Ingin baca update berita terkini setiap hari? Yuk gabung ke saluran kami.",
    "Ikuti Whatsapp Channel Liputan6.com untuk update berita terbaru",
    "Klik di sini untuk bergabung dengan WhatsApp Channel Tribunnews.",
    "Baca berita lainnya di Google News",
    "Download aplikasi Kompas.com di Play Store sekarang juga.",
    "Jangan lupa subscribe kanal YouTube Kompas TV dan follow TikTok @kompastv",
    "Simak berita selengkapnya di halaman selanjutnya.",
    "Artikel ini telah tayang di Tribunnews.com dengan judul Polisi Tangkap Dua Pelaku Begal di "
    "Depok, "
    "https://www.tribunnews.com/metropolitan/2024/01/02/polisi-tangkap-dua-pelaku",
    "Foto: instagram.com/raisa6690",
])
def test_calls_to_action_and_credits_on_their_own_line_leave_the_body(cta):
    assert _body(f"{BODY1}\n{BODY2}\n{cta}\n{BODY3}") == [BODY1, BODY2, BODY3]


def test_a_channel_promo_split_over_lines_by_its_link_is_rebuilt_and_removed():
    text = (
        f"{BODY1}\n{BODY2}\nIkuti saluran WhatsApp\nKompas.com\nuntuk update berita "
        f"terbaru.\n{BODY3}"
    )
    assert _body(text) == [BODY1, BODY2, BODY3]


@pytest.mark.parametrize("tail", [
    "Ikuti Whatsapp Channel Liputan6.com",
    "Baca berita lainnya di Google News.",
    "Simak berita selengkapnya di halaman selanjutnya.",
    "Artikel ini telah tayang di Kompas.com dengan judul \"Polisi Tangkap Dua Pelaku Begal\".",
])
def test_a_promo_glued_to_the_end_of_the_last_paragraph_is_cut_off(tail):
    assert _body(f"{BODY1}\n{BODY2} {tail}") == [BODY1, BODY2]


def test_a_caption_with_a_credit_in_brackets_is_a_caption():
    rows = _rules(f"{BODY1}\nPenyanyi Raisa tampil di panggung utama. (credit: "
                  f"instagram.com/raisa6690)\n{BODY2}")
    assert rows[1][0] == "caption"


def test_body_sentences_that_mention_platforms_stay():
    lines = ["Video itu diunggah ke YouTube dan sudah ditonton satu juta kali.",
             "Pemerintah meminta warga mengunduh aplikasi PeduliLindungi.",
             "Ia ingin tahu mengapa harga cabai terus naik?"]
    assert _body("\n".join([BODY1, *lines])) == [BODY1, *lines]


def _corpus(lines_per_article: list[list[str]], outlet: str = "contoh.id") -> pl.DataFrame:
    from datetime import UTC, datetime

    from tasks.ingest.ingest import Record, records_frame

    recs = [
        Record(
            f"{outlet}/a{i}.txt",
            None,
            "txt",
            f"Judul Berita Nomor {i} Hari Ini\n" + "\n".join(lines),
            url=f"https://{outlet}/read/{i}",
        )
        for i, lines in enumerate(lines_per_article)
    ]
    return records_frame(recs, None, datetime(2024, 1, 1, tzinfo=UTC))


def test_a_promo_varying_by_a_number_in_a_few_articles_is_learnt_but_a_body_line_is_not():


    from tasks.clean.clean import clean_frame

    arts = []
    for i in range(200):
        body = [f"Paragraf pertama artikel {i} tentang peristiwa yang berbeda-beda di kota ke-{i}.",
                f"Paragraf kedua artikel {i} menjelaskan latar belakang kejadian itu secara rinci."]
        if i < 3:
            body.append(f"Dapatkan diskon {10 + 5 * i} persen dengan kode HEMAT{i} khusus pembaca "
                        "setia")
            body.append(f"Harga cabai rawit di pasar mencapai Rp {40 + i}.000 per kilogram")
        arts.append(body)
    paras = clean_frame(_corpus(arts))
    rule = dict(zip(paras["text"], paras["boilerplate_rule"], strict=True))
    assert (
        rule["Dapatkan diskon 10 persen dengan kode HEMAT0 khusus pembaca setia"]
        == "repeated_promo"
    )
    assert rule["Harga cabai rawit di pasar mencapai Rp 41.000 per kilogram"] is None
    assert paras.filter(pl.col("boilerplate_rule") == "repeated_promo").height == 3


def test_a_body_line_recurring_with_other_numbers_is_not_a_template():
    from tasks.clean.clean import clean_frame

    arts = [[f"Isi artikel {i} yang panjang dan tidak sama dengan artikel lain di situs ini.",
             f"Ikuti promo pembaca: {i} hadiah menanti", f"Babak pertama berakhir {i}-{i + 1} "
                                                         "untuk tuan rumah"]
            for i in range(40)]
    paras = clean_frame(_corpus(arts))
    rule = dict(zip(paras["text"], paras["boilerplate_rule"], strict=True))
    assert rule["Ikuti promo pembaca: 7 hadiah menanti"] == "repeated_in_outlet"
    assert (
        rule["Isi artikel 1 yang panjang dan tidak sama dengan artikel lain di situs ini."] is None
    )
    # the same shape, but no promo
    assert rule["Babak pertama berakhir 7-8 untuk tuan rumah"] is None


def test_a_tv_video_embed_title_left_at_the_end_is_cut_but_a_sentence_naming_a_channel_stays():
    assert _body(f"{BODY1} Kompas TV Polisi Tangkap Dua Pelaku Begal di Depok") == [BODY1]
    kept = f"{BODY1} Metro TV menayangkan debat itu pada malam hari"
    assert _body(kept) == [kept]


def test_slash_signoff_initials_after_a_table_or_score_are_a_signoff():
    rows = _rules(f"{BODY1}\nKartu Kuning 1 - 4 Kartu Merah 0 - 0 (bola/shd)")
    assert rows[-1] == ("signoff", "(bola/shd)")
    assert _body(f"{BODY1}\nSkor akhir laga itu 2-1 (babak pertama)") == [BODY1, "Skor akhir laga "
                                                                                 "itu 2-1 (babak "
                                                                                 "pertama)"]


def test_after_a_bare_prefix_whose_headline_the_scraper_dropped_the_next_paragraph_stays():
    for nxt in [
        "Kondisi tersebut membuat Messi kemungkinan kembali absen saat",
        "Jadi, mana yang menjadi favoritmu?",
        "Dubes Inggris menyebut Habibie sebagai sahabat Inggris. “Dia akan dirindukan.”",
        "Ranking: 8",
        "Deddy menambahkan, “Jadi orang persepsinya film itu diputar di sana",
    ]:
        assert nxt in _body(f"{BODY1}\nBaca juga:\n{nxt}\n{BODY2}"), nxt


def test_narrative_mentions_of_messaging_groups_are_body():
    lines = ["Undangan itu beredar melalui pesan berantai di WhatsApp grup warga Kota Tangerang "
             "Selatan.",
             "Johan Budi pamit dari whatsapp group wartawan kepresidenan yang juga berisikan "
             "sejumlah menteri.",
             "Sebelumnya, Karim Benzema sendiri sudah membantah kabar bahwa dirinya akan bergabung "
             "dengan Arsenal "
             "lewat Twitter pribadinya."]
    assert _body("\n".join([BODY1, *lines])) == [BODY1, *lines]


def test_a_sentence_ending_on_the_word_foto_is_no_caption():
    lines = ["Ia mengaku memiliki bukti berupa foto. Ini membuat nama aktor itu tercoreng di media "
             "sosial.",
             "Wartawan keliru jika melihat paripurna sebagai objek foto. Padahal ruang itu hanya "
             "untuk sidang."]
    assert _body("\n".join([BODY1, *lines])) == [BODY1, *lines]
    assert _rules(f"{BODY1}\nSuasana di Muaro Jambi. Foto: dok. Istimewa")[1][0] == "caption"


def test_a_channel_promo_of_several_sentences_split_by_its_link_is_removed_whole():
    text = (f"{BODY1}\nDapatkan update berita pilihan setiap hari dari Contoh.com. Mari bergabung "
            "di Grup "
            "Telegram \"Contoh.com Update\", caranya klik link\nhttps://t.me/contohupdate\n, "
            "kemudian join. "
            "Anda harus install aplikasi Telegram terlebih dulu.\nSimak berita pilihan kami di "
            "ponselmu. Pilih "
            f"saluran favoritmu di WhatsApp Channel: https://whatsapp.com/channel/abc\n{BODY2}")
    assert _body(text) == [BODY1, BODY2]


def test_a_bare_ad_marker_does_not_take_the_paragraph_after_it():
    assert _body(f"{BODY1}\nADVERTISEMENT\nkembali menuai kontroversi setelah unggahannya.") == [
        BODY1, "kembali menuai kontroversi setelah unggahannya."]
