"""Fast paths give exactly what the plain implementation gives.

Speed-ups that replace a simple implementation (ftfy on every text, one Python regex call per line and rule,
look-behind regexes for glued text) are checked against that implementation, on real-looking lines and on
random text.
"""

from __future__ import annotations

import re

import ftfy
import ftfy.fixes
import numpy as np
import polars as pl
import xxhash
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.clean_eval.score import load_gold
from tasks import dedup, extract
from tasks.clean import _CAPTION, line_rule_column, match_line_rule, prepare_lines, squash_expr
from tasks.ingest import _FTFY_MAY_CHANGE, fix_text
from tasks.text import (
    LiteralPrefilter,
    first_char_guard,
    fold,
    literal_union,
    looks_comma_joined,
    nfkc_expr,
    required_literals,
    split_glued_commas,
    split_glued_sentences,
    split_lines,
    squash,
)

SAFE = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n“”‘’–—…•°"
# the look-behind regexes that split_glued_commas / split_glued_sentences replace
REF_COMMA = re.compile(r",{2,}|(?<=[.!?]),(?=[^\s\d,])|,(?=[^\s\d,])(?!”)(?![\"'](?:[\s.,;:!?)]|$))")  # a closing quote after one comma: no cut
REF_SENTENCE = re.compile(r"(?<=[a-z0-9%)][.!?])(?=[A-Z\"“])|(?<=[.!?][\"”])(?=[A-Z])")
GLUED = st.text(alphabet="aZ9%)., !?\"“”'\n\u00a0\u2009x\u0661\u3000é", max_size=80)  # U+0661 is a digit to \d, U+3000 a space to \s


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, normalization=None, fix_line_breaks=False, uncurl_quotes=False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=SAFE, max_size=400))
def test_ingest_fast_path_returns_what_ftfy_returns(text: str) -> None:
    assert fix_text(text) == _ftfy(text)
    if "&" not in text:
        assert not _FTFY_MAY_CHANGE.search(text)  # the fast path is taken


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="&#;ampltgAMPEACUTEx09 R\n“é", max_size=60))
@example("Riset R&D PT A&B Tbk &amp; anak usaha")
@example("Harga &lt;Rp 5.000&gt; &#8220;x&#8221; &nbsp &NTILDE; &nTILDE;")
def test_ampersands_that_are_no_html_entity_skip_ftfy_and_give_what_ftfy_gives(text: str) -> None:
    assert fix_text(text) == _ftfy(text)
    if "é" not in text and not ftfy.fixes.HTML_ENTITY_RE.search(text):
        assert not _FTFY_MAY_CHANGE.search(text)  # the fast path is taken


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \r\n\u00a0\u2000\u2005\u200a\u200b\u200c\u00ad\ufeff\u3000\u202f\u2060é\x00\x07", max_size=60))
def test_normalised_text_equals_the_plain_replacements(text: str) -> None:
    from tasks.ingest import normalise_text

    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    plain = re.sub("[\u00a0\u2007\u202f\u2000-\u200a\u3000]", " ", re.sub("[\u200b\u200c\u200d\u2060\ufeff\u00ad]", "", plain))
    assert normalise_text(text) == plain


def test_mojibake_and_entities_still_go_through_ftfy() -> None:
    assert fix_text("Presiden mengatakan â€œkami siapâ€\x9d di Jakarta") == "Presiden mengatakan “kami siap” di Jakarta"
    assert fix_text("Kopi &amp; teh") == "Kopi & teh"
    assert fix_text("Kopi & teh &#8220;x&#8221;") == "Kopi & teh “x”"
    assert fix_text("SchÃ¶n") == "Schön"


@settings(max_examples=500, deadline=None)
@given(GLUED)
def test_glued_text_splits_like_the_lookbehind_regexes(text: str) -> None:
    assert split_glued_commas(text) == REF_COMMA.split(text)
    assert split_glued_sentences(text) == REF_SENTENCE.split(text)


def _split_lines_plain(text: str) -> list[tuple[int, str]]:
    """split_lines without its one-scan shortcut: every comma-split part through split_glued_sentences."""
    lines = text.split("\n")
    if not (len(lines) <= 2 and len(text) > 150):
        return split_lines(text)
    pieces = [p for ln in lines for part in (REF_COMMA.split(ln) if looks_comma_joined(ln) else [ln])
              for p in REF_SENTENCE.split(part)]
    return [(i, p.strip(" ,\t")) for i, p in enumerate(pieces) if p.strip(" ,\t")]


