"""The shared text helpers (tasks/text.py) and their fast twins (tasks/text_fast.py): glued-text
splitting equals the look-behind regexes it replaces, the first-character guards and literal
pre-filters never change what a pattern matches, and the vectorised normalisation equals the
per-string one.
"""

from __future__ import annotations

import re

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tasks.extract import extract, fast
from tasks.text import (
    fold,
    looks_comma_joined,
    split_glued_commas,
    split_glued_sentences,
    split_lines,
)
from tasks.text_fast import (
    LiteralPrefilter,
    first_char_guard,
    literal_union,
    nfkc_expr,
    required_literals,
)

# the look-behind regexes that split_glued_commas / split_glued_sentences replace
# a closing quote after one comma: no cut
REF_COMMA = re.compile(
    r",{2,}|(?<=[.!?]),(?=[^\s\d,])|,(?=[^\s\d,])(?!”)(?![\"'](?:[\s.,;:!?)]|$))"
)
REF_SENTENCE = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[A-Z\"“])|(?<=[.!?][\"”])(?=[A-Z])")
# U+0661 is a digit to \d, U+3000 a space to \s
GLUED = st.text(alphabet="aZ9%)., !?\"“”'\n\u00a0\u2009x\u0661\u3000é", max_size=80)


@settings(max_examples=500, deadline=None)
@given(GLUED)
def test_glued_text_splits_like_the_lookbehind_regexes(text: str) -> None:
    assert split_glued_commas(text) == REF_COMMA.split(text)
    assert split_glued_sentences(text) == REF_SENTENCE.split(text)


def _split_lines_plain(text: str) -> list[tuple[int, str]]:
    """split_lines without its one-scan shortcut: every comma-split part through
    split_glued_sentences."""
    lines = text.split("\n")
    if not (len(lines) <= 2 and len(text) > 150):
        return split_lines(text)
    pieces = [
        p
        for ln in lines
        for part in (REF_COMMA.split(ln) if looks_comma_joined(ln) else [ln])
        for p in REF_SENTENCE.split(part)
    ]
    return [(i, p.strip(" ,\t")) for i, p in enumerate(pieces) if p.strip(" ,\t")]


@settings(max_examples=300, deadline=None)
@given(GLUED, GLUED)
def test_glued_lines_split_like_every_part_split_on_its_own(head: str, tail: str) -> None:
    text = head + ",Budi pergi ke pasar." * 8 + tail  # long enough for the glued-text path
    assert split_lines(text) == _split_lines_plain(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.text(alphabet="Ab1 ,.é“ﬁ①\u00a0\u3000Σ\u0301", max_size=12)),
        max_size=12,
    )
)
def test_nfkc_of_a_column_equals_unicodedata_on_every_string(values: list[str | None]) -> None:
    import unicodedata

    got = (
        pl.DataFrame({"t": values}, schema={"t": pl.String})
        .select(nfkc_expr(pl.col("t")))["t"]
        .to_list()
    )
    assert got == [None if v is None else unicodedata.normalize("NFKC", v) for v in values]


GUARDED = [
    r"(?i:\b(?:dilansir(?:\s+dari)?|(?:seperti\s+)?dikutip|kantor\s+berita))\s+(?P<src>[A-Z]\w*)",
    r"(?:kata|ujar)(?:nya)?\s+\w+",
    r"\bKata\b|[xyz]+q",
    r"(?i)kelvin|strasse",
]
GUARD_TEXT = st.text(alphabet="dDkKsSxyzqKſ \n" + "ilansrtbeuja", max_size=60)


@given(GUARD_TEXT)
@settings(max_examples=300, deadline=None)
def test_first_char_guard_never_changes_the_matches(text: str) -> None:
    for pattern in GUARDED:
        plain, guarded = re.compile(pattern), re.compile(first_char_guard(pattern))
        assert guarded.pattern != pattern  # each of these has a known first character set
        assert [m.span() for m in guarded.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]


def test_first_char_guard_leaves_patterns_it_cannot_analyse_alone() -> None:
    for pattern in (r"\w+ kata", r"(?<=x)y", r"(?:a)?", r"[^a]b", "x*"):
        assert first_char_guard(pattern) == pattern


