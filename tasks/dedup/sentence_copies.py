"""Sentence-level copy links: article copies found sentence by sentence, whatever the paragraph
breaks.

Contract, in domain words:
- An export that lost its paragraph breaks holds an article as one long paragraph, so the paragraph
  copy links (dedup/paragraphs) cannot see that it copies another outlet's paragraphed article, nor
  that two such exports carry the same wire text. Sentences do not depend on the breaks: every body
  paragraph is cut into sentences (`split_sentences`), each sentence of `min_words`+ words is keyed
  by its normalised words (case and punctuation aside), and a sentence held by several articles is
  first published in the earliest of them.
- An article copies an earlier one, sentence-wise, on the same rule as paragraph copies
  (`tasks/dedup/article_copies.py`): at least `partial_share` of its body words are in sentences the
  earlier article also has, from three such sentences (`min_paragraphs` keys) and `min_shared_words`
  words (`SENTENCE_COPIES`); a rewritten lead or ending leaves a partial copy with its share. One
  shared stock sentence ("Hal itu disampaikan ...") or a shared quote makes no copy.
- Sentences only match when their words are the same: an edited number or a typo loses that one
  sentence (near copies are the paragraph MinHash's job); dedup keeps, per article, the larger of
  the two shares.

Cost: the cut and the keys are vectorised polars string operations over the body text of the output
pass (no per-sentence Python); what is held until the end is 12 bytes a sentence (a 56-bit key with
the word count in its low byte, and the article rank), about 200 bytes an article of 17 such
sentences, and only the sentences held by two or more articles go on to the joins.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl

from tasks.dedup.article_copies import CopyConfig, article_copies

# shorter sentences ("Hal itu dikatakan Budi.") are too common to say who copied whom
MIN_SENTENCE_WORDS = 8
# six shared keys: three sentences (two keys each, a head and a tail), about one and a half
# paragraphs
SENTENCE_COPIES = CopyConfig(min_paragraphs=6)
KEY_SEED = 20261201
ANCHOR_WORDS = 8  # a sentence is keyed by its first and by its last 8 words
KEY_PARTS = 8  # slices of the key space the shared sentences are found in, one at a time

# Abbreviations whose period ends no sentence before a capitalised word (titles, street, currency,
# company
# forms); a single capital letter with a period is an initial ("B. J. Habibie").
ABBREVIATIONS = (
    "dr",
    "drs",
    "dra",
    "ir",
    "prof",
    "hj",
    "kh",
    "jl",
    "jln",
    "no",
    "rp",
    "st",
    "pt",
    "tbk",
    "cv",
    "sdr",
    "bpk",
    "mr",
    "mrs",
    "ms",
    "dkk",
    "dll",
    "dsb",
    "tsb",
    "kec",
    "kab",
    "kel",
    "gg",
    "vs",
    "s.h",
    "s.e",
    "m.si",
    "jr",
    "sr",
    "inc",
    "co",
    "ltd",
    "kol",
    "brigjen",
    "kompol",
    "akbp",
    "ipda",
    "iptu",
    "aiptu",
    "bripka",
    "mayjen",
    "letjen",
    "irjen",
    "kombes",
    "sgt",
)
_ABBR = "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
# ONE DOT LEADER stands in for a period that ends no sentence while the text is cut
_HOLD = "\u2024"
# an abbreviation (any case) or an initial before its period; word boundaries and case folding are
# ASCII's
# (an abbreviation is ASCII), which keeps the pattern fast in polars
_PROTECT = rf"(?-u:\b)(?:(?i-u:({_ABBR}))|(\p{{Lu}}))\."
# a sentence end: . ! ? (with closing quotes or brackets) before the next sentence's capital letter,
# the
# next sentence's opening quote, or nothing at all between them (the "...baterai.Sebuah ..." of a
# lost break)
_END = r"([.!?…]+[\"'”’)\]]*)\s*([\"'“‘(]?\p{Lu})"
_SPLIT_MARK = "\n"
# tasks/text.py's: what replace_all(r"[\W_]+", " ") changes, only
_NON_WORD_RUN = r"[\W_]{2,}|[^\w ]|_"
_HEAD = rf"^(?:\S+ ){{0,{ANCHOR_WORDS - 1}}}\S+"
_TAIL = rf"\S+(?: \S+){{0,{ANCHOR_WORDS - 1}}}$"

# the same patterns for Python's re, which has no \p{Lu}: the capital letter is checked by
# str.isupper
_PROTECT_RE = re.compile(r"(?a:\b)(?:(?ai:(" + _ABBR + r"))|(\w))\.")
_END_RE = re.compile(r"([.!?…]+[\"'”’)\]]*)\s*([\"'“‘(]?)(\w)")


def split_sentences(text: str) -> list[str]:
    """The sentences of a paragraph, as written (the readable rule; `sentence_keys` is its
    vectorised twin).

    A sentence ends at a period, question or exclamation mark (with any closing quote or bracket)
    when the next sentence opens with a capital letter or an opening quote, spaced or glued on. A
    period after an abbreviation (`ABBREVIATIONS`) or a single capital letter (an initial) ends
    nothing."""
    held = _PROTECT_RE.sub(lambda m: m.group(0) if m.group(2) and not m.group(2).isupper()
                           else (m.group(1) or m.group(2)) + _HOLD, text)
    cut = _END_RE.sub(
        lambda m: (
            m.group(1) + _SPLIT_MARK + m.group(2) + m.group(3)
            if m.group(3).isupper()
            else m.group(0)
        ),
        held,
    )
    return [s.replace(_HOLD, ".").strip() for s in cut.split(_SPLIT_MARK) if s.strip()]


def normalise(sentence: str) -> str:
    """A sentence's words, lower case, punctuation and spacing aside (what two copies share)."""
    return re.sub(r"[\W_]+", " ", sentence.lower()).strip()


