"""Direct quotes whose quote marks the scraper lost.

Some scrapes drop every quote mark of a page (PBA-news' kompas.com pages of 2015): a quote then
reads as plain sentences closed by its attribution, `Kami masih menunggu ... Kita sudah mendapatkan
tiga saksi ahli, tutur Kabareskrim Komjen Pol Budi Waseso.` Indirect speech closed the same way
(`..., kata Bambang.`) turns the speaker's first person into the third, so a sentence run closed by
an attribution verb is taken as a direct quote only when it speaks in the first person (saya, kami,
kita) and the attribution closes its sentence (`, kata dia, tidak ada ...` goes on: no quote). The
run is the sentence the attribution closes plus the sentences before it that speak in the first
person too, or that the next one continues with a conjunction ("Tadi di lapangan agak ragu-ragu ...
Tetapi akhirnya saya ..., ujar Panji"). A sentence holding a quote mark or another attribution ends
the run: marked quotes are read by tasks/extract/quote_spans.py, and this only looks outside them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from tasks.extract.quote_spans import Span
from tasks.text_fast import literal_union


@dataclass(frozen=True)
class UnmarkedConfig:
    """window: characters before an attribution searched for its sentences; max_sentences: sentences
    one unmarked quote may run over; min_words: words a quote needs."""

    window: int = 600
    max_sentences: int = 4
    min_words: int = 4
    # the attribution must close its sentence with a period within this
    attribution_chars: int = 200
    # the verbs that close a quote (not "menurut", "sebut saja", "jelas bahwa", which also open
    # other clauses)
    verbs: tuple[str, ...] = (
        "kata",
        "ujar",
        "ucap",
        "tutur",
        "ungkap",
        "tegas",
        "imbuh",
        "tambah",
        "lanjut",
        "papar",
        "terang",
        "tandas",
        "pungkas",
        "tukas",
    )


UNMARKED = UnmarkedConfig()
# "aku" is left out: it is the narrator of readers' stories more often than a speaker whose marks
# were lost
_FIRST_PERSON = re.compile(r"\b(?:[Ss]aya|[Kk]ami|[Kk]ita)\b")
# a comma in the attribution's sentence that goes on with another clause: "..., kata dia, tidak ada
# ..."
_GOES_ON = re.compile(
    r",\s+(?!(?:di|saat|ketika|usai|seusai|kepada|dalam|pada|melalui|lewat|dikutip|seperti|"
    r"sebagaimana|selaku|yang|sambil|kemarin|hari|pekan|Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|"
    r"Minggu)\b)[a-z]"
)
# sentence boundaries as these scrapes leave them: "laga.Panji", "Rekam Jejak)Jika", paragraph
# breaks
_BOUNDARY = re.compile(r"(?:[.!?]+\s*|\)\s*|\n\n)(?=[A-Z])")
_CONTINUES = re.compile(r"(?:Tetapi|Tapi|Namun|Jadi|Sehingga|Karena|Makanya|Apalagi|Bahkan)\b")
_MARK = re.compile(r"[\"“”]")


@cache
def _cue(verbs: tuple[str, ...] = UNMARKED.verbs) -> re.Pattern[str]:
    """", ujar Budi" / ", kata dia" / ", tuturnya.": a closing attribution verb after a comma; its
    -nya form only right before punctuation ("katanya ada tamu" reports hearsay)."""
    return re.compile(r",\s+(?:" + literal_union(list(verbs)) + r")(?:nya(?=[.,])|\b(?!nya))")


def _closes_sentence(text: str, at: int, config: UnmarkedConfig) -> bool:
    """Does the attribution starting at `at` end its sentence with a period, without going on with
    another clause after a comma?"""
    tail = text[at:at + config.attribution_chars]
    stop = re.search(r"[.!?\n]", tail)
    return bool(stop) and tail[stop.start()] == "." and not _GOES_ON.search(tail, 0, stop.start())


def unmarked_spans(text: str, marked: list[Span], config: UnmarkedConfig = UNMARKED) -> list[Span]:
    """First-person sentence runs closed by an attribution verb outside every marked quote, as Spans
    whose `end` is the end of the quoted words (the attribution follows it)."""
    starts = [sp.start for sp in marked]
    out: list[Span] = []
    floor = 0  # an unmarked quote never reaches back over the one before it
    for m in _cue(config.verbs).finditer(text):
        end = m.start()
        k = bisect_right(starts, end) - 1
        if (k >= 0 and marked[k].end >= end - 1) or _MARK.search(text, max(floor, end - 2), end):
            continue  # inside or right after a marked quote: quote_spans' business
        at = max(floor, end - config.window)
        if not _FIRST_PERSON.search(text, at, end) or not _closes_sentence(text, m.end(), config):
            # no first person within reach (indirect speech), or a mid-sentence
            # attribution
            continue
        bounds = [b.end() for b in _BOUNDARY.finditer(text, at, end)]
        if at == 0:
            bounds.insert(0, 0)
        if not bounds:
            continue
        sentences = [(s, e) for s, e in zip(bounds, [*bounds[1:], end], strict=True) if e > s]
        if not sentences:
            continue
        run = [sentences[-1]]
        for s, e in reversed(sentences[:-1]):
            if len(run) >= config.max_sentences:
                break
            chunk = text[s:e]
            if _MARK.search(chunk) or _cue(config.verbs).search(chunk):
                break
            if not (_FIRST_PERSON.search(chunk) or _CONTINUES.match(text, run[0][0])):
                break
            run.insert(0, (s, e))
        s0 = run[0][0]
        words = text[s0:end]
        if (
            _MARK.search(words)
            or not _FIRST_PERSON.search(words)
            or len(words.split()) < config.min_words
        ):
            continue
        out.append(Span(s0, end, " ".join(words.split()).strip(" ,.")))
        floor = m.end()
    return out
