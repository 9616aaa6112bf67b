"""extract's fast twins (tasks/extract/fast.py) equal their plain versions
(tasks/extract/extract.py, the specification): person candidates, mentions and quotes, the
cited-source and foreign-paragraph pre-checks, the prefix word counts and languages.
"""

from __future__ import annotations

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.clean_eval.score import load_gold
from tasks.extract import extract, fast

TOKENS = [
    "Budi",
    "Santoso",
    "Joko",
    "Widodo",
    "Presiden",
    "Menteri",
    "Jakarta",
    "Polri",
    "RCTI",
    "bin",
    "kata",
    "mengatakan",
    "ujarnya",
    "menurut",
    "berkata",
    "seorang",
    ", seorang",
    "dan",
    "yang",
    "di",
    '"',
    "“",
    "”",
    ",",
    ".",
    " ",
    "  ",
    "\n",
    "\u00a0",
    "Kamis",
    "Ke-3",
    "al",
    "x" * 30,
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(TOKENS), max_size=60),
    st.lists(st.sampled_from(TOKENS[:4]), max_size=3),
)
@example(["Budi", "x" * 30, "mengatakan"], [])  # the speech verb just past the 40-character window
@example(["Budi", "x" * 30, "kata"], [])  # ... and just inside it
# runs at the window's edge
@example(["Joko", "Widodo", "x" * 30, "Budi", "x" * 9, "mengatakan"], ["Budi"])
def test_person_and_mention_scans_equal_the_plain_versions(
    tokens: list[str], persons: list[str]
) -> None:
    text = " ".join(tokens).replace(" ,", ",")
    want = extract.person_candidates(text)
    assert fast._person_candidates(text, None) == want
    # the chunk's vectorised pre-check
    assert fast.person_candidates_batch([text, text]) == [want, want]
    assert fast.mentions(text, persons) == extract.mentions(text, persons)


QUOTE_TOKENS = [
    *TOKENS,
    '"Kami siap bekerja keras',
    '" kata dia.',
    "“Harga naik lagi,” ujarnya.",
    "katanya",
    "jelas Budi",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(QUOTE_TOKENS), max_size=25), max_size=5),
    st.lists(st.sampled_from(TOKENS[:4]), max_size=3),
)
@example(
    [["Budi", "Santoso", "mengatakan", "banjir", "datang."], ["“Harga naik lagi,” ujarnya."]], []
)
def test_quotes_equal_the_plain_version_that_finds_every_mention(
    paragraphs: list[list[str]], persons: list[str]
) -> None:
    texts = [(i, " ".join(tokens).replace(" ,", ",")) for i, tokens in enumerate(paragraphs)]
    assert fast.quotes(texts, persons) == extract.quotes(texts, persons)


def test_quotes_on_real_articles_equal_the_plain_version() -> None:
    for a in load_gold():
        paragraphs = list(enumerate(a["units"]))
        persons = sorted({p for _, t in paragraphs for p in extract.person_candidates(t)})
        assert fast.quotes(paragraphs, persons) == extract.quotes(paragraphs, persons)


def test_source_and_gazetteer_regexes_keep_whole_word_matching() -> None:
    assert [m.group() for m in extract._source_regex().finditer("kata Reuters, bukan PreReuters "
                                                                "atau Reuters-x")] == ["Reuters"]
    assert [
        m.group() for m in extract._gazetteer_regex().finditer("di Jakarta dan NonJakarta")
    ] == ["Jakarta"]


PREFIX_TOKENS = [
    "the",
    "The",
    "THE",
    "of",
    "is",
    "yang",
    "YANG",
    "dan",
    "di",
    "Dİ",
    "İs",
    "\u212a",
    "ſ",
    "Σ",
    "ß",
    "ﬁ",
    "é",
    "😀",
    "2",
    "-",
    ",",
    "\n\n",
    " ",
    "x" * 40,
]