@settings(max_examples=300, deadline=None)
@given(GLUED, GLUED)
def test_glued_lines_split_like_every_part_split_on_its_own(head: str, tail: str) -> None:
    text = head + ",Budi pergi ke pasar." * 8 + tail  # long enough for the glued-text path
    assert split_lines(text) == _split_lines_plain(text)


def _real_lines() -> list[str]:
    return [ln for a in load_gold() for u in a["units"] for _, ln in split_lines(u)]


RULE_EXAMPLES = {  # a line each rule matches (first in file order), and body sentences that none match
    "site_name": "kompas.com", "embed_residue": "\" tulis akun. \"", "related_heading": "BERITA TERKAIT",
    "related_single": "Terpopuler",
    "google_news": "Baca konten menarik lainnya dari Kompas.com di Google News",
    "follow_prompt": "Jangan lupa ikuti akun kami di Instagram ya", "update_prompt": "Dapatkan update berita di Telegram",
    "ikuti_kami": "Ikuti kami di semua media", "share": "Bagikan artikel ini", "share_buttons": "Facebook, Twitter",
    "advertisement": "ADVERTISEMENT", "video_prompt": "Simak video berikut ini", "copyright": "Copyright © 2024 Detik",
    "editor_credit": "Redaktur: Irwina", "author_credit": "Penulis: Budi Santoso", "source_credit": "Sumber: Antara",
    "byline_oleh": "oleh Zhao Fenghua dan Rong Yu", "outlet_promo": "Yuk segera daftarkan dirimu di acara kami",
    "glued_caption": "Hasil MotoGPFoto: dok. Internet", "photo_credit": "(Foto: Antara/Hafidz)", "pagination": "Halaman 2",
    "teaser_question": "Ingin baca update berita terkini? Gabung channel kami",
    "channel_promo": "Klik di sini untuk masuk WhatsApp Channel Kompas.com", "app_download": "Install aplikasi Kompas gratis",
    "next_page": "Simak berita selengkapnya di halaman selanjutnya.",
    "channel_link": "Berita pilihan ada di WhatsApp Channel. Pilih di https://wa.me/x", "navigation": "Beranda", "english_template": "Leave a Comment", "tags_line": "Kata kunci: banjir", "empty_punct": "***",
}
BODY_LINES = ["Oleh karena itu, pemerintah akan menaikkan anggaran.", "“Kami tidak akan mundur,” kata Prabowo.",
              "Harga cabai naik di pasar Bogor pekan ini.", "Berita itu dibantah oleh polisi."]


def test_every_line_rule_has_an_example_the_vectorised_rules_agree_on() -> None:
    """Every rule is exercised (each on its own line, then in one column with body lines), so a fast path that
    skips a rule's lines shows here."""
    from tasks import rules

    assert set(RULE_EXAMPLES) == {r.name for r in rules.line_rules()}
    lines = [*RULE_EXAMPLES.values(), *BODY_LINES]
    assert [match_line_rule(x) for x in lines] == [*RULE_EXAMPLES, *[None] * len(BODY_LINES)]
    assert line_rule_column(pl.Series(lines, dtype=pl.String)).to_list() == [match_line_rule(x) for x in lines]
    for line in lines:
        assert line_rule_column(pl.Series([line], dtype=pl.String)).to_list() == [match_line_rule(line)]


def test_vectorised_line_rules_equal_the_python_rules_on_real_lines() -> None:
    lines = [squash(x) for x in _real_lines()] + [
        "Baca juga: Harga Cabai Naik", "Editor: Andi", "ADVERTISEMENT", "kompas.com", "Halaman 2 dari 3", "***",
        "Ikuti kami di Google News", "Copyright © 2024 Detik", "Oleh Budi Santoso dan Sari", "Ini kalimat biasa.",
    ]
    got = line_rule_column(pl.Series(lines, dtype=pl.String)).to_list()
    assert got == [match_line_rule(x) for x in lines]
    assert sum(g is not None for g in got) >= 10  # the sample does exercise the rules


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="Baca juga:Foto.Editor ©xyz12\u00a0\u3000\x1c\t", max_size=40), max_size=8))
def test_vectorised_squash_rules_and_caption_equal_python(lines: list[str]) -> None:
    df = pl.DataFrame({"t": lines}, schema={"t": pl.String})
    squashed = df.select(squash_expr(pl.col("t")))["t"].to_list()
    assert squashed == [squash(x) for x in lines]
    rules = line_rule_column(pl.Series(squashed, dtype=pl.String)).to_list()
    assert rules == [match_line_rule(x) for x in squashed]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(alphabet="Ab1 ,.é“ﬁ①\u00a0\u3000Σ\u0301", max_size=12)), max_size=12))
