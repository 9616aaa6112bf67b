"""Datelines through clean + extract's header fields: on their own line, glued, without dash, with
agencies; brand-only prefixes leave the body but give no city (fixtures written for the shapes)."""

from __future__ import annotations

import pytest

from tasks.clean.clean import clean_article
from tasks.extract.fields import header_fields

BODY = (
    "Harga cabai di pasar tradisional naik dua kali lipat sejak awal pekan.\nPedagang mengeluhkan "
    "sepinya pembeli."
)


def run(text: str) -> tuple[dict[str, object], list[tuple[str, str | None]]]:
    rows = [(r.text, r.rule) for r in clean_article(text, None)]
    return header_fields(rows, None, None, None, None), rows


def first_body(rows: list[tuple[str, str | None]]) -> str:
    return next(t for t, r in rows if r is None)


@pytest.mark.parametrize(("text", "city"), [
    ("JAKARTA, KOMPAS.com\n- " + BODY, "Jakarta"),
    ("JAKARTA, KOMPAS.com\n-\n" + BODY, "Jakarta"),
    ("Teheran\n-\n" + BODY, "Teheran"),
    ("Liputan6.com, Bandung" + BODY, "Bandung"),
    ("JAKARTA, KOMPAS.com - " + BODY, "Jakarta"),
    ("JAKARTA, KOMPAS.com  " + BODY, "Jakarta"),
    ("SURABAYA — " + BODY, "Surabaya"),
    ("Jakarta (ANTARA) - " + BODY, "Jakarta"),
    ("KONTAN.CO.ID - SEOUL. " + BODY, "Seoul"),
    ("REPUBLIKA.CO.ID, MEDAN -- " + BODY, "Medan"),
    ("TRIBUNNEWS.COM, MAKASSAR " + BODY, "Makassar"),
    ("TRIBUNNEWS.COM.SEMARANG, " + BODY, "Semarang"),
    ("REPUBLIKA.CO.ID, TANJUNG LESUNG, BANTEN -- " + BODY, "Tanjung Lesung"),
])
def test_dateline_shapes_give_the_city_and_leave_the_body(text: str, city: str) -> None:
    f, rows = run(text)
    assert f["dateline"] == city
    assert first_body(rows).startswith("Harga cabai")


@pytest.mark.parametrize("text", [
    "POSMETRO MEDAN– " + BODY,
    "Kapanlagi.com - " + BODY,
    "KOMPAS.com - " + BODY,
    "Merdeka.com - " + BODY,
    "TRIBUNNEWS.COM " + BODY,
])
def test_brand_only_prefix_is_removed_but_gives_no_city(text: str) -> None:
    f, rows = run(text)
    assert f["dateline"] is None
    assert f["outlet"] is not None
    assert first_body(rows).startswith("Harga cabai")


def test_a_sentence_opening_with_a_place_is_not_a_dateline() -> None:
    f, rows = run("Bandung menjadi kota tujuan wisata favorit warga Jakarta.\n" + BODY)
    assert f["dateline"] is None
    assert first_body(rows).startswith("Bandung menjadi")


@pytest.mark.parametrize("city", ["Sleman", "Banyuwangi", "Bima", "Kotabumi"])
def test_a_regency_town_in_title_case_is_a_dateline(city: str) -> None:
    f, rows = run(f"{city} - " + BODY)
    assert f["dateline"] == city
    assert first_body(rows).startswith("Harga cabai")


def test_a_dateline_only_town_is_not_a_place_entity() -> None:
    from tasks import rules

    assert "bima" in rules.dateline_places_casefold()
    assert "Bima" not in rules.places()


@pytest.mark.parametrize(("text", "city"), [
    ("INILAHCOM, Jakarta - " + BODY, "Jakarta"),
    ("Jakarta, Gatra - " + BODY, "Jakarta"),
    ("SEMARANG, Senin (9/9/2019) - " + BODY, "Semarang"),
])
def test_datelines_with_outlet_table_brands_or_a_day(text: str, city: str) -> None:
    f, rows = run(text)
    assert f["dateline"] == city
    assert first_body(rows).startswith("Harga cabai")
