"""Direct-quote spans in an article's text, across the paragraphs its scraper or the clean stage
made.

A quote is found by reading the quote marks of the whole article in order with a small state
machine, not by pairing marks inside one paragraph: a scraper that cuts lines at inline links, or a
splitter that cuts at `,"` (`..promosi` / `" kata Budi`), leaves marks whose partner is in another
paragraph. Straight marks get a direction from their neighbours (an opening mark follows a space or
a paragraph start and precedes a word; a closing one follows a word or punctuation); curly ones
carry it. Newspapers continue a quote over paragraphs by opening each new paragraph with a mark and
closing only the last: such quotes come out as one.

A quote left open (the closing mark lost: `"Benar, diperiksa di KPK, ujar Tony.`) ends at its
attribution (`, ujar` / `, kata` ...) when one follows inside the paragraph, else it is dropped:
words after a stray mark are not a quote. Work is one pass over the marks (linear in the text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, CLOSE, EITHER = "open", "close", "either"
PARA_SEP = "\n\n"  # how quotes() joins paragraphs
CUT_WINDOW = 2000  # characters after an open quote's mark searched for its attribution


@dataclass(frozen=True)
class SpanConfig:
    """max_span: characters a quote may run over before it is given up (a lost closing mark);
    max_paragraphs: paragraphs one quote may continue over."""

    max_span: int = 3000
    max_paragraphs: int = 6


@dataclass(frozen=True)
class Span:
    """A quote: `start` is its opening mark, `end` the position after its closing mark (or after the
    quoted words of an open quote cut at its attribution); `text` the quoted words, paragraph joins
    as spaces."""

    start: int
    end: int
    text: str


_MARKS = re.compile(r"[\"“”]")


def mark_direction(text: str, i: int) -> str:
    """OPEN, CLOSE or EITHER for the quote mark at text[i]."""
    c = text[i]
    if c == "“":
        return OPEN
    if c == "”":
        return CLOSE
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    space_before = before.isspace() or before in "([{—–-:"
    space_after = after.isspace() or after in ",.;:!?)]}—–-"
    if space_before and not space_after:
        return OPEN
    if space_after and not space_before:
        return CLOSE
    return EITHER


def _reversed_open(text: str, i: int) -> bool:
    """A closing mark used to open a quote: ”Setelah ... at a paragraph's or sentence's start,
    before a letter (a stray closing mark after a number or word, 81” or inch marks, is none)."""
    before = text[i - 1] if i > 0 else "\n"
    return text[i + 1:i + 2].isalpha() and (before.isspace() or before in ",.(")


def _space_after(text: str, i: int) -> bool:
    return i + 1 >= len(text) or text[i + 1].isspace() or text[i + 1] in ",.;:!?)]}"


def _para_start(text: str, i: int) -> bool:
    """Is the mark at text[i] the first non-space character of a paragraph?"""
    j = i
    while j > 0 and text[j - 1] in " \t":
        j -= 1
    return j == 0 or text[j - 1] == "\n"


def quote_spans(
    text: str, cut_open: re.Pattern[str] | None = None, config: SpanConfig = SpanConfig()
) -> list[Span]:
    """The direct-quote spans of an article's text (paragraphs joined by PARA_SEP), in order.

    cut_open: where an open quote whose closing mark is lost ends (its attribution, e.g. `, ujar`):
    the quote ends at the match's start. Without it such quotes are dropped."""
    out: list[Span] = []
    start = -1  # opening mark of the quote being read, -1 outside quotes
    parts: list[str] = []  # the quote's words so far (paragraphs continued by a new opening mark)
    seg = 0  # start of the current run of quoted words
    for m in _MARKS.finditer(text):
        i = m.start()
        d = mark_direction(text, i)
        if start >= 0 and (text[i] == '"') != (text[start] == '"') \
                and not _mixed_close(text, start, i, d):
            # marks of the other kind inside a quote quote someone inside it ("...
            # “Kampung Sehat” ...")
            continue
        if start < 0:
            # a stray closing mark outside quotes (81" minutes, inch marks) is skipped; one ending a
            # paragraph
            # opens the next (a splitter cut `OJK."Tapi` after the mark)
            if d != CLOSE or text.startswith(PARA_SEP, i + 1) or _reversed_open(text, i):
                start, parts, seg = i, [], i + 1
            continue
        inner = text[seg:i]
        # a mark alone on its line opens the next one: no break yet
        crossed = PARA_SEP in inner.lstrip()
        lone = _para_start(text, i) and text[i + 1:i + 2] in ("", "\n")  # a mark alone on its line
        opens = d == OPEN or lone or (d == EITHER and not _space_after(text, i))
        if crossed and opens and _closed_by_attribution(inner, cut_open):
            # the quote ended at its attribution in its first paragraph, its closing mark lost: this
            # mark
            # opens the next quote (or is a stray closing one)
            _close_open(text, start, seg, parts, cut_open, out)
            start, parts, seg = (-1, [], 0) if d == CLOSE else (i, [], i + 1)
            continue
        if d == CLOSE or (d == EITHER and (not crossed or _space_after(text, i))):
            out.append(Span(start, i + 1, _words(parts, inner)))
            start = -1
            continue
        # an opening mark (or an unclear one after a paragraph break) while a quote is open
        if crossed and _para_start(text, i) and len(parts) < config.max_paragraphs \
                and i - start <= config.max_span and not _closed_by_attribution(inner, cut_open):
            parts.append(inner.strip())  # the newspaper way: a new paragraph of the same quote
            seg = i + 1
            continue
        _close_open(text, start, seg, parts, cut_open, out)
        start, parts, seg = i, [], i + 1
    if start >= 0:
        _close_open(text, start, seg, parts, cut_open, out)
    return out


def _mixed_close(text: str, start: int, i: int, d: str) -> bool:
    """Does the straight closing mark at text[i] close the curly quote opened at start (“... hebat,"
    pungkas dia.): no curly closing mark follows in its paragraph, none stands since the opening
    one, and the quote is still in the paragraph it opened in?"""
    if text[start] != "“" or text[i] != '"' or d != CLOSE:
        return False
    para_end = text.find(PARA_SEP, i)
    rest = text[i:] if para_end < 0 else text[i:para_end]
    return "”" not in rest and "”" not in text[start:i] and PARA_SEP not in text[start:i]


def _words(parts: list[str], last: str) -> str:
    """The quoted words: the paragraphs a quote ran over joined by a space (a fragment line, a
    link's text)."""
    joined = " ".join([*parts, last]).strip()
    return " ".join(p.strip() for p in joined.split(PARA_SEP)) if PARA_SEP in joined else joined


def _closed_by_attribution(inner: str, cut_open: re.Pattern[str] | None) -> bool:
    """Does the open quote's first paragraph end with its attribution (a lost closing mark)?"""
    if cut_open is None:
        return False
    first = inner.strip().split(PARA_SEP, 1)[0]
    return cut_open.search(first) is not None


def _close_open(text: str, start: int, seg: int, parts: list[str], cut_open: re.Pattern[str] | None,
                out: list[Span]) -> None:
    """An open quote whose closing mark never came: cut at its attribution in its paragraph, or drop
    it."""
    if cut_open is None:
        return
    while seg < len(text) and text[seg].isspace():  # a mark alone on its line opens the next one
        seg += 1
    limit = min(len(text), seg + CUT_WINDOW)  # bounded: a run of lost marks stays linear
    end_para = text.find(PARA_SEP, seg, limit)
    m = cut_open.search(text, seg, limit if end_para < 0 else end_para)
    if m:
        out.append(Span(start, m.start(), _words(parts, text[seg:m.start()])))