def test_nfkc_of_a_column_equals_unicodedata_on_every_string(values: list[str | None]) -> None:
    import unicodedata

    got = pl.DataFrame({"t": values}, schema={"t": pl.String}).select(nfkc_expr(pl.col("t")))["t"].to_list()
    assert got == [None if v is None else unicodedata.normalize("NFKC", v) for v in values]


def test_caption_flags_equal_the_python_caption_pattern() -> None:
    """Only lines with a credit word go through the caption pattern: the flags still equal _CAPTION on every line."""
    lines = _real_lines() + ["Warga antre BBM di Jakarta. Foto: Antara/Budi", "Presiden meninjau lokasi (FOTO: Dok. Setpres)",
                             "Ilustrasi: Pixabay", "Foto: Budi", "Kata Foto.Itu bukan keterangan foto.", "x" * 500 + " Foto: A"]
    prepared = [x for art in prepare_lines(lines) for x in art]
    assert [x.caption for x in prepared] == [bool(_CAPTION.search(x.text)) for x in prepared]
    assert sum(x.caption for x in prepared) >= 2


def test_prepared_lines_carry_rule_caption_and_related_flags() -> None:
    (lines,) = prepare_lines(["Judul\n\nWarga antre BBM di Jakarta. Foto: Antara/Budi\n\nIsi berita. Baca juga: Lain\n\nEditor: Sari"])
    by_text = {x.text: x for x in lines}
    assert by_text["Warga antre BBM di Jakarta. Foto: Antara/Budi"].caption
    assert bool(_CAPTION.match("Warga antre BBM di Jakarta. Foto: Antara/Budi"))
    assert by_text["Isi berita. Baca juga: Lain"].related and not by_text["Judul"].related
    assert by_text["Editor: Sari"].rule == "editor_credit"


def test_prepared_flags_only_skip_work_never_change_the_result() -> None:
    """Cleaning with the caption/related pre-checks equals cleaning with every line sent through split_related."""
    from tasks.clean import clean_article

    texts = ["\n\n".join(a["units"]) for a in load_gold()] + [
        "Judul Berita\n\n\u00a0Budapest \u2013 Direktur utama menjelaskan alasan itu.\n\nParagraf kedua. Baca juga: Lain",
        # one glued line (scraper export) starting with a no-break space before the dateline
        "\u00a0Budapest \u2013 Direktur utama Bakti menjelaskan alasan mengapa satelit itu akan ditempatkan di atas "
        "Papua.,Menurut dia, lokasi itu paling tepat untuk menjangkau wilayah timur.,Proyek itu selesai pada 2023."]
    for text, lines in zip(texts, prepare_lines(texts), strict=True):
        forced = [x._replace(related=True, tail=True) for x in lines]
        assert clean_article(text, None, lines) == clean_article(text, None, forced)


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
        assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_first_char_guard_leaves_patterns_it_cannot_analyse_alone() -> None:
    for pattern in (r"\w+ kata", r"(?<=x)y", r"(?:a)?", r"[^a]b", "x*"):
        assert first_char_guard(pattern) == pattern


def _shingles_reference(text: str) -> list[int]:
    b = text.encode()
    k = dedup.SHINGLE_CHARS
    if 0 < len(b) < k:
        return [xxhash.xxh3_64_intdigest(b)]
    out = []
    for i in range(len(b) - k + 1):
        v = int.from_bytes(b[i: i + k], "big")
        out.append(((v * 0x9E3779B97F4A7C15) % 2**64) ^ 0x2545F4914F6CDD1D)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.lists(st.integers(0, 40), max_size=60))
