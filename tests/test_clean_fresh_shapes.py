"""Boilerplate shapes that the fresh held-out set (bench/fresh_eval) showed, and the caption shape
that leaked on the PBA set: each fixture is written for the shape, not copied from an article."""

from __future__ import annotations

import pytest

from tasks.clean.clean import LeadCaptionConfig, lead_caption, split_related
from tests.clean_fixture import BODY1, BODY2, BODY3, _body, _rules

# --- a run-in related headline ends where the paragraph glued on starts --------------------------

@pytest.mark.parametrize(
    "headline, glued",
    [
        (
            "Baca juga: Harga Cabai di Pasar Induk Naik Lagi",
            "Pedagang mengeluhkan sepinya pembeli.",
        ),
        (
            "Baca juga: Timnas U-19 Lolos ke Piala Asia 2020",
            "Pelatih memuji kerja keras para pemain.",
        ),
    ],
)
def test_a_related_headline_glued_to_the_next_sentence_without_a_space_ends_at_the_glue(
    headline, glued
):
    pieces = split_related(f"{headline}{glued}")
    assert pieces == [(headline, "baca_juga"), (glued, None)]


def test_a_related_headline_ends_at_the_wide_gap_a_lost_paragraph_break_left():
    text = (
        f"{BODY1}    Baca Juga:Banjir Rendam Ratusan Rumah di Bekasi    Di Kabupaten Bogor, warga "
        "mengungsi."
    )
    assert split_related(text)[1:] == [
        ("Baca Juga:Banjir Rendam Ratusan Rumah di Bekasi", "baca_juga"),
        ("Di Kabupaten Bogor, warga mengungsi.", None),
    ]


def test_a_video_promo_after_a_run_in_related_headline_is_cut_by_its_own_rule():
    text = (f"{BODY1} Baca juga: Polisi Buru Penadah Motor Curian Simak Video \"Detik-detik Maling "
            "Motor "
            "Tertangkap\" [Gambas:Video 20detik] (abc/def) pencurian motor depok")
    rules = _rules(text)
    assert ("baca_juga", "Baca juga: Polisi Buru Penadah Motor Curian") in rules
    assert [r for r, t in rules if t.startswith("Simak Video")] == ["video_promo"]
    assert _body(text) == [BODY1]


def test_a_camel_case_brand_inside_a_headline_does_not_end_it():
    assert split_related("Baca juga: Cara Pakai WhatsApp Web di Laptop Kantor") == [
        ("Baca juga: Cara Pakai WhatsApp Web di Laptop Kantor", "baca_juga")]


# --- list items are no copyright ------------------------------------------------------------------

def test_list_items_lettered_a_b_c_stay_body_and_a_real_copyright_line_goes():
    items = ["Nominasi aktris terbaik (a) Dewi dalam film Senja", "(b) Rina dalam film Fajar",
             "(c) Sari dalam film Malam", "(d) Tika dalam film Pagi."]
    assert _body("\n".join([BODY1, *items, BODY2])) == [BODY1, *items, BODY2]
    assert ("copyright", "(c) 2019 KOMPAS.com") in _rules(f"{BODY1}\n{BODY2}\n(c) 2019 KOMPAS.com")


# --- what a scraper leaves of embedded social comments --------------------------------------------

@pytest.mark.parametrize("left", ['" tulis akun. "', '“,” sindir akun.', "'' komentar akun. ''ujar "
                                                                         "akun.",
                                  '"," balas akun. "," sahut netizen.'])
def test_the_words_left_of_an_emptied_social_comment_embed_are_residue(left):
    text = f"{BODY1}\n{BODY2}\n{left}\n{BODY3}"
    assert _body(text) == [BODY1, BODY2, BODY3]
    assert ("embed_residue", left) in _rules(text)


def test_a_quote_attributed_to_an_account_stays_body():
    quote = '"Pelayanan di kantor ini sangat lambat," tulis akun.'
    assert _body(f"{BODY1}\n{quote}\n{BODY2}") == [BODY1, quote, BODY2]


# --- closing taglines and credits glued to the last paragraph ------------------------------------

def test_a_closing_campaign_hashtag_glued_to_the_last_paragraph_is_cut():
    last = "Sajikan selagi hangat. Selamat mencoba!"
    rules = _rules(f"{BODY1}\n{last},#MasakBareng with DAPURKU")
    assert (None, last + ",") in rules or (None, last) in rules
    assert ("tagline_tail", "#MasakBareng with DAPURKU") in rules


