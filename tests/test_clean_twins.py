"""clean's fast twins (tasks/clean/fast.py: vectorised line rules, squash rules, caption flags,
clean_articles) equal the plain rules (tasks/clean/clean.py), on a line each rule matches, on real
lines and articles and on random text.
"""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.clean_eval.score import load_gold
from tasks.clean.clean import _CAPTION, article_lines, clean_article, label_rows, match_line_rule
from tasks.clean.fast import clean_articles, line_rule_column, prepare_lines, squash_expr
from tasks.text import split_lines, squash


def _real_lines() -> list[str]:
    return [ln for a in load_gold() for u in a["units"] for _, ln in split_lines(u)]


# a line each rule matches (first in file order), and body sentences that none match
RULE_EXAMPLES = {
    "site_name": "kompas.com",
    "embed_residue": '" tulis akun. "',
    "related_heading": "BERITA TERKAIT",
    "related_single": "Terpopuler",
    "google_news": "Baca konten menarik lainnya dari Kompas.com di Google News",
    "follow_prompt": "Jangan lupa ikuti akun kami di Instagram ya",
    "update_prompt": "Dapatkan update berita di Telegram",
    "ikuti_kami": "Ikuti kami di semua media",
    "share": "Bagikan artikel ini",
    "share_buttons": "Facebook, Twitter",
    "advertisement": "ADVERTISEMENT",
    "video_prompt": "Simak video berikut ini",
    "copyright": "Copyright © 2024 Detik",
    "editor_credit": "Redaktur: Irwina",
    "author_credit": "Penulis: Budi Santoso",
    "source_credit": "Sumber: Antara",
    "byline_oleh": "oleh Zhao Fenghua dan Rong Yu",
    "outlet_promo": "Yuk segera daftarkan dirimu di acara kami",
    "glued_caption": "Hasil MotoGPFoto: dok. Internet",
    "photo_credit": "(Foto: Antara/Hafidz)",
    "pagination": "Halaman 2",
    "teaser_question": "Ingin baca update berita terkini? Gabung channel kami",
    "channel_promo": "Klik di sini untuk masuk WhatsApp Channel Kompas.com",
    "app_download": "Install aplikasi Kompas gratis",
    "next_page": "Simak berita selengkapnya di halaman selanjutnya.",
    "channel_link": "Berita pilihan ada di WhatsApp Channel. Pilih di https://wa.me/x",
    "navigation": "Beranda",
    "english_template": "Leave a Comment",
    "tags_line": "Kata kunci: banjir",
    "empty_punct": "***",
}
BODY_LINES = ["Oleh karena itu, pemerintah akan menaikkan anggaran.", "“Kami tidak akan mundur,” "
                                                                      "kata Prabowo.",
              "Harga cabai naik di pasar Bogor pekan ini.", "Berita itu dibantah oleh polisi."]


def test_every_line_rule_has_an_example_the_vectorised_rules_agree_on() -> None:
    """Every rule is exercised (each on its own line, then in one column with body lines), so a fast
    path that skips a rule's lines shows here."""
    from tasks import rules

    assert set(RULE_EXAMPLES) == {r.name for r in rules.line_rules()}
    lines = [*RULE_EXAMPLES.values(), *BODY_LINES]
    assert [match_line_rule(x) for x in lines] == [*RULE_EXAMPLES, *[None] * len(BODY_LINES)]
    assert line_rule_column(pl.Series(lines, dtype=pl.String)).to_list() == [
        match_line_rule(x) for x in lines
    ]
    for line in lines:
        assert line_rule_column(pl.Series([line], dtype=pl.String)).to_list() == [
            match_line_rule(line)
        ]


def test_vectorised_line_rules_equal_the_python_rules_on_real_lines() -> None:
    lines = [squash(x) for x in _real_lines()] + [
        "Baca juga: Harga Cabai Naik",
        "Editor: Andi",
        "ADVERTISEMENT",
        "kompas.com",
        "Halaman 2 dari 3",
        "***",
        "Ikuti kami di Google News",
        "Copyright © 2024 Detik",
        "Oleh Budi Santoso dan Sari",
        "Ini kalimat biasa.",
    ]
    got = line_rule_column(pl.Series(lines, dtype=pl.String)).to_list()
    assert got == [match_line_rule(x) for x in lines]
    assert sum(g is not None for g in got) >= 10  # the sample does exercise the rules


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet="Baca juga:Foto.Editor ©xyz12\u00a0\u3000\x1c\t", max_size=40), max_size=8
    )
)
def test_vectorised_squash_rules_and_caption_equal_python(lines: list[str]) -> None:
    df = pl.DataFrame({"t": lines}, schema={"t": pl.String})
    squashed = df.select(squash_expr(pl.col("t")))["t"].to_list()
    assert squashed == [squash(x) for x in lines]
    rules = line_rule_column(pl.Series(squashed, dtype=pl.String)).to_list()
    assert rules == [match_line_rule(x) for x in squashed]


