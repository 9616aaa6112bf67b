"""The real-looking article the hostile-input tests plant in their bad files and folders, and its
cities (tests/test_hostile_classes.py, tests/test_hostile_generator.py)."""

from __future__ import annotations

CITIES = [
    "Bandung",
    "Medan",
    "Makassar",
    "Surabaya",
    "Padang",
    "Denpasar",
    "Manado",
    "Ambon",
    "Kupang",
    "Jambi",
    "Palu",
    "Kendari",
    "Mataram",
    "Banjarmasin",
    "Pontianak",
    "Samarinda",
    "Jayapura",
    "Sorong",
    "Bengkulu",
]


def market_article(city: str, price: str = "80.000", code: str = "") -> str:
    """A short market-price news article about city (headline, dateline, a quote, a closing
    paragraph); code, when given, is a unique word that marks where the article landed."""
    noted = f", catatan {code}" if code else ""
    return (
        f"Harga Cabai Naik di Pasar {city}\n\nJAKARTA, KOMPAS.com - Harga cabai rawit di Pasar "
        f"{city} naik menjadi "
        f"Rp {price} per kilogram menjelang Lebaran tahun ini{noted}.\n\n“Pasokan dari Jawa Tengah "
        "berkurang karena "
        "hujan,” kata pedagang bernama Slamet Riyadi kepada wartawan.\n\nKementerian Perdagangan "
        "berjanji "
        f"menggelar operasi pasar pekan depan di {city}."
    )
