"""Text helpers shared by the stages, as plain rules: whitespace/Unicode normalisation, case folding
and splitting raw text into lines. Their fast twins (polars expressions, regex builders, literal
pre-filters) are in tasks/text_fast.py."""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
# Scrapy exports join <p> texts with "," and no space: "…lalu.,Memasuki hari…". A comma glued to the
# next word
# (not between digits) marks a paragraph boundary in such text; runs of commas are empty anchors.
# Glued sentence boundaries: "akhir.Dalam" (lower-case letter, digit, % or ")" then .!? then an
# upper-case letter
# or opening quote) and `kata dia."Kami` (.!? and a closing quote, then an upper-case letter). Found
# by scanning
# for .!? followed by what either needs (fast) and checking the neighbours, not with look-behind
# regexes, which
# are tried at every character.
# .!? that either rule below may cut after
_SENT_CANDIDATE = re.compile(r"[.!?](?=[A-Z\"“]|[\"”][A-Z])")
_BEFORE_PUNCT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789%)")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_UPPER_OR_QUOTE = _UPPER | {'"', "“"}


def squash(text: str) -> str:
    """NFKC + collapsed whitespace, stripped: the form rules are matched against."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def norm_key(text: str) -> str:
    """Aggressive normal form for duplicate detection: NFKC, lower case, no punctuation, single
    spaces.

    The stages use tasks/text_fast.norm_key_expr, its vectorised twin (they differ only on
    combining marks left after NFKC, which Rust's regex counts as word characters).
    """
    return _WS.sub(" ", _NON_WORD.sub(" ", unicodedata.normalize("NFKC", text).lower())).strip()


def looks_comma_joined(text: str) -> bool:
    """True for one-line text whose paragraphs were joined with glued commas (Scrapy exports)."""
    if "\n" in text.strip():
        return False
    return len(re.findall(r",(?=[A-Z\"“(])", text)) >= 2 or text.count(",,") >= 2


def split_glued_commas(text: str) -> list[str]:
    """Split at a comma run glued to the next character (not a space or digit), or any run of 2+
    commas; a single comma before a closing quote (`siap,” kata`, `siap," ujar`: a quote mark then a
    space, punctuation or the end) is inside a quote, not a boundary, unless a sentence ends before
    it. What
    re.split(r",{2,}|(?<=[.!?]),(?=[^\\s\\d,])|,(?=[^\\s\\d,])(?!”)(?!["'](?:[\\s.,;:!?)]|$))",
    text) gives (re's \\s and \\d are str.isspace and str.isdecimal), by str.split and a walk over
    the pieces: faster on Scrapy exports, where nearly every comma is one."""
    parts = text.split(",")
    out: list[str] = []
    buf = [parts[0]]
    i, n = 1, len(parts)
    while i < n:
        nxt = parts[i]
        if nxt == "" and i + 1 < n:  # a run of 2+ commas: one separator, whatever follows
            i += 1
            while i + 1 < n and parts[i] == "":
                i += 1
            out.append(",".join(buf))
            buf = [parts[i]]
        # one comma glued to the next word,
        elif (nxt and not nxt[0].isspace() and not nxt[0].isdecimal()
              # not a closing quote
              and (buf[-1][-1:] in (".", "!", "?") or not _closes_quote(nxt))):
            out.append(",".join(buf))
            buf = [nxt]
        else:  # a comma before a space, a digit or the end: not a boundary
            buf.append(nxt)
        i += 1
    out.append(",".join(buf))
    return out


def _closes_quote(piece: str) -> bool:
    """Whether the piece after a comma opens with a closing quote mark: ” always, a straight quote
    when a space, punctuation or the end follows it."""
    c = piece[0]
    return c == "”" or (
        c in "\"'" and (len(piece) == 1 or piece[1].isspace() or piece[1] in ".,;:!?)")
    )


def split_glued_sentences(text: str) -> list[str]:
    """Split text at glued sentence boundaries ("Tanjung.Dalam", `dia."Kami`)."""
    cuts: list[int] = []
    n = len(text)
    for m in _SENT_CANDIDATE.finditer(text):
        i = m.start()
        if 0 < i and i + 1 < n and text[i - 1] in _BEFORE_PUNCT and text[i + 1] in _UPPER_OR_QUOTE:
            cuts.append(i + 1)
        if i + 2 < n and text[i + 1] in "\"”" and text[i + 2] in _UPPER:
            cuts.append(i + 2)
    if not cuts:
        return [text]
    bounds = [0, *cuts, n]
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def split_lines(text: str) -> list[tuple[int, str]]:
    """Non-empty stripped lines with their 0-based source line number.

    Text that arrives as one glued line (scraper exports) is split at glued commas and glued
    sentence boundaries ("Tanjung.Dalam"), so line rules can see its paragraphs.
    """
    lines = text.split("\n")
    out: list[tuple[int, str]] = []
    if len(lines) <= 2 and len(text) > 150:
        pieces: list[str] = []
        for ln in lines:
            parts = split_glued_commas(ln) if looks_comma_joined(ln) else [ln]
            # no part can hold a glued sentence boundary: one scan, not
            if _SENT_CANDIDATE.search(ln) is None:
                pieces.extend(parts)  # one per part (a part's candidates are the line's)
                continue
            for part in parts:
                pieces.extend(split_glued_sentences(part))
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


def fold(text: str) -> str:
    """Case-folded text in which every character that Python's re.IGNORECASE matches against a
    pattern character becomes that character's fold (tests/test_text_twins.py checks every code
    point): casefold(), with the dotted and dotless i folded to i first (re matches both against i;
    casefold() would not)."""
    if "\u0130" in text or "\u0131" in text:
        text = text.replace("\u0130", "i").replace("\u0131", "i")
    return text.casefold()