def test_fold_gives_every_character_re_ignorecase_matches_the_fold_of_what_it_matches() -> None:
    """The literal pre-filter is exact only if re.I-equal characters fold alike: checked on every
    code point against every character the extract rules' required literals use, and every ASCII
    letter."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = set("abcdefghijklmnopqrstuvwxyz") | {
        c for w in fast._citing_prefilter().words or () for c in w
    }
    for p in sorted(letters):
        for m in re.finditer(re.escape(p), every, re.I):
            assert fold(m.group()) == fold(p), (p, hex(ord(m.group())))
    assert fold("Dİlansır KANTOR ſiarkan") == "dilansir kantor siarkan"


PREFILTERED = [
    extract._citing_regex().pattern,
    r"(?i)menurut\s+laporan|kantor\s+berita",
    r"(?:kata|ujar)(?:nya)?\s+\w+\s+kepada",
    r"ab(?:cd)+e|x(?=y)z",
    r"\bKata\b|[xyz]+q",
]
PREFILTER_TEXT = st.text(
    alphabet="dDkKsSxyzqKſİı \n" + "ilansrtbeujapdkou" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=60
)
PREFILTER_WORDS = st.lists(
    st.sampled_from(
        [
            "dilansir",
            "Dilansir",
            "DİLANSIR",
            "kantor",
            "berita",
            "KANTOR",
            "Berita",
            "menurut",
            "laporan",
            "kata",
            "kepada",
            "ujarnya",
            "Reuters",
            "AFP",
            "ab",
            "cd",
            "abcde",
            "xz",
            "xyz",
            "Kata",
            "q",
            " ",
            ",",
            "\n",
        ]
    ),
    max_size=20,
).map("".join)


@given(st.one_of(PREFILTER_TEXT, PREFILTER_WORDS))
@settings(max_examples=500, deadline=None)
@example("Dİlansir Reuters")  # dotted capital I: re.I matches it against i
@example("kantor berıta Antara")  # dotless i
@example("diſiarkan oleh Kantor")  # long s
def test_literal_prefilter_passes_every_text_the_pattern_matches(text: str) -> None:
    for pattern in PREFILTERED:
        maybe = LiteralPrefilter(pattern)
        if re.search(pattern, text):
            assert maybe(text), (pattern, text)
        _assert_vectorised_prefilter_agrees(maybe, text)


def _assert_vectorised_prefilter_agrees(maybe: LiteralPrefilter, text: str) -> None:
    assert pl.select(maybe.expr(pl.lit(text, dtype=pl.String))).item() == maybe(text), text


CASE_SENSITIVE = [
    r"Kata\s+dia|kantor berita",
    r"ab(?:cd)+e",
    r"x(?i:Yz)q",
    r"(?i)Kata",
    r"(?-i:Ab)c",
]
CASE_WORDS = st.lists(
    st.sampled_from(
        [
            "Simak",
            "Video",
            "video",
            ": ",
            '"',
            "[Gambas:",
            "[gambas:",
            "Video 20detik]",
            "]",
            "Kata",
            "kata",
            " ",
            "dia",
            "kantor berita",
            "Kantor Berita",
            "ab",
            "cd",
            "e",
            "x",
            "yz",
            "YZ",
            "q",
            "Ab",
            "ab",
            "c",
            "\n",
        ]
    ),
    max_size=20,
).map("".join)


@given(CASE_WORDS)
@settings(max_examples=500, deadline=None)
@example("Simak Video \"Banjir\" [Gambas:Video 20detik]")
def test_case_sensitive_prefilter_passes_every_text_the_pattern_matches(text: str) -> None:
    from tasks.clean.clean import _tail_rules

    checks = [(r.regex, maybe) for r, maybe in _tail_rules()]
    checks += [(re.compile(p), LiteralPrefilter(p)) for p in CASE_SENSITIVE]
    for regex, maybe in checks:
        if regex.search(text):
            assert maybe(text), (regex.pattern, text)
        _assert_vectorised_prefilter_agrees(maybe, text)


def test_prefilter_checks_case_sensitive_patterns_as_written() -> None:
    plain = LiteralPrefilter(r"\[Gambas:[^\]]{0,40}\]")
    assert not plain.folded and plain.words == frozenset({"[Gambas:"})
    assert plain("x [Gambas:Video] y") and not plain("x [gambas:video] y")
    assert LiteralPrefilter(r"x(?i:Yz)q").folded and LiteralPrefilter("kata", re.I).folded


def test_required_literals_of_citing_phrases_and_patterns_without_any() -> None:
    words = required_literals(extract._citing_regex().pattern)
    assert words is not None and {"kepada", "menurut", "dilansir", "mengutip"} <= words
    assert required_literals(r"(?i)ab(?:cd|e)?f+g") == frozenset({"ab"})
    for pattern in (r"x*", r"\w+", r"a|\d", r"(?:abc)?"):
        assert required_literals(pattern) is None
        assert LiteralPrefilter(pattern)("anything")


UNION_WORDS = [
    "Jawa",
    "Jawa Barat",
    "Jakarta",
    "Jakarta Selatan",
    "AP",
    "AP News",
    "Antara",
    "KPK",
    "K",
    "berkata",
    "bertanya",
    "mengatakan",
    "menyebut",
    "menyebutkan",
    "kata",
]
UNION_TEXT = st.lists(
    st.sampled_from([*UNION_WORDS, " ", "-", "x", "Non", "\n", ",", "nya", "é", "_", "1"]),
    max_size=25,
).map("".join)


@given(UNION_TEXT)
@settings(max_examples=500, deadline=None)
@example("NonJakarta Jakarta-x Jakarta Selatan")
@example("menyebutkannya, AP Newsx AP")
def test_literal_union_matches_what_the_sorted_alternation_matches(text: str) -> None:
    plain = "|".join(re.escape(w) for w in sorted(UNION_WORDS, key=len, reverse=True))
    for not_after, end in (("", ""), (r"[\w-]", r"(?![\w-])")):
        guard = f"(?<!{not_after})" if not_after else ""
        ref = re.compile(f"{guard}(?:{plain}){end}")
        union = re.compile(literal_union(UNION_WORDS, not_after=not_after) + end)
        assert [m.span() for m in union.finditer(text)] == [m.span() for m in ref.finditer(text)]
        assert bool(union.match(text)) == bool(ref.match(text))


@given(st.text(alphabet="ab1 _,.-\n\t\u00a0é\u0301Σ", max_size=40))
@settings(max_examples=400, deadline=None)
@example("a  b, c_d ,e")
def test_norm_key_expr_equals_replacing_every_non_word_run(text: str) -> None:
    from tasks.text_fast import nfkc_expr, norm_key_expr

    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.String})
    plain = (
        nfkc_expr(pl.col("t")).str.to_lowercase().str.replace_all(r"[\W_]+", " ").str.strip_chars()
    )
    assert frame.select(norm_key_expr("t")).item() == frame.select(plain).item()
