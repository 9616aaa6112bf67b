"""Paragraph reconstruction (tasks/clean/fragments.py): inline-link fragments joined back, real
paragraphs left alone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.clean.clean import clean_article
from tasks.clean.fragments import join_fragments
from tasks.text import split_lines

LINKED = ("Aksi mogok sekolah untuk iklim yang dimulai oleh aktivis asal "
          "Swedia,\nGreta\nThunberg\n, telah "
          "menyebar ke lebih dari 100 negara.\nPara siswa berkumpul di depan gedung\nDPRD\ndan "
          "membawa poster.\n"
          "Menurut laporan\nKompas.com\n, aksi berlangsung damai.")


def _join(text: str) -> tuple[list[str], list[str]]:
    lines, joins = join_fragments(split_lines(text), text)
    return [t for _, t in lines], [j.label() for j in joins]


def test_anchor_text_lines_are_joined_back_into_their_paragraph():
    paras, joins = _join(LINKED)
    assert paras == [
        "Aksi mogok sekolah untuk iklim yang dimulai oleh aktivis asal Swedia, Greta Thunberg, "
        "telah menyebar ke "
        "lebih dari 100 negara.",
        "Para siswa berkumpul di depan gedung DPRD dan membawa poster.",
        "Menurut laporan Kompas.com, aksi berlangsung damai.",
    ]
    assert joins == ["link_fragments:0-3", "link_fragments:4-6", "link_fragments:7-9"]


def test_short_paragraphs_headings_and_lists_are_not_glued():
    text = ("Harga Cabai Naik Lagi\nPedagang di pasar mengeluh.\nSiapa yang untung?\nPenyebab "
            "Kenaikan\n"
            "Cuaca buruk membuat panen gagal.\nBerikut daftarnya:\ncabai rawit Rp 80.000\ncabai "
            "merah Rp 60.000\n"
            "Baca juga:\nHarga Bawang Turun\nPetani berharap pemerintah turun tangan.")
    paras, joins = _join(text)
    assert joins == [] and paras == [t for _, t in split_lines(text)]


def test_a_line_opening_in_lower_case_after_a_finished_sentence_stays_apart():
    text = "Rapat dimulai pukul 09.00.\niPhone 15 dijual mulai hari ini.\neBay juga membuka toko."
    assert _join(text)[1] == []


def test_the_gaps_a_dropped_anchor_leaves_in_a_comma_joined_export_are_closed():
    text = ("Tim mengevakuasi 47 jiwa warga Desa Winangun, Kabupaten Sitaro, Provinsi ,. ,Mereka "
            "dievakuasi ke "
            "gereja setelah ,meletus pada Kamis (12/9/2019) pukul 09.49 WITA.,Kepala BNPB "
            "mengatakan warga "
            "diminta menjauh dari puncak gunung.,\"Kami siaga,\" ujarnya.")
    assert _join(text)[0] == [
        "Tim mengevakuasi 47 jiwa warga Desa Winangun, Kabupaten Sitaro, Provinsi.",
        "Mereka dievakuasi ke gereja setelah meletus pada Kamis (12/9/2019) pukul 09.49 WITA.",
        "Kepala BNPB mengatakan warga diminta menjauh dari puncak gunung.",
        '"Kami siaga," ujarnya.',
    ]


def test_clean_rows_of_a_joined_paragraph_name_the_join_and_hold_every_character():
    rows = clean_article(LINKED)
    body = [r for r in rows if r.is_body]
    assert [r.joined for r in body] == [
        "link_fragments:0-3",
        "link_fragments:4-6",
        "link_fragments:7-9",
    ]
    assert "".join("".join(r.text.split()) for r in rows) == "".join(LINKED.split())


def test_a_fragment_that_looks_like_a_navigation_link_stays_in_the_body():
    text = (
        "Ia mengunggah cuplikan itu di kanal\nYouTube\nmiliknya, lalu menghapusnya.\nPolisi masih "
        "menyelidiki.\nx"
    )
    body = [r.text for r in clean_article(text) if r.is_body]
    assert body[0] == "Ia mengunggah cuplikan itu di kanal YouTube miliknya, lalu menghapusnya."


_piece = st.one_of(
    st.sampled_from(
        [
            "Greta",
            "Thunberg",
            ", telah",
            "menyebar.",
            "DPRD",
            "(",
            ")",
            ".",
            "-",
            "Baca juga:",
            "di sini",
        ]
    ),
    st.text(min_size=1, max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_piece, min_size=0, max_size=15))
def test_joining_keeps_every_character_in_order_and_covers_every_line(pieces):
    text = "\n".join(pieces)
    before = split_lines(text)
    after, joins = join_fragments(before, text)
    assert "".join("".join(t.split()) for _, t in after) == "".join(
        "".join(t.split()) for _, t in before
    )
    spans = {(j.first, j.last) for j in joins}
    kept = [ln for ln, _ in after]
    for first, last in spans:
        assert first in kept and not any(first < ln <= last for ln in kept)


P1 = "Pemerintah menaikkan harga BBM bersubsidi mulai Sabtu pekan ini, kata menteri energi."
P2 = "Kenaikan itu disebut perlu untuk menjaga anggaran negara tetap sehat tahun depan."
P3 = "Sejumlah mahasiswa berencana menggelar unjuk rasa di depan gedung parlemen pada Senin."


def test_an_article_held_twice_keeps_the_paragraphed_copy_and_marks_the_run_together_line():
    runtogether = f"{P1} Baca juga: Harga Minyak Dunia Turun {P2} {P3} Ikuti kami di Google News"
    for text in (f"{runtogether}\n{P1}\n{P2}\n{P3}", f"{P1}\n{P2}\n{P3}\n{runtogether}"):
        rows = clean_article(text)
        assert [r.text for r in rows if r.is_body] == [P1, P2, P3]
        removed = " ".join(r.text for r in rows if r.rule == "repeated_runtogether")
        assert P1 in removed and P3 in removed


def test_a_long_paragraph_quoting_a_shorter_one_is_not_a_repeat():
    long = P1 + " " + " ".join(["Warga mengeluhkan antrean panjang di SPBU sejak pagi hari."] * 6)
    rows = clean_article(f"{long}\n{P1}\n{P3}")
    assert all(r.is_body for r in rows)