def test_sorted_unique_equals_numpy_unique_also_on_two_sorted_runs(a: list[int], b: list[int]) -> None:
    x = np.array(a, np.int64)
    assert np.array_equal(dedup.sorted_unique(x), np.unique(x))
    runs = np.concatenate([np.unique(x), np.unique(np.array(b, np.int64))])  # how the dedup merges call it
    assert np.array_equal(dedup.sorted_unique(runs), np.union1d(a, b))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=80))
def test_stable_argsort_keeps_equal_keys_in_their_order(keys: list[int]) -> None:
    k = np.array(keys, np.uint64)
    for fast in (True, False):
        o, ks = dedup.stable_argsort(k, fast)
        assert np.array_equal(o, np.argsort(k, kind="stable")) and np.array_equal(ks, k[o])


def test_stable_argsort_falls_back_when_the_fast_sort_breaks_ties_out_of_order(monkeypatch) -> None:
    k = np.array([3, 1, 3, 1, 2, 3], np.uint64)
    unstable = np.lexsort((-np.arange(len(k)), k))  # ties in reverse order
    monkeypatch.setattr(pl.Series, "arg_sort", lambda self: pl.Series(unstable.astype(np.uint32)))
    o, ks = dedup.stable_argsort(k)
    assert o.tolist() == [1, 3, 4, 0, 2, 5] and ks.tolist() == [1, 1, 2, 3, 3, 3]


def _name_swapped_plain(a: str, b: str) -> bool:
    na, nb = set(dedup._NAME.findall(a)), set(dedup._NAME.findall(b))
    only_a = [x for x in na if not any(dedup._one_edit(x, y) for y in nb)]
    only_b = [y for y in nb if not any(dedup._one_edit(x, y) for x in na)]
    return bool(only_a) and bool(only_b)


NAMES = ["Budi", "Budy", "Bdui", "Santoso", "Sari", "Jakarta", "Jakrta", "Bandung", "Joko"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=5), st.lists(st.sampled_from(NAMES), max_size=5))
def test_name_swap_check_equals_the_all_pairs_version(xs: list[str], ys: list[str]) -> None:
    a, b = "kata " + " dan ".join(xs), "kata " + " dan ".join(ys)
    assert dedup._name_swapped(a, b) == _name_swapped_plain(a, b)


@given(st.lists(st.text(alphabet="ab é ", max_size=9), max_size=8))
@settings(max_examples=200, deadline=None)
def test_vectorised_shingle_hashes_equal_a_text_by_text_reference(keys: list[str]) -> None:
    toks, offsets = dedup.shingle_hashes(keys)
    got = [toks[offsets[i]: offsets[i + 1]].tolist() for i in range(len(keys))]
    assert got == [_shingles_reference(t) for t in keys]


# extract: the plain versions that person_candidates / _mentions replace (slices, a rescan per speech verb, a
# regex per cue)
_KATA_BEFORE = re.compile(r"(?:kata|ujar|ucap|tutur|ungkap|menurut)\s*$")
def _person_candidates_plain(text: str) -> list[str]:
    found = []
    for m in extract._CAPSEQ.finditer(text):
        seq = m.group().rstrip(".")
        after = text[m.end():m.end() + 40]
        stripped = extract.strip_name(seq)
        cues = (stripped != seq and stripped, extract._verb_after_name().match(after), extract._APPOS.match(after),
                _KATA_BEFORE.search(text[max(0, m.start() - 12):m.start()]))
        if any(cues) and extract.is_entity_name(stripped):
            if len(stripped.split()) <= 5 and not extract._gazetteer_regex().fullmatch(stripped):
                found.append(stripped)
    return found


def _mentions_plain(text: str, persons: list[str]) -> list[tuple[int, str]]:
    masked = extract._mask_quotes(text)
    found: list[tuple[int, str]] = []
    for vm in extract._before_verbs().finditer(masked):
        pre = masked[: vm.start()].rstrip()
        for seq in reversed([m for m in extract._CAPSEQ.finditer(pre) if len(pre) - m.end() <= 40][-3:]):
            name = extract.speaker_name(seq.group())
            if name and extract.is_entity_name(name) and name.split()[0].lower() not in extract._common_words():
                found.append((seq.start(), extract.resolve(name, persons)))
                break
    for mm in extract._MENURUT.finditer(masked):
        name = extract.speaker_name(mm.group(1))
        if name and extract.is_entity_name(name):
            found.append((mm.start(1), extract.resolve(name, persons)))
    return found


