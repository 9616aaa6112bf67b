"""Text helpers shared by the stages: whitespace/Unicode normalisation and splitting raw text into lines."""

from __future__ import annotations

import re
import unicodedata

import polars as pl

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
# Scrapy exports join <p> texts with "," and no space: "…lalu.,Memasuki hari…". A comma glued to the next word
# (not between digits) marks a paragraph boundary in such text; runs of commas are empty anchors.
_GLUED_COMMA = re.compile(r"(?<!\d),+(?=[^\s\d,])|(?<=\d),+(?=[^\s\d,])|,{2,}")
_GLUED_SENTENCE = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[A-Z\"“])|(?<=[.!?][\"”])(?=[A-Z])")


def squash(text: str) -> str:
    """NFKC + collapsed whitespace, stripped: the form rules are matched against."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def norm_key(text: str) -> str:
    """Aggressive normal form for duplicate detection: NFKC, lower case, no punctuation, single spaces.

    The stages use norm_key_expr, its vectorised twin (they differ only on combining marks left after NFKC,
    which Rust's regex counts as word characters).
    """
    return _WS.sub(" ", _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower())).strip()


def norm_key_expr(col: str | pl.Expr) -> pl.Expr:
    """norm_key over a polars column, vectorised (no per-row Python)."""
    e = pl.col(col) if isinstance(col, str) else col
    return e.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"[\W_]+", " ").str.strip_chars()


def looks_comma_joined(text: str) -> bool:
    """True for one-line text whose paragraphs were joined with glued commas (Scrapy exports)."""
    if "\n" in text.strip():
        return False
    return len(re.findall(r",(?=[A-Z\"“(])", text)) >= 2 or text.count(",,") >= 2


def split_lines(text: str) -> list[tuple[int, str]]:
    """Non-empty stripped lines with their 0-based source line number.

    Text that arrives as one glued line (scraper exports) is split at glued commas and glued sentence
    boundaries ("Tanjung.Dalam"), so line rules can see its paragraphs.
    """
    lines = text.split("\n")
    out: list[tuple[int, str]] = []
    if len(lines) <= 2 and len(text) > 150:
        pieces: list[str] = []
        for ln in lines:
            parts = _GLUED_COMMA.split(ln) if looks_comma_joined(ln) else [ln]
            for part in parts:
                pieces.extend(_GLUED_SENTENCE.split(part))
        for i, p in enumerate(pieces):
            if p.strip(" ,\t"):
                out.append((i, p.strip(" ,\t")))
        return out
    for i, ln in enumerate(lines):
        if ln.strip():
            out.append((i, ln.strip()))
    return out


def words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-'’]\w+)*", text)