@given(st.lists(st.lists(st.sampled_from(PREFIX_TOKENS), max_size=400).map(" ".join), max_size=6))
@settings(max_examples=200, deadline=None)
@example(["di " * 500 + "the"])  # a word cut by the prefix's end
def test_prefix_word_counts_equal_python_counts_of_each_prefix(bodies: list[str]) -> None:
    want = [extract.function_word_counts(b[:extract.LANG_PREFIX_CHARS]) for b in bodies]
    assert fast.prefix_word_counts(bodies) == want
    assert fast.languages(bodies) == [extract.language(b) for b in bodies]


def test_quotes_ignore_mentions_after_the_last_quote_without_changing_results() -> None:
    paras = [(0, "Menurut Budi Santoso, acara itu ramai."), (1, "\"Kami sangat siap menghadapi "
                                                                "ini,\" ujarnya."),
             (2, "Joko Widodo mengatakan hal lain."), (3, "Tidak ada kutipan di sini.")]
    for quotes in (fast.quotes, extract.quotes):
        q = quotes(paras, ["Budi Santoso", "Joko Widodo"])
        assert [(x["paragraph_index"], x["speaker"]) for x in q] == [(1, "Budi Santoso")]
        assert quotes(paras[2:], ["Joko Widodo"]) == []


SOURCE_TOKENS = [
    "dilansir",
    "Dilansir",
    "dari",
    "kantor berita",
    "Reuters",
    "AFP",
    "AP",
    "AP News",
    "Antara",
    "ANTARA",
    "menurut",
    "Kompas.com",
    "mengutip",
    "Xinhua",
    "Kamis",
    "yang",
    "berita",
    ",",
    ".",
    " ",
    "é",
    "İ",
]


@given(st.lists(st.lists(st.sampled_from(SOURCE_TOKENS), max_size=12).map(" ".join), max_size=4))
@settings(max_examples=300, deadline=None)
@example(["Dilansir dari Reuters, harga naik.", "Kata dia, AP News melaporkan."])
def test_cited_sources_with_vectorised_prechecks_equal_the_plain_scan(
    paragraphs: list[str],
) -> None:
    texts = pl.Series(paragraphs, dtype=pl.String).to_frame("t")
    cites = texts.select(fast.may_cite(pl.col("t"))).to_series().to_list()
    names = texts.select(fast.may_name_source(pl.col("t"))).to_series().to_list()
    want = extract.cited_sources(paragraphs, "Antara")
    assert fast.cited_sources(paragraphs, "Antara", cites, names) == want
    assert fast.cited_sources(paragraphs, "Antara") == want


FOREIGN_TOKENS = [
    "the",
    "The",
    "THE",
    "of",
    "and",
    "is",
    "in",
    "to",
    "yang",
    "dan",
    "di",
    "ini",
    "itu",
    "dengan",
    "program",
    "harga",
    "naik",
    "the2",
    "xthe",
    "Kthe",
    "İs",
    "é",
    "-",
    ",",
    ".",
    "\n",
    "ſ",
]


@given(st.lists(st.lists(st.sampled_from(FOREIGN_TOKENS), max_size=30).map(" ".join), max_size=5))
@settings(max_examples=300, deadline=None)
@example(["the program is in the city and the people of the town", "harga naik di pasar"])
@example(
    ["The Program Is In The City And The People Of The Town", "THE TEAM IS AT THE TOP OF THE TABLE"]
)
def test_foreign_paragraphs_with_the_english_precheck_equal_counting_every_paragraph(
    paragraphs: list[str],
) -> None:
    english = pl.Series(paragraphs, dtype=pl.String).to_frame("t").select(
        fast.may_hold_english(pl.col("t"))).to_series().to_list()
    for lang in ("id", "en", None, "de"):
        plain = extract.foreign_paragraphs(paragraphs, lang)
        assert plain == sum(extract.looks_foreign(t, lang) for t in paragraphs)
        assert fast.foreign_paragraphs(paragraphs, lang, english) == plain, lang