TOKENS = ["Budi", "Santoso", "Joko", "Widodo", "Presiden", "Menteri", "Jakarta", "Polri", "RCTI", "bin", "kata",
          "mengatakan", "ujarnya", "menurut", "berkata", "seorang", ", seorang", "dan", "yang", "di", "\"", "“", "”",
          ",", ".", " ", "  ", "\n", "\u00a0", "Kamis", "Ke-3", "al", "x" * 30]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=60), st.lists(st.sampled_from(TOKENS[:4]), max_size=3))
@example(["Budi", "x" * 30, "mengatakan"], [])  # the speech verb just past the 40-character window
@example(["Budi", "x" * 30, "kata"], [])  # ... and just inside it
@example(["Joko", "Widodo", "x" * 30, "Budi", "x" * 9, "mengatakan"], ["Budi"])  # runs at the window's edge
def test_person_and_mention_scans_equal_the_plain_versions(tokens: list[str], persons: list[str]) -> None:
    text = " ".join(tokens).replace(" ,", ",")
    assert extract.person_candidates(text) == _person_candidates_plain(text)
    cue = pl.select(extract.may_hold_cue(pl.lit(text, dtype=pl.String))).item()  # the chunk's vectorised pre-check
    assert extract.person_candidates(text, cue) == _person_candidates_plain(text)
    assert extract._mentions(text, persons) == _mentions_plain(text, persons)


def _quotes_plain(paragraphs: list[tuple[int, str]], persons: list[str]) -> list[dict[str, object]]:
    """extract.quotes with the mentions of every paragraph (not only up to the last quote that needs the
    person named last), each name resolved by scanning the known names, and plain list scans."""
    text, starts, idxs, found = extract._quote_candidates(paragraphs)
    masked = extract._mask_spans(text, [sp for sp, _ in found])
    mentions = []
    for k, at in enumerate(starts):
        end = starts[k + 1] - 2 if k + 1 < len(starts) else len(text)
        mentions += [(at + p, name) for p, name in _mentions_plain(masked[at:end], [])]
        mentions += [(at + p, name) for p, name in extract.subject_mentions(masked[at:end])]
    mentions.sort()
    out, seen, last, prev_end = [], [], None, -1
    resolver = extract.Resolver(persons)
    for sp, attr in found:
        before = [x for x in mentions if x[0] < sp.start]
        if before and (last is None or before[-1][0] > last[0]):
            last = before[-1]
        if attr is None:
            between = text[prev_end:sp.start] if prev_end >= 0 else ""
            split = prev_end >= 0 and len(between) <= 120 and not re.search(r"[.!?]\s|\n", between)
            if not split and (prev_end < 0 or sp.start - prev_end > 600 or not extract._free_quote(sp.text)):
                continue
            name, verb = "", None
        else:
            name, verb = attr
        if name[:1].isupper() and not extract.is_entity_name(name):
            continue
        if name and extract._is_role(name):
            speaker = extract._role_person(name, text)
        elif name:
            speaker = extract.fullest_name(name, text, resolver)
        else:
            speaker = extract.fullest_name(last[1], text, resolver) if last else None
        if speaker:
            last = (sp.start, speaker)
        prev_end = sp.end
        if " ".join(sp.text.casefold().split()) in seen:
            continue
        seen.append(" ".join(sp.text.casefold().split()))
        para = max(k for k, at in enumerate(starts) if at <= sp.start)
        out.append({"paragraph_index": idxs[para], "quote": sp.text, "speaker": speaker, "verb": verb})
    return out


QUOTE_TOKENS = [*TOKENS, "\"Kami siap bekerja keras", "\" kata dia.", "“Harga naik lagi,” ujarnya.", "katanya", "jelas Budi"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(QUOTE_TOKENS), max_size=25), max_size=5),
       st.lists(st.sampled_from(TOKENS[:4]), max_size=3))
@example([["Budi", "Santoso", "mengatakan", "banjir", "datang."], ["“Harga naik lagi,” ujarnya."]], [])
def test_quotes_equal_the_plain_version_that_finds_every_mention(paragraphs: list[list[str]], persons: list[str]) -> None:
    texts = [(i, " ".join(tokens).replace(" ,", ",")) for i, tokens in enumerate(paragraphs)]
    assert extract.quotes(texts, persons) == _quotes_plain(texts, persons)


