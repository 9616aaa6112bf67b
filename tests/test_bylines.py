"""Bylines and credits in the text, through clean + extract's header fields (small fixtures written
for the shapes; none is a labelled article)."""

from __future__ import annotations

import pytest

from tasks import rules
from tasks.clean.bylines import parse_credit, person_names
from tasks.clean.clean import clean_article
from tasks.extract.fields import header_fields

BODY = (
    "Pemerintah menaikkan harga bahan bakar mulai pekan depan.\nKenaikan itu diumumkan di Istana "
    "Negara."
)


def fields_of(
    text: str, title: str | None = None
) -> tuple[dict[str, object], list[tuple[str, str | None]]]:
    rows = [(r.text, r.rule) for r in clean_article(text, title)]
    return header_fields(rows, None, None, title, None), rows


@pytest.mark.parametrize(
    ("text", "authors", "editors"),
    [
        ("JAKARTA - " + BODY + "\nPenulis: Rina Wulandari", ["Rina Wulandari"], []),
        (
            "JAKARTA - " + BODY + "\nReporter: Dedi Kurniawan\nEditor: Sari Dewi",
            ["Dedi Kurniawan"],
            ["Sari Dewi"],
        ),
        ("JAKARTA - " + BODY + "\nRedaktur: Bambang Hartono", [], ["Bambang Hartono"]),
        (
            "JAKARTA - " + BODY + "\nPenulis : Ihsan Maulana | Editor : Dewi Agustina",
            ["Ihsan Maulana"],
            ["Dewi Agustina"],
        ),
        (
            "JAKARTA - " + BODY + " (Reporter: Yopi Mulyana | Editor: Aning Jati)",
            ["Yopi Mulyana"],
            ["Aning Jati"],
        ),
        ("JAKARTA - " + BODY + " Penulis : Hendra Saputra", ["Hendra Saputra"], []),
        (
            "JAKARTA - "
            + BODY
            + "\n(Penulis: Rizki Hidayat/Editor: Aditya Wicaksono, published 1/9/2019)",
            ["Rizki Hidayat"],
            ["Aditya Wicaksono"],
        ),
        (
            "Laporan Wartawan Tribunnews.com, Fransiskus Adi\nTRIBUNNEWS.COM, JAKARTA - " + BODY,
            ["Fransiskus Adi"],
            [],
        ),
        (
            "Oleh: Budi Santoso dan Siti Aminah\nJAKARTA - " + BODY,
            ["Budi Santoso", "Siti Aminah"],
            [],
        ),
        ("Kontributor Garut, Ahmad Firdaus\nGARUT, KOMPAS.com - " + BODY, ["Ahmad Firdaus"], []),
        (
            "JAKARTA - " + BODY + " Hal itu disampaikan kemarin. (Hasanudin Aco)",
            [],
            ["Hasanudin Aco"],
        ),
        (
            "JAKARTA - " + BODY + "\nPenulis\nAnnisa Rahma\nEditor\nDita Puspita",
            ["Annisa Rahma"],
            ["Dita Puspita"],
        ),
    ],
)
def test_byline_shapes_give_authors_and_editors(
    text: str, authors: list[str], editors: list[str]
) -> None:
    f, rows = fields_of(text)
    assert f["authors"] == authors
    assert f["editors"] == editors
    cats = rules.line_rule_categories()
    credit_rows = [t for t, r in rows if r is not None and cats.get(r) == "credit"]
    assert credit_rows, rows
    body = " ".join(t for t, r in rows if r is None)
    for name in authors + editors:
        assert name not in body  # the credit left the body


def test_laporan_glued_to_the_dateline_gives_author_and_city() -> None:
    text = ("Laporan Wartawan Tribunnews.com, M Zulfikar TRIBUNNEWS.COM, JAKARTA - Sejak "
            "dipamerkan, mobil itu "
            "menyedot perhatian pengunjung pameran.\nPuluhan orang sudah memesan.")
    f, rows = fields_of(text)
    assert f["authors"] == ["M Zulfikar"]
    assert f["dateline"] == "Jakarta"
    assert rows[0] == ("Laporan Wartawan Tribunnews.com, M Zulfikar", "lead_laporan")
    assert rows[2][0].startswith("Sejak dipamerkan")


def test_laporan_with_i_city_gives_the_city_as_dateline() -> None:
    f, _ = fields_of("Laporan Wartawan Surya, Ahmad Zaimul Haq I Surabaya\n" + BODY)
    assert f["authors"] == ["Ahmad Zaimul Haq"]
    assert f["dateline"] == "Surabaya"


def test_laporan_keeps_a_balinese_name_starting_with_i() -> None:
    f, _ = fields_of("Laporan Wartawan Tribun Bali, I Made Ardhiangga\nDENPASAR - " + BODY)
    assert f["authors"] == ["I Made Ardhiangga"]


def test_signoff_initials_are_not_a_closing_name_credit() -> None:
    f, rows = fields_of("Merdeka.com - " + BODY + " Ia tidak setuju. (gdm/shd)")
    assert f["editors"] == [] and f["authors"] == []
    assert ("(gdm/shd)", "signoff") in rows


