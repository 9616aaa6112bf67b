"""Clean: split each article into lines and label every line or span as body or boilerplate, by
named rule.

Nothing is dropped: each removed line or span is its own row with the rule that removed it, so
`paragraphs in = body rows + removed rows`. The rules are the tables in tasks/rules/; this module
holds only the logic that applies them (first-match line rules, related-article spans cut out of
paragraphs, the dateline at the start of the body, the title and date lines at the top, captions,
trailing sign-offs) and the corpus-level rule that learns lines repeated across one outlet's
articles.

These are the plain, readable versions (the specification): clean_article labels one article.
tasks/clean/fast.py holds their fast twins (the line rules over a column in polars' Rust regex
engine behind literal pre-filters, clean_articles for many articles at once) and the chunk passes
the stage runs.
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
from tasks.text import fold, split_lines, squash
from tasks.text_fast import (
    LiteralPrefilter,
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
    """One source line with what article_lines (or its batch twin) found: its squashed form, the
    first whole-line rule it matches, whether it is a photo caption, and whether a related-article
    prefix occurs in it at all. (A named tuple: a corpus makes millions, and a frozen dataclass
    costs more to build.)"""
    source_line: int
    raw: str
    text: str
    rule: str | None
    caption: bool
    related: bool
    joined: str | None = None
    # a tail rule may match in it (it holds the literals one needs; the batch twin's pre-check)
    tail: bool = True


def article_lines(raw_text: str) -> list[Line]:
    """The article's lines (split_lines, inline-link fragments joined back into their paragraphs:
    tasks/clean/fragments.py), each with its squashed form, the first whole-line rule it matches,
    whether it is a photo caption and whether a related-article prefix occurs in it. A paragraph
    the joining rebuilt is looked at as a whole; a call to action split over lines keeps the rule
    of its first line."""
    lines = split_lines(raw_text)
    infos = [_line(ln, raw) for ln, raw in lines]
    if len(lines) <= 1 or not may_join(raw_text):
        return infos
    cats = rules.line_rule_categories()
    flags = [_template_kind(info.rule, cats) for info in infos]
    joined_lines, joins = join_fragments(lines, raw_text, _is_template_line, flags)
    if not joins:
        return infos
    firsts = {j.first: j.label() for j in joins}
    by_line = {info.source_line: info for info in infos}
    out = []
    for ln, raw in joined_lines:
        info = by_line[ln]
        if ln in firsts:
            again = _line(ln, raw)
            if again.rule is None and _template_kind(info.rule, cats) == PROMO:
                again = again._replace(rule=info.rule)
            info = again._replace(joined=firsts[ln])
        out.append(info)
    return out


def _line(source_line: int, raw: str) -> Line:
    """One line's Line: its squashed text, the first line rule matching it whole, the caption and
    related-prefix checks."""
    text = squash(raw)
    return Line(
        source_line,
        raw,
        text,
        match_line_rule(text) if text else None,
        _CAPTION.search(text) is not None,
        re.search(rules.related_prefix_alternation(), raw) is not None,
    )


def clean_article(raw_text: str, title_hint: str | None = None) -> list[Row]:
    """Label every line/span of one article (article_lines, then label_rows). Body rows have rule
    None."""
    return label_rows(article_lines(raw_text), title_hint)


def label_rows(lines: list[Line], title_hint: str | None = None) -> list[Row]:
    """The rows of an article from its lines (article_lines): each line, or the pieces a related
    link, lead caption, dateline or tail rule cuts it into, with its rule (None for body); then
    sign-offs, credits and run-together copies."""
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
    from tasks.clean.fast import clean_chunk_keyed, finish_rows  # the batch path

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
