"""Clean-stage rules on small real-looking lines."""

from __future__ import annotations

import pytest

from tasks.clean.clean import clean_article, headline_end, match_line_rule, split_related
from tasks.text import split_lines


@pytest.mark.parametrize("line,rule", [
    ("Baca juga konten menarik lainnya dari Kompas.com di Google News", "google_news"),
    ("Silakan baca konten menarik lainnya dari GenPI.co di Google News", "google_news"),
    ("Dapatkan update berita pilihan setiap hari dari Kompas.com di Telegram", "update_prompt"),
    ("ADVERTISEMENT", "advertisement"),
    ("SCROLL TO CONTINUE WITH CONTENT", "advertisement"),
    ("Redaktur: Irwina Istiqomah", "editor_credit"),
    ("Penulis: Budi Santoso", "author_credit"),
    ("Copyright © 2024 by GenPI.co", "copyright"),
    ("Halaman 2", "pagination"),
    ("Leave a Comment", "english_template"),
    ("BERITA TERKAIT", "related_heading"),
    ("oleh Zhao Fenghua dan Rong Yu", "byline_oleh"),
    ("(Foto: Antara/Hafidz Mubarak)", "photo_credit"),
])
def test_boilerplate_lines_match_their_named_rule(line, rule):
    assert match_line_rule(line) == rule


@pytest.mark.parametrize("line", [
    "Oleh karena itu, pemerintah akan menaikkan anggaran pendidikan tahun depan.",
    "“Kami tidak akan mundur,” kata Prabowo.",
    "Dia bersumpah mendukung penuh perang Rusia di Ukraina.",
    "Hak cipta lagu tersebut kini dipegang oleh label rekaman asal Korea Selatan.",
    "Sumber daya alam Indonesia sangat melimpah dan harus dikelola dengan baik.",
])
def test_real_body_sentences_are_not_boilerplate(line):
    assert match_line_rule(line) is None


def test_related_headline_run_into_a_paragraph_is_cut_and_rest_kept():
    text = (
        "Baca Juga: Ini Isi Surat Vladimir Putin untuk Kim Jong Un Sekretaris Jenderal NATO Jens "
        "Stoltenberg mengatakan bahwa pakta itu berbahaya."
    )
    pieces = split_related(text)
    assert pieces == [("Baca Juga: Ini Isi Surat Vladimir Putin untuk Kim Jong Un", "baca_juga"),
                      ("Sekretaris Jenderal NATO Jens Stoltenberg mengatakan bahwa pakta itu "
                       "berbahaya.", None)]


def test_related_link_in_the_middle_of_a_paragraph_splits_it():
    text = (
        "Tim berlatih di Senayan. Baca juga: Sidak Perdana, Menpora Dicurhati Pelatnas\"Ini "
        "stadion untuk olahraga,\" kata Bob."
    )
    pieces = split_related(text)
    assert pieces[0] == ("Tim berlatih di Senayan.", None)
    assert pieces[1] == ("Baca juga: Sidak Perdana, Menpora Dicurhati Pelatnas", "baca_juga")
    assert pieces[2][0].startswith("\"Ini stadion")


def test_lowercase_baca_juga_inside_a_sentence_is_body():
    assert split_related("Mereka baca juga buku itu kemarin.") == [("Mereka baca juga buku itu "
                                                                    "kemarin.", None)]


def test_headline_end_single_word_subject():
    rest = "Kim Jong Un Hadiahi Vladimir Putin Sepasang Anjing Kim menggemakan pernyataan Putin"
    assert (
        rest[: headline_end(rest)].strip() == "Kim Jong Un Hadiahi Vladimir Putin Sepasang Anjing"
    )


def test_dateline_moves_out_of_the_body():
    rows = clean_article("JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM mulai hari "
                         "ini.\nIni paragraf kedua yang panjang.")
    assert rows[0].rule == "city_comma_outlet" and rows[0].text == "JAKARTA, KOMPAS.com -"
    assert rows[1].is_body and rows[1].text.startswith("Pemerintah")


def test_signoff_initials_are_cut_from_the_last_paragraph():
    rows = clean_article("Judul Berita Hari Ini\n\nParagraf pertama cukup panjang untuk "
                         "body.\n\nParagraf terakhir selesai. (sin)")
    assert [r.rule for r in rows] == ["title", None, None, "signoff"]
    assert rows[-1].text == "(sin)"


def test_short_quote_paragraph_is_kept():
    rows = clean_article("Judul Berita Hari Ini\n\nParagraf pembuka yang panjang dan "
                         "jelas.\n\n“Tidak.”\n\nPenutup artikel ini.")
    assert "“Tidak.”" in [r.text for r in rows if r.is_body]


def test_comma_joined_scraper_text_is_split_into_paragraphs():
    text = ("- Perjalanan tim terus berlanjut hingga hari kedua.,Memasuki hari kedua, tim menuju "
            "Lumajang.,"
            "Persiapan dilakukan dengan matang oleh seluruh anggota tim ekspedisi yang ikut serta "
            "dalam perjalanan ini "
            "sejak awal pekan lalu.,Reporter: Kirom,Sumber: Merdeka.com")
    lines = [t for _, t in split_lines(text)]
    assert "Reporter: Kirom" in lines and "Sumber: Merdeka.com" in lines
    rows = clean_article(text)
    assert {r.rule for r in rows if not r.is_body} >= {
        "author_credit",
        "source_credit",
        "dash_residue",
    }


def test_every_line_is_accounted_for():
    text = (
        "samudrafakta.com\n\nJudul Panjang Sebuah Berita\n\nIsi pertama.\n\nBaca Juga: Judul "
        "Lain\n\nIsi kedua. (Ka)"
    )
    rows = clean_article(text)
    joined = " ".join(r.text for r in rows)
    for piece in (
        "samudrafakta.com",
        "Judul Panjang",
        "Isi pertama.",
        "Baca Juga: Judul Lain",
        "Isi kedua.",
        "(Ka)",
    ):
        assert piece in joined


def test_video_promo_appended_to_a_paragraph_is_cut_with_its_tags():
    text = ("Judul Berita Olahraga\n\nJakarta - Timnas menang 2-0 atas Malaysia di Stadion GBK.\n\n"
            '" ujar pelatih. Simak Video "Timnas Menang Lagi" [Gambas:Video 20detik] (mcy/rin) '
            'timnas sepak bola')
    rows = clean_article(text)
    body = [r.text for r in rows if r.is_body]
    assert body[-1] == '" ujar pelatih.'
    assert any(r.rule == "video_promo" and r.text.endswith("sepak bola") for r in rows)


def test_caption_with_a_glued_photo_credit_is_a_caption():
    rows = clean_article("Judul Berita\n\nIsi berita yang pertama cukup panjang.\n\nHasil Balapan "
                         "MotoGPFoto: dok. Internet")
    assert [r.rule for r in rows if "Foto:" in r.text] == ["glued_caption"]
    assert match_line_rule('Hasil Balapan MotoGPFoto: dok. Internet Simak Video "X" [Gambas:Video '
                           '20detik]') == "glued_caption"


def test_outlet_campaign_promo_paragraph_is_boilerplate_but_a_sentence_about_registering_is_not():
    promo = (
        "FIMELA ingin mengajakmu menjadi perempuan yang self love. Yuk, Grow Fearless bersama "
        "Fimela."
    )
    assert match_line_rule(promo) == "outlet_promo"
    assert (
        match_line_rule("Warga diminta mendaftarkan diri ke kelurahan paling lambat Senin.") is None
    )