def test_caption_flags_equal_the_python_caption_pattern() -> None:
    """Only lines with a credit word go through the caption pattern: the flags still equal _CAPTION
    on every line."""
    lines = _real_lines() + ["Warga antre BBM di Jakarta. Foto: Antara/Budi", "Presiden meninjau "
                                                                              "lokasi (FOTO: Dok. "
                                                                              "Setpres)",
                             "Ilustrasi: Pixabay", "Foto: Budi", "Kata Foto.Itu bukan keterangan "
                                                                 "foto.", "x" * 500 + " Foto: A"]
    prepared = [x for art in prepare_lines(lines) for x in art]
    assert [x.caption for x in prepared] == [bool(_CAPTION.search(x.text)) for x in prepared]
    assert sum(x.caption for x in prepared) >= 2


def test_prepared_lines_carry_rule_caption_and_related_flags() -> None:
    (lines,) = prepare_lines(["Judul\n\nWarga antre BBM di Jakarta. Foto: Antara/Budi\n\nIsi "
                              "berita. Baca juga: Lain\n\nEditor: Sari"])
    by_text = {x.text: x for x in lines}
    assert by_text["Warga antre BBM di Jakarta. Foto: Antara/Budi"].caption
    assert bool(_CAPTION.match("Warga antre BBM di Jakarta. Foto: Antara/Budi"))
    assert by_text["Isi berita. Baca juga: Lain"].related and not by_text["Judul"].related
    assert by_text["Editor: Sari"].rule == "editor_credit"


def _real_articles() -> list[str]:
    return ["\n\n".join(a["units"]) for a in load_gold()] + [
        "Judul Berita\n\n\u00a0Budapest \u2013 Direktur utama menjelaskan alasan itu.\n\nParagraf "
        "kedua. Baca juga: Lain",
        # one glued line (scraper export) starting with a no-break space before the dateline
        "\u00a0Budapest \u2013 Direktur utama Bakti menjelaskan alasan mengapa satelit itu akan "
        "ditempatkan di atas "
        "Papua.,Menurut dia, lokasi itu paling tepat untuk menjangkau wilayah timur.,Proyek itu "
        "selesai pada 2023."]


def test_prepared_flags_only_skip_work_never_change_the_result() -> None:
    """Cleaning with the caption/related/tail pre-checks equals cleaning with every line sent
    through split_related and the tail rules."""
    texts = _real_articles()
    for lines in prepare_lines(texts):
        forced = [x._replace(related=True, tail=True) for x in lines]
        assert label_rows(lines, None) == label_rows(forced, None)


def test_prepared_lines_equal_the_plain_lines_of_each_article() -> None:
    """The same lines, rules and flags; `tail` aside (the batch twin's pre-check: False only where
    no tail rule can match, which the test above shows changes nothing)."""
    texts = _real_articles()
    got = [[x._replace(tail=True) for x in lines] for lines in prepare_lines(texts)]
    assert got == [article_lines(t) for t in texts]


def test_clean_articles_equals_clean_article_on_each() -> None:
    texts = _real_articles()
    hints = [None, *[t.split("\n", 1)[0] for t in texts[1:]]]
    want = [clean_article(t, h) for t, h in zip(texts, hints, strict=True)]
    assert clean_articles(texts, hints) == want


ARTICLE_TOKENS = ["Baca juga: Harga Naik", "Foto: Antara/Budi", "Editor: Sari", "JAKARTA -",
                  "Budi pergi ke pasar.", "Simak video berikut ini", "kompas.com", "***", ",",
                  ".", " ", "\n", "\n\n", "Ikuti kami di Google News", "(Foto: Dok.)",
                  "Halaman 2", "Oleh Budi Santoso", "Kamis (3/1/2024)", "“Kami siap,” kata dia.",
                  "\u00a0", "x" * 40]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ARTICLE_TOKENS), max_size=30).map("".join), max_size=4))
def test_clean_articles_equals_clean_article_on_random_articles(texts: list[str]) -> None:
    assert clean_articles(texts, [None] * len(texts)) == [clean_article(t) for t in texts]