def sentences_expr(text: str | pl.Expr) -> pl.Expr:
    """The sentences of each text (a list column), cut as split_sentences cuts them (not
    normalised)."""
    e = pl.col(text) if isinstance(text, str) else text
    held = e.str.replace_all(_PROTECT, "${1}${2}" + _HOLD)
    return held.str.replace_all(_END, "${1}" + _SPLIT_MARK + "${2}").str.split(_SPLIT_MARK)


def normalise_expr(e: pl.Expr) -> pl.Expr:
    """normalise over a column of sentences, vectorised."""
    return e.str.to_lowercase().str.replace_all(_NON_WORD_RUN, " ").str.strip_chars()


def sentence_keys(art: np.ndarray, text: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """(key, art) for every sentence of MIN_SENTENCE_WORDS+ words in the texts (one per body
    paragraph, art its article rank): two keys a sentence, a 64-bit hash of its first ANCHOR_WORDS
    words and one of its last ANCHOR_WORDS (tagged apart), each carrying half the sentence's words
    in its low byte (capped at 255). A copy with the same words holds both keys; one edited near its
    end or start still holds one (half the sentence counts as shared), so light edits lose a
    sentence gradually, as word n-gram containment does. Keys are compared within one run only
    (never stored)."""
    df = (pl.DataFrame({"art": art.astype(np.int32), "t": text})
          .select("art", sentences_expr("t").alias("s")).explode("s")
          .select("art", normalise_expr(pl.col("s")).alias("s"))
          .with_columns(nw=pl.col("s").str.count_matches(" ", literal=True) + 1)
          .filter(pl.col("nw") >= MIN_SENTENCE_WORDS))
    if not df.height:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32)
    keys = df.select(pl.col("s").str.extract(_HEAD, 0).hash(seed=KEY_SEED).alias("h"),
                     pl.col("s").str.extract(_TAIL, 0).hash(seed=KEY_SEED + 1).alias("t"))
    nw = df["nw"].to_numpy().astype(np.int64)
    low = np.uint64(0xFF)
    hk = (keys["h"].to_numpy() & ~low) | np.minimum(nw // 2, 255).astype(np.uint64)
    tk = (keys["t"].to_numpy() & ~low) | np.minimum(nw - nw // 2, 255).astype(np.uint64)
    return np.stack([hk, tk], axis=1).reshape(-1), np.repeat(df["art"].to_numpy(), 2)


def _held_twice(key: np.ndarray, art: np.ndarray, parts: int | None = None
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentence keys held by two or more articles, sorted by key then article: (key, art,
    first), first the row of the key's earliest holder. Worked out one slice of the key space at a
    time (by the key's top bits, so the slices come out in key order): the sort's working arrays
    are a slice's, not the corpus's."""
    parts = KEY_PARTS if parts is None else parts
    bits = (parts - 1).bit_length()  # parts: a power of two
    part = ((key >> np.uint64(64 - bits)) if bits else np.zeros(len(key), np.uint64)
            ).astype(np.uint8)
    ks, as_, fs = [], [], []
    n_kept = 0
    for p in range(parts):
        sel = np.flatnonzero(part == p)
        kp, ap = key[sel], art[sel]
        del sel
        o = np.lexsort((ap, kp))  # by sentence, then earliest article first
        kp, ap = kp[o], ap[o].astype(np.int64)
        del o
        new = np.ones(len(kp), bool)
        new[1:] = kp[1:] != kp[:-1]
        start = np.flatnonzero(new)
        group = np.cumsum(new) - 1
        del new
        first = start[group]  # row of the sentence's earliest holder
        shared = ap != ap[first]  # held by another, earlier article
        in_group = np.zeros(len(start), bool)
        in_group[group[shared]] = True
        idx = np.flatnonzero(in_group[group])  # only sentences two articles hold go on
        del group, shared, in_group, start
        ks.append(kp[idx])
        as_.append(ap[idx])
        fs.append(np.searchsorted(idx, first[idx]) + n_kept)
        n_kept += len(idx)
    return np.concatenate(ks), np.concatenate(as_), np.concatenate(fs)


def sentence_copies(key: np.ndarray, art: np.ndarray, body_w: np.ndarray, n_art: int,
                    cfg: CopyConfig = SENTENCE_COPIES) -> pl.DataFrame:
    """(art, dup_art, share, direction) for the articles that copy an earlier one sentence-wise
    (ranks: earliest published first); key/art from sentence_keys over the whole corpus, body_w
    each article's body words."""
    schema = {"art": pl.Int64, "dup_art": pl.Int64, "share": pl.Float32, "direction": pl.String}
    if not len(key):
        return pl.DataFrame(schema=schema)
    k, a, first = _held_twice(key, art)
    if not len(k):
        return pl.DataFrame(schema=schema)
    again = np.zeros(len(k), bool)  # the same sentence twice in one article: counted once
    again[1:] = (k[1:] == k[:-1]) & (a[1:] == a[:-1])
    root = np.arange(len(k))
    scope = np.zeros(len(k), np.int8)
    cross = a != a[first]
    root[cross] = first[cross]
    scope[cross] = 1
    words = (k & np.uint64(0xFF)).astype(np.int64)
    return article_copies(a, words, root, scope, ~again, n_art, cfg, body_w=body_w)