def test_a_sentence_with_penulis_in_the_body_is_not_a_credit() -> None:
    text = "JAKARTA - Penulis novel itu hadir di acara peluncuran kemarin.\n" + BODY
    f, rows = fields_of(text)
    assert f["authors"] == []
    assert rows[1][1] is None


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Ahmad Fauzi - detikNews", ["Ahmad Fauzi"]),
        ("Tim detikcom", []),
        ("Tim Redaksi", []),
        ("Redaksi", []),
        ("Kontributor Makassar, Hendra Cipto", ["Hendra Cipto"]),
        (
            "Rina Wulandari, Dedi Kurniawan & Sari Dewi",
            ["Rina Wulandari", "Dedi Kurniawan", "Sari Dewi"],
        ),
        ("Budi Santoso dan Siti Aminah", ["Budi Santoso", "Siti Aminah"]),
        ("kompas.com", []),
        ("Jakarta", []),
    ],
)
def test_person_names_normalise_credit_values(value: str, names: list[str]) -> None:
    assert person_names(value) == names


def test_parse_credit_of_a_legacy_author_credit_row() -> None:
    got = parse_credit("Penulis: Yuli Astuti | Editor: Hari Purnomo", "author_credit")
    assert got["authors"] == ["Yuli Astuti"] and got["editors"] == ["Hari Purnomo"]


def test_an_acronym_or_organisation_after_oleh_is_not_a_person() -> None:
    assert person_names("DPR") == []
    f, _ = fields_of("JAKARTA - " + BODY + "\noleh DPR")
    assert f["authors"] == []


def test_laporan_in_a_sentence_is_not_a_byline() -> None:
    f, rows = fields_of("Laporan BPK menyebut kerugian negara mencapai Rp 2 triliun pada tahun "
                        "lalu.\n" + BODY)
    assert f["authors"] == []
    assert rows[0][1] is None or rows[0][1] == "title"


@pytest.mark.parametrize(
    ("text", "authors", "editors"),
    [
        ("JAKARTA - " + BODY + "\nDIAS PRASONGKO", ["Dias Prasongko"], []),
        (
            "JAKARTA - " + BODY + " Hal itu disampaikan kemarin. AMINUDDIN A.S.",
            ["Aminuddin A.S."],
            [],
        ),
        ("Ahmad Fauzi - detikNews\nJakarta - " + BODY, ["Ahmad Fauzi"], []),
        (
            "JAKARTA - " + BODY + "\nPenulis Dian Maharani | Editor Bayu Galih",
            ["Dian Maharani"],
            ["Bayu Galih"],
        ),
        ("JAKARTA - " + BODY + "\nKontributor : Yuliani Sari", ["Yuliani Sari"], []),
        (
            "JAKARTA - " + BODY + "\nRep: Rizky Suryana Red: Nidia Zulfa",
            ["Rizky Suryana"],
            ["Nidia Zulfa"],
        ),
    ],
)
def test_more_byline_shapes(text: str, authors: list[str], editors: list[str]) -> None:
    f, _ = fields_of(text)
    assert (f["authors"], f["editors"]) == (authors, editors)


def test_a_team_credit_leaves_the_body_but_names_nobody() -> None:
    f, rows = fields_of("Tim detikcom - detikNews\nJakarta - " + BODY)
    assert f["authors"] == []
    assert rows[0] == ("Tim detikcom - detikNews", "credit_name_outlet")


def test_a_capitalised_place_on_the_last_row_is_not_a_reporter() -> None:
    f, _ = fields_of("JAKARTA - " + BODY + "\nJAKARTA SELATAN")
    assert f["authors"] == []


HEAD = "Harga Cabai Naik Dua Kali Lipat"
LEDE = (
    "\nJAKARTA - Harga cabai di pasar naik dua kali lipat sejak awal pekan.\nPedagang mengeluhkan "
    "sepinya pembeli."
)


@pytest.mark.parametrize(
    ("header", "authors", "when"),
    [
        (
            "Fahreza Rizky, Jurnalis · Selasa 17 September 2019 07:03 WIB",
            ["Fahreza Rizky"],
            "2019-09-17 07:03",
        ),
        (
            "Rina Wulandari - detikNews\nSelasa, 10 Sep 2019 05:06 WIB",
            ["Rina Wulandari"],
            "2019-09-10 05:06",
        ),
        (
            "Penulis: Rina Wulandari | Rabu, 11/09/2019 10:05 WIB",
            ["Rina Wulandari"],
            "2019-09-11 10:05",
        ),
        (
            "Kompas.com - 10/09/2019, 20:57 WIB\nPenulis: Rina Wulandari",
            ["Rina Wulandari"],
            "2019-09-10 20:57",
        ),
        (
            "Senin, 9 September 2019 | 10:05 WIB\nLaporan: Bobby Andalan, Bengkulu",
            ["Bobby Andalan"],
            "2019-09-09 10:05",
        ),
    ],
)
def test_header_credits_keep_the_date_and_the_dateline_after_them(
    header: str, authors: list[str], when: str
) -> None:
    from datetime import timedelta

    rows = [(r.text, r.rule) for r in clean_article(HEAD + "\n" + header + LEDE, HEAD)]
    f = header_fields(rows, None, None, HEAD, None)
    assert f["authors"] == authors
    assert (f["published_at"] + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M") == when
    assert f["dateline"] == "Jakarta"
    assert next(t for t, r in rows if r is None).startswith("Harga cabai")


@pytest.mark.parametrize("closing", ["REUTERS | EKO WIDIANTO", "CNN  EKO WIDIANTO"])
def test_agencies_before_a_closing_name_in_capitals_are_dropped(closing: str) -> None:
    f, _ = fields_of("JAKARTA - " + BODY + "\n" + closing)
    assert f["authors"] == ["Eko Widianto"]