def test_quotes_on_real_articles_equal_the_plain_version() -> None:
    for a in load_gold():
        paragraphs = list(enumerate(a["units"]))
        persons = sorted({p for _, t in paragraphs for p in extract.person_candidates(t)})
        assert extract.quotes(paragraphs, persons) == _quotes_plain(paragraphs, persons)


def test_source_and_gazetteer_regexes_keep_whole_word_matching() -> None:
    assert [m.group() for m in extract._source_regex().finditer("kata Reuters, bukan PreReuters atau Reuters-x")] == ["Reuters"]
    assert [m.group() for m in extract._gazetteer_regex().finditer("di Jakarta dan NonJakarta")] == ["Jakarta"]


def test_fold_gives_every_character_re_ignorecase_matches_the_fold_of_what_it_matches() -> None:
    """The literal pre-filter is exact only if re.I-equal characters fold alike: checked on every code point
    against every character the extract rules' required literals use, and every ASCII letter."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    letters = set("abcdefghijklmnopqrstuvwxyz") | {c for w in extract._citing_prefilter().words or () for c in w}
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
PREFILTER_TEXT = st.text(alphabet="dDkKsSxyzqKſİı \n" + "ilansrtbeujapdkou" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", max_size=60)
PREFILTER_WORDS = st.lists(st.sampled_from(["dilansir", "Dilansir", "DİLANSIR", "kantor", "berita", "KANTOR", "Berita",
                                            "menurut", "laporan", "kata", "kepada", "ujarnya", "Reuters", "AFP",
                                            "ab", "cd", "abcde", "xz", "xyz", "Kata", "q", " ", ",", "\n"]),
                           max_size=20).map("".join)


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


CASE_SENSITIVE = [r"Kata\s+dia|kantor berita", r"ab(?:cd)+e", r"x(?i:Yz)q", r"(?i)Kata", r"(?-i:Ab)c"]
CASE_WORDS = st.lists(st.sampled_from(["Simak", "Video", "video", ": ", "\"", "[Gambas:", "[gambas:", "Video 20detik]", "]",
                                       "Kata", "kata", " ", "dia", "kantor berita", "Kantor Berita", "ab", "cd", "e",
                                       "x", "yz", "YZ", "q", "Ab", "ab", "c", "\n"]), max_size=20).map("".join)


@given(CASE_WORDS)
@settings(max_examples=500, deadline=None)
@example("Simak Video \"Banjir\" [Gambas:Video 20detik]")
def test_case_sensitive_prefilter_passes_every_text_the_pattern_matches(text: str) -> None:
    from tasks.clean import _tail_rules

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


PREFIX_TOKENS = ["the", "The", "THE", "of", "is", "yang", "YANG", "dan", "di", "Dİ", "İs", "\u212a", "ſ", "Σ", "ß",
                 "ﬁ", "é", "😀", "2", "-", ",", "\n\n", " ", "x" * 40]


@given(st.lists(st.lists(st.sampled_from(PREFIX_TOKENS), max_size=400).map(" ".join), max_size=6))
@settings(max_examples=200, deadline=None)
@example(["di " * 500 + "the"])  # a word cut by the prefix's end
def test_prefix_word_counts_equal_python_counts_of_each_prefix(bodies: list[str]) -> None:
    want = [extract.function_word_counts(b[:extract.LANG_PREFIX_CHARS]) for b in bodies]
    assert extract.prefix_word_counts(bodies) == want


def test_quotes_ignore_mentions_after_the_last_quote_without_changing_results() -> None:
    paras = [(0, "Menurut Budi Santoso, acara itu ramai."), (1, "\"Kami sangat siap menghadapi ini,\" ujarnya."),
             (2, "Joko Widodo mengatakan hal lain."), (3, "Tidak ada kutipan di sini.")]
    q = extract.quotes(paras, ["Budi Santoso", "Joko Widodo"])
    assert [(x["paragraph_index"], x["speaker"]) for x in q] == [(1, "Budi Santoso")]
    assert extract.quotes(paras[2:], ["Joko Widodo"]) == []


UNION_WORDS = ["Jawa", "Jawa Barat", "Jakarta", "Jakarta Selatan", "AP", "AP News", "Antara", "KPK", "K", "berkata",
               "bertanya", "mengatakan", "menyebut", "menyebutkan", "kata"]
UNION_TEXT = st.lists(st.sampled_from([*UNION_WORDS, " ", "-", "x", "Non", "\n", ",", "nya", "é", "_", "1"]),
                      max_size=25).map("".join)


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


def test_lsh_bands_bucketed_ahead_on_a_thread_give_the_serial_edges(monkeypatch) -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=(40, dedup.NUM_PERM), dtype=np.uint32)
    sig = base[rng.integers(0, 40, size=400)].copy()  # 400 texts, copies of 40, some signature rows changed
    noise = rng.random(sig.shape) < 0.15
    sig[noise] = rng.integers(0, 2**32, size=int(noise.sum()), dtype=np.uint32)
    at = np.arange(400)
    size, nw = np.full(400, 200, np.int32), np.full(400, 40, np.int32)  # long texts: no name check
    ahead = dedup.near_duplicate_edges(sig, at, size, nw, lambda k: [""] * len(k))
    monkeypatch.setattr(dedup, "PREFETCH_BAND_TEXTS", 0)
    serial = dedup.near_duplicate_edges(sig, at, size, nw, lambda k: [""] * len(k))
    assert len(ahead[0]) > 100
    assert all(np.array_equal(x, y) for x, y in zip(ahead, serial, strict=True))


SOURCE_TOKENS = ["dilansir", "Dilansir", "dari", "kantor berita", "Reuters", "AFP", "AP", "AP News", "Antara", "ANTARA",
                 "menurut", "Kompas.com", "mengutip", "Xinhua", "Kamis", "yang", "berita", ",", ".", " ", "é", "İ"]


@given(st.lists(st.lists(st.sampled_from(SOURCE_TOKENS), max_size=12).map(" ".join), max_size=4))
@settings(max_examples=300, deadline=None)
@example(["Dilansir dari Reuters, harga naik.", "Kata dia, AP News melaporkan."])
def test_cited_sources_with_vectorised_prechecks_equal_the_plain_scan(paragraphs: list[str]) -> None:
    texts = pl.Series(paragraphs, dtype=pl.String).to_frame("t")
    cites = texts.select(extract.may_cite(pl.col("t"))).to_series().to_list()
    names = texts.select(extract.may_name_source(pl.col("t"))).to_series().to_list()
    assert extract.cited_sources(paragraphs, "Antara", cites, names) == extract.cited_sources(paragraphs, "Antara")


FOREIGN_TOKENS = ["the", "The", "THE", "of", "and", "is", "in", "to", "yang", "dan", "di", "ini", "itu", "dengan",
                  "program", "harga", "naik", "the2", "xthe", "Kthe", "İs", "é", "-", ",", ".", "\n", "ſ"]


@given(st.lists(st.lists(st.sampled_from(FOREIGN_TOKENS), max_size=30).map(" ".join), max_size=5))
@settings(max_examples=300, deadline=None)
@example(["the program is in the city and the people of the town", "harga naik di pasar"])
@example(["The Program Is In The City And The People Of The Town", "THE TEAM IS AT THE TOP OF THE TABLE"])
def test_foreign_paragraphs_with_the_english_precheck_equal_counting_every_paragraph(paragraphs: list[str]) -> None:
    english = pl.Series(paragraphs, dtype=pl.String).to_frame("t").select(
        extract.may_hold_english(pl.col("t"))).to_series().to_list()
    for lang in ("id", "en", None, "de"):
        plain = sum(extract.looks_foreign(t, lang) for t in paragraphs)
        assert extract.foreign_paragraphs(paragraphs, lang, english) == plain, lang


@given(st.text(alphabet="ab1 _,.-\n\t\u00a0é\u0301Σ", max_size=40))
@settings(max_examples=400, deadline=None)
@example("a  b, c_d ,e")
def test_norm_key_expr_equals_replacing_every_non_word_run(text: str) -> None:
    from tasks.text import nfkc_expr, norm_key_expr

    frame = pl.DataFrame({"t": [text]}, schema={"t": pl.String})
    plain = nfkc_expr(pl.col("t")).str.to_lowercase().str.replace_all(r"[\W_]+", " ").str.strip_chars()
    assert frame.select(norm_key_expr("t")).item() == frame.select(plain).item()
