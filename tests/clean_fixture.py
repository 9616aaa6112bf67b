"""Shared fixture for the cleaning-shape tests: three body sentences of one small crime story and
two views of what clean_article makes of a text."""

from __future__ import annotations

from tasks.clean.clean import clean_article

BODY1 = "Polisi menangkap dua pelaku pencurian sepeda motor di Depok pada Senin malam."
BODY2 = "Kapolres mengatakan kedua pelaku sudah lama diincar oleh petugas."
BODY3 = "Barang bukti yang disita antara lain dua unit sepeda motor dan kunci palsu."


def _rules(text: str) -> list[tuple[str | None, str]]:
    return [(r.rule, r.text) for r in clean_article(text)]


def _body(text: str) -> list[str]:
    return [r.text for r in clean_article(text) if r.is_body]
