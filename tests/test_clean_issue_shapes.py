"""Every shape issue 20 lists under "What leaked, by kind" and "Also seen", each removed by its
named rule and the body around it kept (fixtures written for the shape; other tests cover each
rule's edge cases)."""

from __future__ import annotations

import pytest

from tasks.clean.clean import clean_article

B1 = "Polisi menangkap dua pelaku pencurian sepeda motor di Depok pada Senin malam."
B2 = "Kapolres mengatakan kedua pelaku sudah lama diincar oleh petugas."
B3 = "Barang bukti yang disita antara lain dua unit sepeda motor dan kunci palsu."
GLUED = "Jokowi Resmikan Tol Baru di Jawa Barat Petani mengeluh harga pupuk naik."

SHAPES = [  # (what, text, rules that must remove it, in order)
    (
        "related prefix alone, headline on the next line",
        f"{B1}\nBaca juga:\nWarga Resah, Pencurian Motor Marak\n{B2}",
        ["baca_juga", "related_headline"],
    ),
    (
        "'Yuk baca juga:' glued to the next paragraph",
        f"{B1}\nYuk baca juga: {GLUED}\n{B2}",
        ["baca_juga"],
    ),
    ("'Simak berita lainnya:' glued", f"{B1}\nSimak berita lainnya: {GLUED}\n{B2}", ["more_news"]),
    ("'Pilihan editor:' glued", f"{B1}\nPilihan editor: {GLUED}\n{B2}", ["pilihan_editor"]),
    (
        "a bare 'Baca Juga' whose headline was not scraped",
        f"{B1}\nBaca Juga\n{B2}\n{B3}",
        ["baca_juga"],
    ),
    (
        "dateline on its own line, dash on the next",
        f"JAKARTA, KOMPAS.com\n- {B1}\n{B2}",
        ["city_comma_outlet", "dash_residue"],
    ),
    ("city alone, dash alone", f"Teheran\n-\n{B1}\n{B2}", ["title_city_dash", "empty_punct"]),
    (
        "dateline glued to the first word",
        f"Liputan6.com, Jakarta{B1}\n{B2}",
        ["outlet_comma_city_glued"],
    ),
    ("brand-only prefix in capitals", f"POSMETRO MEDAN– {B1}\n{B2}", ["caps_city_dash"]),
    ("brand-only domain prefix", f"Kapanlagi.com - {B1}\n{B2}", ["outlet_dash"]),
    (
        "a WhatsApp-channel promo split over lines",
        f"{B1}\n{B2}\nIkuti saluran WhatsApp\nKompas.com\nuntuk update berita terbaru.\n{B3}",
        ["follow_prompt"],
    ),
    (
        "an 'Ingin baca update ...?' teaser",
        f"{B1}\n{B2}\nIngin baca update berita terkini setiap "
        "hari? Yuk "
        f"gabung ke saluran kami.\n{B3}",
        ["teaser_question"],
    ),
    (
        "'Ikuti Whatsapp Channel X' glued to the last paragraph",
        f"{B1}\n{B2} Ikuti Whatsapp Channel Liputan6.com",
        ["social_tail"],
    ),
    (
        "'Baca berita lainnya di Google News'",
        f"{B1}\n{B2}\nBaca berita lainnya di Google News\n{B3}",
        ["google_news"],
    ),
    (
        "an app-download promo",
        f"{B1}\n{B2}\nDownload aplikasi Kompas.com di Play Store sekarang juga.\n{B3}",
        ["update_prompt"],
    ),
    (
        "a video-platform promo",
        f"{B1}\n{B2}\nJangan lupa subscribe kanal YouTube Kompas TV dan "
        "follow TikTok "
        f"@kompastv\n{B3}",
        ["follow_prompt"],
    ),
    (
        "'Simak berita selengkapnya di halaman selanjutnya.'",
        f"{B1}\n{B2}\nSimak berita selengkapnya di halaman selanjutnya.\n{B3}",
        ["next_page"],
    ),
    (
        "'Laporan <name> I <city>'",
        f"Laporan Wartawan Tribunnews.com Budi Santoso I Surabaya\n{B1}\n{B2}\n{B3}",
        ["credit_laporan"],
    ),
    (
        "'(Reporter: X | Editor: Y)'",
        f"{B1}\n{B2}\n{B3}\n(Reporter: Budi Santoso | Editor: Rina Wati)",
        ["credit_author_editor"],
    ),
    ("'Penulis: X'", f"{B1}\n{B2}\n{B3}\nPenulis: Budi Santoso", ["author_credit"]),
    (
        "a closing '(Full Name)' on its own row",
        f"{B1}\n{B2}\n{B3}\n(Budi Santoso)",
        ["line_name_credit"],
    ),
    (
        "a closing '(Full Name)' ending the last paragraph",
        f"{B1}\n{B2}\n{B3} (Budi Santoso)",
        ["tail_name_credit"],
    ),
    (
        "'Artikel ini telah tayang di X dengan judul ...' on its own line",
        f"{B1}\n{B2}\nArtikel ini "
        "telah tayang "
        f"di Tribunnews.com dengan judul Polisi Tangkap Dua Pelaku Begal\n{B3}",
        ["source_credit"],
    ),
    (
        "'Artikel ini telah tayang ...' glued to the last paragraph",
        f"{B1}\n{B2} Artikel ini telah "
        "tayang di "
        'Kompas.com dengan judul "Polisi Tangkap Dua Pelaku Begal".',
        ["syndication_tail"],
    ),
    (
        "a caption with '(credit: ...)'",
        f"{B1}\nPenyanyi Raisa tampil di panggung utama. (credit: instagram.com/raisa6690)\n{B2}",
        ["caption"],
    ),
    (
        "'Foto: instagram.com/...'",
        f"{B1}\n{B2}\nFoto: instagram.com/raisa6690\n{B3}",
        ["photo_credit"],
    ),
]


@pytest.mark.parametrize(("what", "text", "expected"), SHAPES, ids=[s[0] for s in SHAPES])
def test_each_listed_shape_is_removed_by_its_named_rule_and_the_body_kept(what, text, expected):
    rows = clean_article(text)
    assert [r.rule for r in rows if r.rule] == expected, what
    body = " ".join(r.text for r in rows if r.is_body)
    for b in (B1, B2):
        assert b in body
