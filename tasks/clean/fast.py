"""The fast twins of clean's rules (tasks/clean/clean.py holds the plain ones, the specification):
the line rules, squash and caption checks over a column of lines in polars' Rust regex engine
behind literal pre-filters (line_rule_column, squash_expr, prepare_lines), clean_articles, the
batch twin of clean_article, and the chunk and corpus passes the stage runs (clean_chunk_keyed,
the line hashes and repeated-line candidates, finish_rows). tests/test_clean_twins.py checks each
twin gives what its plain version gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

import polars as pl

from tasks import rules
from tasks.clean.clean import (
    _CAPTION,
    _CAPTION_WORD,
    CHUNK_ARTICLES,
    PROMO,
    Line,
    Row,
    _is_template_line,
    _tail_rules,
    _template_kind,
    label_rows,
    outlet_keys,
    repeated_lines,
)
from tasks.clean.fragments import join_fragments, may_join
from tasks.context import MapChunks
from tasks.schema import CLEAN_PARAGRAPHS, conform
from tasks.text import split_lines
from tasks.text_fast import (
    LiteralPrefilter,
    first_char_guard,
    fold_expr,
    nfkc_expr,
    norm_key_expr,
)


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
            cols.select(_matches(pl.col("t").gather(idx), rule.regex, full=True)).to_series()
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


def clean_articles(raw_texts: list[str], title_hints: list[str | None]) -> list[list[Row]]:
    """clean_article of each article, the lines of all of them prepared in one vectorised pass
    (prepare_lines)."""
    return [
        label_rows(lines, hint)
        for lines, hint in zip(prepare_lines(raw_texts), title_hints, strict=True)
    ]


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
    articles_rows = clean_articles(sel["raw_text"].to_list(), sel["title_hint"].to_list())
    for aid, rows in zip(sel["article_id"].to_list(), articles_rows, strict=True):
        for i, row in enumerate(rows):
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