def test_a_closing_slash_credit_after_a_wide_gap_is_cut_but_a_slash_inside_a_sentence_stays():
    text = f"{BODY1}    {BODY2}      Andi Wijaya/Budi Santoso/Jawa Tengah"
    assert ("slash_credit_tail", "Andi Wijaya/Budi Santoso/Jawa Tengah") in _rules(text)
    price = f"{BODY1} Harga beras naik menjadi Rp 12.000/kg di Pasar Senen."
    assert _body(price) == [price]


# --- the caption of a top image, told by its layout -----------------------------------------------

CAPTION = "Gedung sekolah yang rusak diterjang angin puting beliung pada Rabu sore."
GAP, PARA = " " * 40, " " * 12


def test_an_opening_caption_set_apart_by_a_much_wider_gap_is_removed():
    text = CAPTION + GAP + PARA.join([BODY1, BODY2, BODY3])
    assert lead_caption(text) == len(CAPTION) + len(GAP)
    assert ("lead_caption", CAPTION) in _rules(text)
    assert CAPTION not in " ".join(_body(text))
    assert BODY1 in " ".join(_body(text)) and BODY3 in " ".join(_body(text))


@pytest.mark.parametrize("text", [
    # every gap alike: the first segment is the lead
    CAPTION + PARA + PARA.join([BODY1, BODY2, BODY3]),
    CAPTION + GAP + BODY1 + GAP + BODY2,  # other gaps as wide: no image block to tell apart
    " ".join([CAPTION] * 5) + GAP + PARA.join([BODY1, BODY2]),  # too long for a caption
    CAPTION + GAP + BODY1,  # too little text after it
])
def test_an_opening_segment_is_no_caption_without_the_wider_gap_shape(text):
    assert lead_caption(text) == 0
    assert CAPTION in " ".join(_body(text))


def test_the_lead_caption_thresholds_are_a_frozen_config():
    cfg = LeadCaptionConfig()
    with pytest.raises(AttributeError):
        cfg.min_gap = 1  # type: ignore[misc]
    assert lead_caption(
        CAPTION + " " * 25 + PARA.join([BODY1, BODY2, BODY3]), LeadCaptionConfig(min_gap=20)
    )


# --- a call to action learnt from a few articles, with names and links varying
# ----------------------

def _corpus(lines_per_article: list[list[str]], outlet: str = "contoh.id"):
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


CLUBS = ["Persib", "Persija Jakarta", "Arema", "PSM Makassar", "Bali United"]
SITES = ["bobotoh.id", "t.me/jakmania", "https://wa.me/aremania", "www.juku.net", "semeton.com"]


def test_a_promo_varying_by_a_name_and_a_link_in_four_articles_is_learnt_but_body_lines_are_not():
    from tasks.clean.clean import clean_frame

    arts = []
    for i in range(200):
        body = [f"Paragraf pertama artikel {i} tentang peristiwa yang berbeda-beda di kota ke-{i}.",
                f"Paragraf kedua artikel {i} menjelaskan latar belakang kejadian itu secara rinci."]
        if i < 4:
            body.append(f"Dapatkan tiket laga {CLUBS[i]} lebih murah hanya lewat {SITES[i]}")
            body.append(f"Pelatih {CLUBS[i]} memuji penampilan pemain muda di laga itu")
        arts.append(body)
    paras = clean_frame(_corpus(arts))
    rule = dict(zip(paras["text"], paras["boilerplate_rule"], strict=True))
    for i in range(4):  # below repeated_in_outlet's 5 articles; verbatim, each line occurs once
        assert (
            rule[f"Dapatkan tiket laga {CLUBS[i]} lebih murah hanya lewat {SITES[i]}"]
            == "repeated_promo"
        )
        # no call to action
        assert rule[f"Pelatih {CLUBS[i]} memuji penampilan pemain muda di laga itu"] is None


def test_title_case_calls_to_action_are_not_one_shape():
    import polars as pl

    from tasks.clean.fast import promo_shape_expr

    lines = ["Dapatkan Promo Spesial Hari Ini", "Ikuti Kuis Berhadiah Jutaan Rupiah",
             "Ikuti kabar Persib terbaru di saluran bobotoh.id", "Ikuti kabar Arema terbaru di "
                                                                 "saluran t.me/arema"]
    shapes = pl.DataFrame({"t": lines}).select(promo_shape_expr(pl.col("t"))).to_series().to_list()
    # names only: learnt by their digit shape, never as one template
    assert shapes[:2] == [None, None]
    assert shapes[2] == shapes[3] == "x kabar x terbaru di saluran u"
