"""Clean: split each article into lines and label every line or span as body or boilerplate, by
named rule.

Nothing is dropped: each removed line or span is its own row with the rule that removed it, so
`paragraphs in = body rows + removed rows`. The rules are the tables in tasks/rules/; this module
holds only the logic that applies them (first-match line rules, related-article spans cut out of
paragraphs, the dateline at the start of the body, the title and date lines at the top, captions,
trailing sign-offs) and the corpus-level rule that learns lines repeated across one outlet's
articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import polars as pl

from tasks import rules
from tasks.clean.bylines import label_credits
from tasks.clean.fragments import (
    PROMO,
    RUNTOGETHER_RULE,
    Join,
    join_fragments,
    may_join,
    runtogether_copies,
    runtogether_possible,
)
from tasks.context import MapChunks
from tasks.extract.dates import is_date_line
from tasks.schema import CLEAN_PARAGRAPHS, conform
from tasks.text import fold, split_lines, squash
from tasks.text_fast import (
    LiteralPrefilter,
    first_char_guard,
    fold_expr,
    nfkc_expr,
    norm_key_expr,
)

_SENT_END_BEFORE = re.compile(r"(?:^|[.!?\"”’')\]:;]\s*|[a-z0-9)]|\s)$")
_CAPTION_WORD = (r"(?:(?:FOTO|Foto|PHOTO|Photo|DOK|Dok|Dokumentasi|ILUSTRASI|Ilustrasi|Sumber "
                 r"foto|Sumber Foto)"
                 # "... berupa foto. Ini": no credit
                 r"\s*[.:：]|(?:foto|dok|[Cc]redit|CREDIT|Kredit|KREDIT)\s*[:：])")
# the credit: a word or a handle, then at most 5 more words ("dok. Humas Polda", "@raisa")
_CAPTION = re.compile(
    r"^(?P<caption>.{10,400}?[^\s.,;|-]\.?)[\s,;|-]*[(\[]?\s*" + _CAPTION_WORD
    + r"\s*(?P<credit>[\w@][^()\[\]\s]*(?:\s+[^()\[\]\s]+){0,5}?)\s*[)\]]?\s*$"
)
_SIGNOFF = re.compile(
    r"(?:(?<=[.!?\"”’'])|^|(?<=\s)(?=\s*\([A-Za-z]{1,6}\s*/))\s*\((?P<signoff>\*|[A-Za-z]{1,6}(?:\s*/\s*[A-Za-z*]{1,6}){0,3})\)\s*$"
)
_TOKEN = re.compile(r"\S+")
CHUNK_ARTICLES = 1000  # articles per vectorised pass (and per task on worker processes)
_GLUED_QUOTE = re.compile(r"(?<=[A-Za-z0-9])(?=[\"“])")
_STRIP = "\"“”'‘’(),:;!?.[]"
MAX_HEADLINE_TOKENS = 30


@dataclass
class Row:
    source_line: int
    text: str
    rule: str | None = None
    # the join that rebuilt the paragraph from several lines (tasks/clean/fragments.py)
    joined: str | None = None

    @property
    def is_body(self) -> bool:
        return self.rule is None


def match_line_rule(line: str) -> str | None:
    """Name of the first whole-line rule matching the (squashed) line, else None."""
    for rule in rules.line_rules():
        if rule.regex.fullmatch(line):
            return rule.name
    return None


def source_paragraphs(text: str) -> tuple[list[tuple[int, str]], list[Join]]:
    """The article's lines (tasks/text.split_lines) with inline-link fragments joined back into
    their paragraphs (tasks/clean/fragments.py), and the joins made: what the rules then label."""
    return join_fragments(split_lines(text), text, _is_template_line)


def _is_template_line(line: str) -> int:
    """A whole boilerplate line by the line rules, for paragraph reconstruction (which never joins
    one into a paragraph). A bare site name or navigation word is no such line there: it is the
    anchor text of an inline link as often ("dikutip dari / Kompas.com / , ..."); nor is lone
    punctuation (the scraper cut it off its paragraph: "Provinsi / . / Mereka ...")."""
    return _template_kind(match_line_rule(squash(line)), rules.line_rule_categories())


def _template_kind(rule: str | None, cats: dict[str, str]) -> int:
    """0: no whole boilerplate line (for joining); 1: one; PROMO: a call to action (category
    social)."""
    if rule is None or cats.get(rule) in _NOT_TEMPLATE:
        return 0
    return PROMO if cats.get(rule) == "social" else 1


_NOT_TEMPLATE = ("header", "navigation", "residue")


def _is_headline_word(tok: str) -> bool:
    w = tok.strip(_STRIP)
    if not w:
        return True
    return (
        w[0].isupper()
        or w[0].isdigit()
        or w in rules.headline_words()
        or w in {"-", "–", "—", "|", "&"}
    )


def _title_at(tokens: list[str], j: int) -> bool:
    for t in rules.titles():
        parts = t.split()
        if [x.strip(_STRIP) for x in tokens[j:j + len(parts)]] == parts:
            return True
    return False


def _tokens(text: str) -> list[tuple[int, str]]:
    """Whitespace tokens with offsets; a quote glued to a word ('Kurang"Ini') starts a new token."""
    out = []
    for m in _TOKEN.finditer(text):
        start, tok = m.start(), m.group()
        cuts = [c.start() for c in _GLUED_QUOTE.finditer(tok)]
        for a, b in zip([0, *cuts], [*cuts, len(tok)], strict=False):
            if b > a:
                out.append((start + a, tok[a:b]))
    return out


def headline_end(rest: str) -> int:
    """Where a related-article headline that starts `rest` ends (character offset into rest).

    Headlines are title case; the paragraph they were glued to starts at the subject of its first
    sentence: scan title-case tokens up to the first ordinary lower-case word, then step back to the
    subject (from a title cue like "Sekretaris Jenderal" on, else the single capitalised word before
    the verb).
    """
    toks = _tokens(rest)
    if not toks:
        return len(rest)
    words = [t for _, t in toks]
    k = 0
    while k < len(words) and k < MAX_HEADLINE_TOKENS:
        w = words[k]
        if k > 0 and w[0] in "\"“":
            return toks[k][0]  # a quote opens the paragraph after the headline
        if not _is_headline_word(w):
            break
        if k > 0 and w.endswith((".", "!", "?")) and not re.fullmatch(r"[A-Z][a-z]?\.|[A-Z]\.", w):
            return toks[k][0] + len(w)
        k += 1
    if k >= len(words):
        return len(rest)
    if k == 0:
        return 0
    last_lower = max(
        (i for i in range(k) if words[i].strip(_STRIP) in rules.headline_words()), default=-1
    )
    for j in range(max(1, last_lower + 1), k):
        if _title_at(words, j):
            return toks[j][0]
    return toks[k - 1][0] if k - 1 > 0 else toks[k][0]


# Where a run-in related headline surely ends, whatever its words: a wide gap (a lost paragraph
# break), a
# sentence glued on without a space ("... Piala DavisDengan hasil ini", "SEA Games 2019Hasil ..."),
# or a
# video promo the template appended ("... Ngamuk Simak Video \"...\"").
_HEADLINE_STOP = re.compile(r"\s{3,}|(?:(?<=[a-z]{3})|(?<=\d))(?=[A-Z][a-z]{3,}\b)"
                            r"|\s(?=(?:Simak|Tonton|Saksikan)\s+(?:[Jj]uga\s+)?[Vv]ideo\b)")


_GAP = re.compile(r"\s{6,}")


@dataclass(frozen=True)
class LeadCaptionConfig:
    """A text's opening segment is the caption of its top image when the gap after it is at least
    `min_gap` blanks and `ratio` times wider than every other gap between its paragraphs (scrapes
    that keep a paragraph break as a run of blanks leave a wider one around the image block), the
    segment is at most `max_words` words and the text after it at least `min_rest` times longer."""
    min_gap: int = 30
    ratio: float = 2.0
    max_words: int = 40
    min_rest: int = 3


LEAD_CAPTION = LeadCaptionConfig()


def lead_caption(text: str, cfg: LeadCaptionConfig = LEAD_CAPTION) -> int:
    """Where the caption of a top image that opens `text` ends (0: none). The caption is told by its
    layout alone, not its words (it has no credit word): see LeadCaptionConfig."""
    if " " * cfg.min_gap not in text:  # the cheap pre-check: most texts have no such gap at all
        return 0
    gaps = list(_GAP.finditer(text))
    first = gaps[0]
    width = len(first.group())
    if width < cfg.min_gap or not text[: first.start()].strip():
        return 0
    if any(len(g.group()) * cfg.ratio > width for g in gaps[1:]):
        return 0
    if len(text[: first.start()].split()) > cfg.max_words:
        return 0
    if len(text) - first.end() < cfg.min_rest * first.start():
        return 0
    return first.end()


def split_related(text: str) -> list[tuple[str, str | None]]:
    """Cut related-article spans ("Baca Juga: <headline>") out of a line: [(piece, rule or None),
    ...]."""
    rx = rules.related_prefix_regex()
    out: list[tuple[str, str | None]] = []
    pos = 0
    for m in rx.finditer(text):
        s = m.start()
        if s < pos or not m.group(0)[:1].isupper():
            continue
        name = m.lastgroup or "baca_juga"
        bracket = s > pos and text[s - 1] == "("
        close = text.find(")", m.end(), m.end() + 250) if bracket else -1
        if bracket and close < 0:
            continue
        if bracket:  # "(Baca: <headline>)": the brackets hold the whole span
            s -= 1
        before = text[pos:s]
        if before.strip() and not _SENT_END_BEFORE.search(before):
            continue
        if s > 0 and text[s - 1].isalpha() and text[s - 1].isupper():
            continue
        if bracket:
            end = close + 1
        else:
            rest = text[m.end():]
            stop = _HEADLINE_STOP.search(rest, 1)
            end = m.end() + headline_end(rest[:stop.start()] if stop else rest)
            remainder = text[end:].strip()
            if remainder and len(remainder.split()) <= 6 and not re.search(r"[.!?\"”]$", remainder):
                end = len(text)  # a short tail without a sentence end belongs to the headline
        if before.strip():
            out.append((before.strip(), None))
        out.append((text[s:end].strip(), name))
        pos = end
    tail = text[pos:].strip()
    if tail:
        out.append((tail, None))
    return out or [(text, None)]


def match_tail_rule(text: str) -> tuple[re.Match[str], str] | None:
    """The first tail rule (tasks/rules/tail_rules.tsv) found in text: cut from there to the end of
    the line."""
    # the text folded once for all the case-blind pre-filters (LiteralPrefilter folds per
    # call)
    folded = None
    for r, maybe in _tail_rules():
        if maybe.words is not None:
            if maybe.folded:
                folded = fold(text) if folded is None else folded
                if not any(w in folded for w in maybe._words):
                    continue
            elif not any(w in text for w in maybe._words):
                continue
        m = r.regex.search(text)
        if m:
            return m, r.name
    return None


@cache
def _tail_rules() -> tuple[tuple[rules.LineRule, LiteralPrefilter], ...]:
    """The tail rules, each with the literal pre-filter that spares most paragraphs its scan."""
    return tuple((r, LiteralPrefilter(r.regex.pattern, r.regex.flags)) for r in rules.tail_rules())


def match_dateline(text: str) -> tuple[re.Match[str], str] | None:
    """The dateline at the start of a paragraph and its rule name, if any."""
    for rule in rules.datelines():
        m = rule.regex.match(text)
        if not m or m.end() == 0:
            continue
        if rule.check_city and m.group("city").casefold() not in rules.dateline_places_casefold():
            continue
        if m.end() >= len(text.rstrip()):
            continue  # the whole paragraph: not a dateline
        return m, rule.name
    return None


def is_title_candidate(line: str, has_more: bool) -> bool:
    if not has_more or len(line) < 10 or len(line) > 200 or len(line.split()) > 30:
        return False
    if line.endswith((".", ",", ":", ";")) and not line.endswith("..."):
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“'‘"):
        return False
    return match_dateline(line + " x") is None


class Line(NamedTuple):
    """One source line with what the vectorised pass found: its squashed form, the first whole-line
    rule it matches, whether it is a photo caption, and whether a related-article prefix occurs in
    it at all. (A named tuple: a corpus makes millions, and a frozen dataclass costs more to
    build.)"""
    source_line: int
    raw: str
    text: str
    rule: str | None
    caption: bool
    related: bool
    joined: str | None = None
    tail: bool = True  # a tail rule may match in it (it holds the literals one needs)


@cache
def _prefiltered_line_rules() -> tuple[tuple[rules.LineRule, LiteralPrefilter | None], ...]:
    """Line rules with the pre-filter of those that open with any character (`.{0,400}\b(?:...)`): a
    whole-line match of those is tried from every character, far costlier than the pre-filter's
    literal search. The others open with known characters and fail at once on most lines: they are
    pre-checked all at once instead (_any_known_start_rule)."""
    return tuple(
        (
            r,
            None
            if first_char_guard(r.regex.pattern) != r.regex.pattern
            else LiteralPrefilter(r.regex.pattern, r.regex.flags),
        )
        for r in rules.line_rules()
    )


@cache
def _any_known_start_rule() -> tuple[tuple[str, ...] | None, frozenset[str]]:
    """One Rust regex matching the lines that one of the rules without a pre-filter matches whole
    (3.5x cheaper than trying them one by one: most lines match none), and the names of the rules it
    covers (those the Rust engine compiles; inline flags stay inside each rule's group)."""
    covered = [r for r, maybe in _prefiltered_line_rules()
               if maybe is None and _rust_compiles(f"^(?:{r.regex.pattern})$")]
    if not covered:
        return None, frozenset()
    # in groups of a few rules: one union of them all outgrows the engine's lazy-DFA cache (slower
    # than the groups together on the real corpus)
    groups = [covered[i:i + _UNION_GROUP] for i in range(0, len(covered), _UNION_GROUP)]
    return tuple("|".join(f"^(?:{r.regex.pattern})$" for r in g) for g in groups), frozenset(
        r.name for r in covered
    )


_UNION_GROUP = 6


def line_rule_column(texts: pl.Series, todo: pl.Series | None = None) -> pl.Series:
    """match_line_rule over a column (first matching rule in file order; None where no rule matches
    or todo is False), in polars' Rust regex engine.

    Each rule's regex runs on the lines still without a rule, those that hold none of its required
    literals (LiteralPrefilter), or that no rule of its kind matches (_any_known_start_rule), aside.
    A rule whose pattern the Rust engine cannot compile (look-around, back-references) falls back to
    Python's re for that rule only, so rule authors can write any Python regex."""
    cols = pl.DataFrame({"t": texts}, schema={"t": pl.String}).with_columns(
        fold_expr(pl.col("t")).alias("fold")
    )
    out = pl.Series(texts.name, [None] * len(texts), dtype=pl.String)
    left = texts.is_not_null() if todo is None else (texts.is_not_null() & todo.fill_null(False))
    union, covered = _any_known_start_rule()
    # every gate in one pass over the lines (one polars query, not one per rule)
    exprs = [
        pl.col("t").str.contains(u).fill_null(False).alias(f"u{i}")
        for i, u in enumerate(union or ())
    ]
    exprs += [maybe.expr(pl.col("t"), pl.col("fold")).alias(f"g{i}")
              for i, (rule, maybe) in enumerate(_prefiltered_line_rules())
              if rule.name not in covered and maybe is not None]
    gates = cols.select(exprs) if exprs else None
    known_start = None
    for i in range(len(union or ())):
        hit = gates[f"u{i}"]
        known_start = hit if known_start is None else known_start | hit
    for i, (rule, maybe) in enumerate(_prefiltered_line_rules()):
        if rule.name in covered:
            gate = known_start
        elif maybe is not None:
            gate = gates[f"g{i}"]
        else:
            gate = None
        idx = (left if gate is None else gate & left).arg_true()
        if not len(idx):
            continue
        hit = idx.filter(
            cols.select(pl.col("t").gather(idx))
            .select(_matches(pl.col("t"), rule.regex, full=True))
            .to_series()
        )
        if len(hit):
            out = out.scatter(hit, rule.name)
            left = left.scatter(hit, False)
    return out


def _matches(col: pl.Expr, regex: re.Pattern[str], *, full: bool) -> pl.Expr:
    pattern = f"^(?:{regex.pattern})$" if full else regex.pattern
    if _rust_compiles(pattern):
        return col.str.contains(pattern)
    test = regex.fullmatch if full else regex.search
    return col.map_elements(lambda s: test(s) is not None, return_dtype=pl.Boolean)


@cache
def _rust_compiles(pattern: str) -> bool:
    try:
        pl.Series([""]).str.contains(pattern)
    except pl.exceptions.ComputeError:
        return False
    return True


def squash_expr(col: pl.Expr) -> pl.Expr:
    """squash() over a column: NFKC, whitespace runs as one space (Python's \\s: Unicode spaces and
    \\x1c-\\x1f). Only the runs that change are replaced: 2+ characters, or one that is not a space
    (faster than replacing every run, most of which are one space between words)."""
    return (
        nfkc_expr(col)
        .str.replace_all(r"[\s\x1c-\x1f]{2,}|[^\S ]|[\x1c-\x1f]", " ")
        .str.strip_chars()
    )


def prepare_lines(raw_texts: list[str]) -> list[list[Line]]:
    """Split each article into lines (Python: the glued-text heuristics), join inline-link fragments
    back into their paragraphs (tasks/clean/fragments.py) and run the per-line regex rules over all
    lines at once in polars (one vectorised pass per rule instead of a Python call per line and
    rule).

    The rules run on the split lines first: which of them are whole boilerplate lines is what the
    joining asks (_is_template_line), answered from that pass; the paragraphs the joining rebuilt
    then get a second pass of their own (a small share of the lines)."""
    split = [split_lines(t) for t in raw_texts]
    infos = _line_infos([x for lines in split for x in lines])
    cats = rules.line_rule_categories()
    out: list[list[Line]] = []
    rebuilt: list[tuple[int, int, str, str]] = []  # (article, position in it, raw, join label)
    k = 0
    for a, (t, lines) in enumerate(zip(raw_texts, split, strict=True)):
        n = len(lines)
        mine = infos[k: k + n]
        k += n
        if n > 1 and may_join(t):
            flags = [_template_kind(info.rule, cats) for info in mine]
            joined_lines, joins = join_fragments(lines, t, _is_template_line, flags)
            if joins:
                firsts = {j.first: j.label() for j in joins}
                by_line = {info.source_line: info for info in mine}
                mine = []
                for ln, r in joined_lines:
                    if ln in firsts:
                        rebuilt.append((a, len(mine), r, firsts[ln], by_line[ln].rule))
                    mine.append(by_line[ln])
        out.append(mine)
    if rebuilt:
        again = _line_infos([(out[a][i].source_line, r) for a, i, r, _, _ in rebuilt])
        for (a, i, _, label, rule), info in zip(rebuilt, again, strict=True):
            if info.rule is None and _template_kind(rule, cats) == PROMO:
                info = info._replace(rule=rule)  # a promo split over lines: its lines go with it
            out[a][i] = info._replace(joined=label)
    return out


def _line_infos(lines: list[tuple[int, str]]) -> list[Line]:
    """What the vectorised pass finds for each (source line, raw line)."""
    if not lines:
        return []
    raw = [r for _, r in lines]
    # without the look-behinds: a cheap pre-check
    related = re.compile(rules.related_prefix_alternation())
    cols = (
        pl.DataFrame({"raw": raw}, schema={"raw": pl.String})
        .with_columns(
            squash_expr(pl.col("raw")).alias("text"), fold_expr(pl.col("raw")).alias("fold")
        )
        .select(
            "text",
            pl.col("text").str.contains(_CAPTION_WORD).alias("caption"),
            _matches(pl.col("raw"), related, full=False).alias("related"),
            # the tail rules' literal pre-filters: a piece of a line holds no literal the
            # line lacks, so
            # match_tail_rule is only tried on the pieces of lines that pass
            (
                pl.any_horizontal(
                    [maybe.expr(pl.col("raw"), pl.col("fold")) for _, maybe in _tail_rules()]
                )
                if _tail_rules()
                else pl.lit(False)
            ).alias("tail"),
        )
    )
    rls = line_rule_column(cols["text"], cols["text"] != "").to_list()
    texts, rels, tails = (cols[c].to_list() for c in ("text", "related", "tail"))
    # the caption pattern (costly: a lazy 10-400 character prefix) only on the lines with a credit
    # word
    # ("Foto:"), which every caption contains; the others cannot match it
    caps = [False] * len(texts)
    maybe = cols["caption"].arg_true()
    hits = (
        cols["text"]
        .gather(maybe)
        .to_frame()
        .select(_matches(pl.col("text"), _CAPTION, full=False))
        .to_series()
    )
    for i, hit in zip(maybe.to_list(), hits.to_list(), strict=True):
        caps[i] = bool(hit)
    new = tuple.__new__  # Line(...) through its generated __new__ costs twice as much
    return [
        new(Line, (ln, r, t, rl, cap, rel, None, tl))
        for (ln, r), t, rl, cap, rel, tl in zip(lines, texts, rls, caps, rels, tails, strict=True)
    ]


def clean_article(
    raw_text: str, title_hint: str | None = None, lines: list[Line] | None = None
) -> list[Row]:
    """Label every line/span of one article. Body rows have rule None. `lines` is the article's
    prepare_lines() result when the caller prepared many articles at once."""
    if lines is None:
        lines = prepare_lines([raw_text])[0]
    rows: list[Row] = []
    seen_body = False
    title_done = False
    hint = squash(title_hint).casefold() if title_hint else None
    # headlines a related-links prefix alone on its line may still own ("Baca juga:" +
    # headline lines)
    block = 0
    for idx, info in enumerate(lines):
        ln, raw, line = info.source_line, info.raw, info.text
        if not line:
            continue
        if block:
            if not info.rule and is_related_headline(line, first=block == RELATED_BLOCK_LINES):
                rows.append(Row(ln, raw, "related_headline"))
                block -= 1
                continue
            block = 0
        if (
            rows
            and rows[-1].source_line == lines[idx - 1].source_line
            and _is_related_stub(rows[-1])
        ):
            block = RELATED_BLOCK_LINES
            if not info.rule and is_related_headline(line, first=True):
                rows.append(Row(ln, raw, "related_headline"))
                block -= 1
                continue
            block = 0
        if hint and not title_done and not seen_body and line.casefold() == hint:
            rows.append(Row(ln, raw, "title"))
            title_done = True
            continue
        if info.rule:
            rows.append(Row(ln, raw, info.rule))
            continue
        if not seen_body and is_date_line(line):
            rows.append(Row(ln, raw, "publish_date"))
            continue
        if info.caption and not line.startswith(("\"", "“")):
            rows.append(Row(ln, raw, "caption"))
            continue
        if (
            not seen_body
            and not title_done
            and not hint
            and is_title_candidate(line, idx + 1 < len(lines))
        ):
            rows.append(Row(ln, raw, "title"))
            title_done = True
            continue
        for piece, prule in (split_related(raw) if info.related else [(raw.strip() or raw, None)]):
            if prule:
                rows.append(Row(ln, piece, prule))
                continue
            if not seen_body:
                cap = lead_caption(piece)
                if cap:
                    rows.append(Row(ln, piece[:cap].strip(), "lead_caption"))
                    piece = piece[cap:].strip()
                dl = match_dateline(piece)
                if dl:
                    m, name = dl
                    rows.append(Row(ln, piece[: m.end()].strip(), name))
                    piece = piece[m.end():].strip()
            if piece:
                tail = match_tail_rule(piece) if info.tail else None
                if tail:
                    m, name = tail
                    if piece[: m.start()].strip():
                        rows.append(Row(ln, piece[: m.start()].strip(), None))
                        seen_body = True
                    rows.append(Row(ln, piece[m.start():].strip(), name))
                    continue
                rows.append(Row(ln, piece, None))
                seen_body = True
    _cut_signoff(rows)
    # bylines/credits in the first and last rows, datelines on their own line (bylines.py)
    label_credits(rows)
    _cut_runtogether(rows, lines)
    joined = {info.source_line: info.joined for info in lines if info.joined}
    if joined:
        for r in rows:
            r.joined = joined.get(r.source_line)
    return rows


RELATED_BLOCK_LINES = 3  # headline lines a related-links prefix alone on its line may own


def _is_related_stub(row: Row) -> bool:
    """A related-links prefix or heading with no headline after it on its line ("Baca juga:",
    "Artikel terkait", "Pilihan editor:"): the headline(s) are on the next lines."""
    rule = row.rule
    if (
        rule is None
        or rules.line_rule_categories().get(rule) != "related"
        or rule == "related_headline"
    ):
        return False
    if rule in ("related_heading", "related_single"):
        return True
    m = rules.related_prefix_regex().match(row.text)
    return m is not None and not row.text[m.end():].strip(" \u00a0:：-–—")


# words a sentence cannot end on (prepositions, conjunctions): a line ending so was cut off
# mid-sentence
_DANGLING = frozenset(
    "di ke dari pada untuk dengan dan atau yang saat karena bahwa oleh serta "
    "tetapi namun sebagai "
    "dalam terhadap bagi akan agar jika ketika sejak hingga sampai para sang si".split()
)
_SENTENCE_INSIDE = re.compile(r"[.!?][\"”’']?\s+[\"“‘']?[A-Z]")


def is_related_headline(line: str, *, first: bool) -> bool:
    """Whether a (squashed) line is shaped like a linked headline: 4-20 words, opening with a
    capital, a digit or a quote, no sentence inside and none ended with a period (headlines end
    bare, or with ? or !), no handle or URL. Title case (most words capitalised) is a headline; a
    sentence-case line (outlets that write headlines so) only when it has no comma or quote mark and
    does not end on a function word ("... absen saat": a paragraph whose link the scraper dropped).
    After the first headline of a block, a further one must be title case."""
    toks = line.split()
    if (
        not 4 <= len(toks) <= 20
        or len(line) > 160
        or line[-1] in ".,;:"
        or _SENTENCE_INSIDE.search(line)
    ):
        return False
    if (
        not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“'‘")
        or "@" in line
        or "://" in line
    ):
        return False
    caps = sum(1 for t in toks if (t.strip(_STRIP)[:1] or "x").isupper() or t[:1].isdigit())
    if caps >= 0.6 * len(toks):
        return True
    return (first and not any(c in line for c in ",\"“”") and caps >= 1
            and toks[-1].strip(_STRIP).lower() not in _DANGLING)


def _cut_runtogether(rows: list[Row], lines: list[Line]) -> None:
    """The article held twice, once run together in one line (related links and promos glued in),
    once paragraph by paragraph: the body rows of the run-together line become repeated_runtogether
    rows. Compared by whole source lines (the related and tail rules may have cut the long line in
    pieces)."""
    if len(lines) < 3 or not runtogether_possible([len(info.raw) for info in lines]):
        return
    # cheap: 3+ lines open inside the longest one
    longest = max((info.raw for info in lines), key=len)
    if sum(1 for info in lines if len(info.raw) >= 24 and info.raw[:24] in longest) < 3:
        return
    body_lines = list(dict.fromkeys(r.source_line for r in rows if r.is_body))
    if len(body_lines) < 3:
        return
    raw = {info.source_line: info.raw for info in lines}
    copies = {body_lines[k] for k in runtogether_copies([raw[ln] for ln in body_lines])}
    for r in rows:
        if r.is_body and r.source_line in copies:
            r.rule = RUNTOGETHER_RULE


def _cut_signoff(rows: list[Row]) -> None:
    """Move trailing sign-off initials "(sin)", "(Ka)", "(*)" of the last body row into their own
    row."""
    body = [i for i, r in enumerate(rows) if r.is_body]
    if not body:
        return
    i = body[-1]
    # every sign-off ends so (re's \s is str.isspace): skip the scan
    if not rows[i].text.rstrip().endswith(")"):
        return
    m = _SIGNOFF.search(rows[i].text)
    if not m:
        return
    kept = rows[i].text[: m.start()].rstrip()
    span = Row(rows[i].source_line, rows[i].text[m.start():].strip(), "signoff")
    if kept:
        rows[i].text = kept
        rows.insert(i + 1, span)
    else:
        rows[i] = span


def clean_frame(
    articles: pl.DataFrame,
    *,
    repeat_min_articles: int = 5,
    repeat_min_share: float = 0.02,
    progress: Callable[[int, int], None] | None = None,
    map_chunks: MapChunks = map,
    chunk: int = CHUNK_ARTICLES,
) -> pl.DataFrame:
    """Paragraph rows for every article (ingest/articles -> clean/paragraphs), in memory.

    The same two passes as the streaming stage (tasks/clean/stage.py): per-article cleaning in
    chunks (mapped with map_chunks), then the corpus-level repeated-line rule from the counts the
    chunks collected."""
    n = articles.height
    cols = articles.select(*KEY_COLUMNS)
    rows, cands, outlets = [], [], []
    for r, c, o in map_chunks(
        clean_chunk_keyed, (cols.slice(lo, chunk) for lo in range(0, n, chunk))
    ):
        rows.append(r)
        cands.append(c)
        outlets.append(o)
        if progress:
            progress(min(len(rows) * chunk, n), n)
    if not rows:
        rows, cands, outlets = [clean_chunk_keyed(cols.head(0))[0]], [], []
    repeated = repeated_lines(cands, outlets, repeat_min_articles, repeat_min_share)
    return finish_rows(pl.concat(rows), repeated)


KEY_COLUMNS = ("article_id", "raw_text", "title_hint", "url", "outlet_hint", "source_path")


def clean_rows(articles: pl.DataFrame, progress: Callable[[int, int], None] | None = None,
               map_chunks: MapChunks = map, chunk: int = CHUNK_ARTICLES) -> pl.DataFrame:
    """The per-article part of cleaning, in chunks (mapped with map_chunks: the same result on
    workers)."""
    n = articles.height
    cols = articles.select("article_id", "raw_text", "title_hint")
    frames = []
    for df in map_chunks(clean_chunk, (cols.slice(lo, chunk) for lo in range(0, n, chunk))):
        frames.append(df)
        if progress:
            progress(min(len(frames) * chunk, n), n)
    return pl.concat(frames) if frames else clean_chunk(cols.head(0))


def clean_chunk(articles: pl.DataFrame) -> pl.DataFrame:
    ids, idxs, lines, texts, rule_col, joined = [], [], [], [], [], []
    sel = articles.select("article_id", "raw_text", "title_hint")
    prepared = prepare_lines(sel["raw_text"].to_list())
    for (aid, raw, hint), prep in zip(sel.iter_rows(), prepared, strict=True):
        for i, row in enumerate(clean_article(raw, hint, prep)):
            ids.append(aid)
            idxs.append(i)
            lines.append(row.source_line)
            texts.append(row.text)
            rule_col.append(row.rule)
            joined.append(row.joined)
    return pl.DataFrame(
        {
            "article_id": ids,
            "paragraph_index": idxs,
            "source_line": lines,
            "text": texts,
            "boilerplate_rule": rule_col,
            "joined_from": joined,
        },
        schema={
            "article_id": pl.String,
            "paragraph_index": pl.Int32,
            "source_line": pl.Int32,
            "text": pl.String,
            "boilerplate_rule": pl.String,
            "joined_from": pl.String,
        },
    )


def clean_chunk_keyed(articles: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """One chunk's first pass: its rows (with their outlet key), the repeated-line candidates they
    hold, and its article count per outlet. Only the small candidate tables are kept for the whole
    corpus."""
    keys = outlet_keys(articles)
    rows = (clean_chunk(articles).join(keys, on="article_id", how="left", maintain_order="left")
            # normalised once, for the hash and the candidates
            .with_columns(norm_key_expr("text").alias("_key")))
    rows = with_line_hash(rows, "_key")  # on the workers, not in the serial pass 2
    return rows.drop("_key"), repeat_candidates(rows), keys.group_by("outlet_key").len("n_outlet")


def finish_clean(df: pl.DataFrame, articles: pl.DataFrame, *, repeat_min_articles: int = 5,
                 repeat_min_share: float = 0.02) -> pl.DataFrame:
    """The corpus-level part over rows made by clean_rows: lines repeated across an outlet's
    articles, ids and categories."""
    keys = outlet_keys(articles)
    rows = with_line_hash(df.join(keys, on="article_id", how="left", maintain_order="left"))
    repeated = repeated_lines(
        [repeat_candidates(rows)],
        [keys.group_by("outlet_key").len("n_outlet")],
        repeat_min_articles,
        repeat_min_share,
    )
    return finish_rows(rows, repeated)


def finish_rows(rows: pl.DataFrame, repeated: pl.DataFrame) -> pl.DataFrame:
    """Rows of the first pass (with outlet_key) -> clean/paragraphs rows: repeated lines labelled,
    ids and categories. Row by row, so it runs on any slice of the rows."""
    if rows.height:
        if "_kh" not in rows.columns:
            rows = with_line_hash(rows)
        rows = rows.join(
            repeated, on=["outlet_key", "_kh"], how="left", maintain_order="left"
        ).with_columns(
            pl.when(pl.col("_rule").is_not_null() & pl.col("boilerplate_rule").is_null())
            .then(pl.col("_rule"))
            .otherwise(pl.col("boilerplate_rule"))
            .alias("boilerplate_rule")
        )
    cats = rules.line_rule_categories()
    df = rows.with_columns(
        (pl.col("article_id") + "-" + pl.col("paragraph_index").cast(pl.String).str.zfill(4)).alias(
            "paragraph_id"
        ),
        pl.col("boilerplate_rule").is_not_null().alias("is_boilerplate"),
        pl.col("boilerplate_rule")
        .replace_strict(cats, default=None, return_dtype=pl.String)
        .alias("boilerplate_category"),
    )
    return conform(df, CLEAN_PARAGRAPHS)


def outlet_keys(articles: pl.DataFrame) -> pl.DataFrame:
    """Per article, the key that groups one outlet's articles for learning repeated lines.

    The outlet hint or URL host when the export has one; else the top folder of the source path.
    """
    host = pl.col("url").str.extract(r"^(?:https?://)?(?:www\.)?([^/:?#]+)", 1)
    folder = pl.col("source_path").str.extract(r"^([^/]+)/", 1)
    key = pl.coalesce(pl.col("outlet_hint").str.to_lowercase(), host, folder, pl.lit("(root)"))
    return articles.select("article_id", key.alias("outlet_key"))


@dataclass(frozen=True)
class RepeatConfig:
    """When a short body line is learnt as an outlet's template: it recurs (normalised) in
    `min_articles` distinct headlines of the outlet and in `min_share` of its articles
    (repeated_in_outlet); or it holds a call-to-action word (promo_words.tsv) and its shape (numbers
    as 0) recurs in `promo_min_articles` (repeated_promo: a promo varying by a number, seen in a
    handful of articles)."""
    min_articles: int = 5
    min_share: float = 0.02
    promo_min_articles: int = 3


REPEAT = RepeatConfig()


def _key_hash(key: pl.Expr) -> pl.Expr:
    """The line's hash for learning templates from its normalised form `key`: of its shape (digit
    runs as 0: "diskon 20 persen" ~ "diskon 35 persen") when it holds a call-to-action word, else of
    the key itself (a body line that recurs with other numbers, a score or a price in a series of
    reports, is no template). with_line_hash refines the shape of call-to-action lines (names and
    links varying too)."""
    return (pl.when(key.str.contains(_promo_words_regex())).then(key.str.replace_all(r"\d+", "0"))
            .otherwise(key).hash(seed=7))


_SHAPE_URL = r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|id|co|net|org|me|ly)(?:/\S*)?"
_SHAPE_NAME = r"\b\p{Lu}[\p{L}\p{N}'’-]*(?:\s+\p{Lu}[\p{L}\p{N}'’-]*)*"


def promo_shape_expr(text: pl.Expr) -> pl.Expr:
    """A call-to-action line's template shape: links as u, runs of capitalised words (names, brands)
    as x, digit runs as 0, then normalised ("Ikuti kabar Persib terbaru di saluran Bobotoh.id" ~
    "Ikuti kabar Persija terbaru di saluran Jakmania.com"). None when fewer than `min_lower` words
    are left in lower case: a title-case line has no shape beyond its names (its digit shape is
    used)."""
    shape = (
        text.str.replace_all(_SHAPE_URL, " u ")
        .str.replace_all(_SHAPE_NAME, " X ")
        .str.to_lowercase()
        .str.replace_all(r"[\W_]+", " ")
        .str.replace_all(r"\d+", "0")
        .str.strip_chars()
    )
    return pl.when(shape.str.count_matches(r"\b[a-z]{2,}\b") >= PROMO_SHAPE_MIN_LOWER).then(shape)


PROMO_SHAPE_MIN_LOWER = 3  # lower-case words a call to action keeps in its shape to be learnt by it


@cache
def _promo_verb_regex() -> str:
    """A normalised line opening with a call-to-action verb (promo_words.tsv, verb = yes), after an
    optional "yuk"/"ayo"/"jangan lupa"/"segera"."""
    words = [r["word"] for r in rules.read_table("promo_words.tsv") if r.get("verb") == "yes"]
    return (
        r"^(?:(?:yuk|ayo|jangan lupa|segera) )?(?:"
        + "|".join(sorted(words, key=len, reverse=True))
        + r")(?: |$)"
    )


def with_line_hash(rows: pl.DataFrame, key: str | None = None) -> pl.DataFrame:
    """rows with `_kh`, the hash repeated_lines learns templates by (_key_hash of the normalised
    line, `key` when the column is there); a line opening with a call-to-action verb, without quote
    marks, is hashed by its promo_shape_expr instead, worked out only on those lines (a few per
    thousand), not the whole column."""
    k = pl.col(key) if key else norm_key_expr("text")
    rows = rows.with_columns(_key_hash(k).alias("_kh"))
    if not rows.height:
        return rows
    opens = k.str.contains(_promo_verb_regex()) & ~pl.col("text").str.contains("[\"“”]")
    idx = rows.select(opens.fill_null(False)).to_series().arg_true()
    if not len(idx):
        return rows
    shaped = rows.select(pl.col("text").gather(idx)).select(
        promo_shape_expr(pl.col("text")).hash(seed=11)
    )
    keep = shaped.to_series().is_not_null()
    idx, hashes = idx.filter(keep), shaped.to_series().filter(keep)
    return rows.with_columns(rows["_kh"].clone().scatter(idx, hashes)) if len(idx) else rows


@cache
def _promo_words_regex() -> str:
    words = [r["word"] for r in rules.read_table("promo_words.tsv")]
    return (
        r"^(?:\S+ ){0,4}(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?: |$)"
    )


def repeat_candidates(rows: pl.DataFrame) -> pl.DataFrame:
    """Distinct (outlet_key, line hash, headline hash) of the body lines that may be template
    boilerplate: short, no quote marks, not empty. Articles are told apart by their headline (the
    row labelled "title", else the article id), so copies of one article (re-scrapes, duplicate
    files) never teach the rule. Quotes and long paragraphs are never learnt (wire copy repeats
    those legitimately; dedup handles it)."""
    if "_kh" not in rows.columns:
        rows = with_line_hash(rows)
    titles = (
        rows.filter(pl.col("boilerplate_rule") == "title")
        .select(
            "article_id",
            (pl.col("_key") if "_key" in rows.columns else norm_key_expr("text")).alias("_title"),
        )
        .group_by("article_id")
        .agg(pl.col("_title").first())
    )
    cand = rows.filter(
        pl.col("boilerplate_rule").is_null()
        & (pl.col("text").str.len_chars() <= 120)
        & ~pl.col("text").str.contains('["“”]')
        & (
            (pl.col("_key") if "_key" in rows.columns else norm_key_expr("text")).str.len_chars()
            > 0
        )
    )
    kh = pl.col("_kh")
    key = pl.col("_key") if "_key" in rows.columns else norm_key_expr("text")
    return (cand.join(titles, on="article_id", how="left")
            .select("outlet_key", kh,
                    pl.coalesce("_title", "article_id").hash(seed=7).alias("_th"),
                    key.str.contains(_promo_words_regex()).alias("_promo"))
            .unique())


def repeated_lines(
    cands: list[pl.DataFrame],
    outlets: list[pl.DataFrame],
    min_articles: int = REPEAT.min_articles,
    min_share: float = REPEAT.min_share,
    promo_min_articles: int = REPEAT.promo_min_articles,
) -> pl.DataFrame:
    """(outlet_key, line hash, rule) of the outlet's template lines: those whose shape is found in
    at least min_articles distinct headlines of one outlet and in at least min_share of its articles
    (repeated_in_outlet), and the call-to-action lines found in at least promo_min_articles
    (repeated_promo)."""
    schema = {"outlet_key": pl.String, "_kh": pl.UInt64, "_rule": pl.String}
    if not cands:
        return pl.DataFrame(schema=schema)
    per_outlet = pl.concat(outlets).group_by("outlet_key").agg(pl.col("n_outlet").sum())
    template = (pl.col("n") >= min_articles) & (pl.col("n") >= pl.col("n_outlet") * min_share)
    promo = pl.col("_promo") & (pl.col("n") >= promo_min_articles)
    return (pl.concat(cands).unique().group_by("outlet_key", "_kh")
            .agg(pl.len().alias("n"), pl.col("_promo").any())
            .join(per_outlet, on="outlet_key")
            .filter(template | promo)
            .select("outlet_key", "_kh", pl.when(template).then(pl.lit("repeated_in_outlet"))
                    .otherwise(pl.lit("repeated_promo")).alias("_rule")))
