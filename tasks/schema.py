"""The dataset layout and column schemas, defined once.

Every stage writes its tables under <output>/<stage>/<table>.parquet; the README's data dictionary
is checked against this module by a test, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")


@dataclass(frozen=True)
class Table:
    stage: str
    name: str
    columns: dict[str, tuple[pl.DataType, str]]  # column -> (dtype, description)

    @property
    def relpath(self) -> str:
        return f"{self.stage}/{self.name}.parquet"

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema({c: t for c, (t, _) in self.columns.items()})


STR, BOOL, I32, I64, F32 = pl.String(), pl.Boolean(), pl.Int32(), pl.Int64(), pl.Float32()
LIST_STR = pl.List(pl.String())

INGEST_ARTICLES = Table("ingest", "articles", {
    "article_id": (STR, "stable id: xxh3-128 of source_path + source_row + content_sha256 (16 hex "
                        "chars)"),
    "source_path": (STR, "file path relative to the input dir (data/raw)"),
    "source_row": (I64, "row number inside a CSV/JSON/JSONL/XLSX export (0-based, header "
                        "excluded); null for one-article files"),
    "source_format": (STR, "txt | html | csv | json | jsonl | xlsx"),
    "url": (STR, "article URL when the export had one"),
    "title_hint": (STR, "title column or HTML <title>/og:title, when present"),
    "published_hint": (STR, "date/time columns or HTML metadata, verbatim"),
    "outlet_hint": (STR, "source/outlet column or HTML site name, verbatim"),
    "raw_text": (STR, "decoded article text: UTF-8, newlines normalised to \\n, mojibake fixed, "
                      "zero-width chars removed"),
    "content_sha256": (STR, "sha256 of raw_text"),
    "ingested_at": (UTC_TS, "when this article was first ingested (kept across reruns, so reruns "
                            "are byte-identical)"),
    "author_hint": (STR, "author/penulis/reporter/wartawan column, verbatim "
                         "(tasks/rules/export_columns.tsv)"),
    "editor_hint": (STR, "editor/redaktur column, verbatim"),
    "category_hint": (STR, "category/kategori/rubrik column, verbatim"),
    "tags_hint": (STR, "tags/keywords column, verbatim"),
    "extra": (STR, "every other column of the export row, verbatim, as a JSON object (null when "
                   "none)"),
})

QUARANTINE = Table("quarantine", "ingest", {
    "source_path": (STR, "file path relative to the input dir"),
    "source_row": (I64, "row inside an export, null for a whole file"),
    "reason": (STR, "short machine-readable reason: empty | binary | malformed_json | "
                    "malformed_row | header_row | no_text_column | no_article_text | unreadable | "
                    "too_large | unsupported_format | symlink_outside | symlink_dir | "
                    "not_regular_file | symlink_loop | not_text | repeated_rows"),
    "detail": (STR, "human-readable detail (the parser's message, sizes)"),
})

CLEAN_PARAGRAPHS = Table("clean", "paragraphs", {
    "article_id": (STR, "article id (ingest/articles)"),
    "paragraph_index": (I32, "0-based position of the row inside the article, boilerplate rows "
                             "included"),
    "paragraph_id": (STR, "article_id + '-' + 4-digit paragraph_index"),
    "source_line": (I32, "0-based line (or glued-paragraph piece) of raw_text the row came from"),
    "text": (STR, "the paragraph, or the removed line/span"),
    "is_boilerplate": (BOOL, "true when the row is not part of the clean body"),
    "boilerplate_rule": (STR, "name of the rule that removed it (tasks/rules/*.tsv or clean.py), "
                              "null for body"),
    "boilerplate_category": (STR, "kind of removed text: related, social, ad, caption, credit, "
                                  "metadata, dateline, footer, header, navigation, template, "
                                  "duplicate, residue (lone punctuation the scraper left: "
                                  "dash_residue, empty_punct)"),
    "joined_from": (STR, "when the row was rebuilt from several source lines (inline-link "
                         "fragments): rule and lines, e.g. link_fragments:3-7; else null"),
})

# The clean stage's first pass (rows before the corpus-level repeated-line rule), parked between its
# two passes: in
# memory below 250,000 articles, else in a work file under <output>/.work/ (never a dataset, removed
# when the
# stage ends).
CLEAN_WORK = Table(
    ".work",
    "clean_rows",
    {
        "article_id": (STR, ""),
        "paragraph_index": (I32, ""),
        "source_line": (I32, ""),
        "text": (STR, ""),
        "boilerplate_rule": (STR, ""),
        "joined_from": (STR, ""),
        "outlet_key": (STR, "key that groups one outlet's articles"),
        "_kh": (pl.UInt64, "hash of the normalised line, for the repeated-line rule"),
    },
)

DEDUP_PARAGRAPHS = Table("dedup", "paragraphs", {
    **CLEAN_PARAGRAPHS.columns,
    "norm_hash": (STR, "xxh3-64 (hex) of the normalised text (NFKC, casefold, punctuation and "
                       "spaces removed)"),
    "duplicate_of": (STR, "paragraph_id of the canonical copy (earliest published, then first "
                          "ingested), null when canonical or unique"),
    "similarity": (F32, "1.0 exact normalised copy; else estimated character-5-gram Jaccard with "
                        "the canonical; null when not a copy"),
    "duplicate_scope": (STR, "null | cross_article | within_article (a repeat inside one article; "
                             "dropped from the body)"),
    "in_body": (BOOL, "true when the row is part of the article's clean body (not boilerplate, not "
                      "a within-article repeat)"),
})

DEDUP_ARTICLES = Table("dedup", "articles", {
    "article_id": (STR, "article id"),
    "duplicate_of": (STR, "article_id of the earlier article this one copies: a re-scrape, a "
                          "near-identical copy, or a partial copy (most of the body, with a "
                          "rewritten lead or ending)"),
    "similarity": (F32, "the contained share: share of this article's body words in paragraphs (or "
                        "sentences, see copy_unit) the earlier article also has (>= 0.8 a whole "
                        "copy, 0.5-0.8 a partial copy); for copy_direction expands_earlier, share "
                        "of the earlier article's body words found in this one"),
    "story_id": (STR, "id of the story cluster (articles about the same event): the smallest "
                      "article_id in the cluster"),
    "copy_unit": (STR, "what the copy was found by: paragraphs (dedup/paragraphs links) or "
                       "sentences (sentence by sentence, when paragraph breaks are lost or "
                       "redrawn); null when not a copy"),
    "copy_direction": (STR, "copy_of_earlier (most of this article's body is in the earlier one) "
                            "or expands_earlier (most of the earlier article's body is in this "
                            "one, which adds to it: similarity is then the earlier one's share); "
                            "null when not a copy"),
})

EXTRACT_ARTICLES = Table(
    "extract",
    "articles",
    {
        "article_id": (STR, "article id"),
        "source_path": (STR, "file path relative to the input dir"),
        "source_row": (I64, "row inside an export, null for one-article files"),
        "url": (STR, "article URL when known"),
        "outlet": (
            STR,
            "canonical lower-case outlet name, e.g. kontan.co.id (URL, dateline, header, "
            "footer, or source column)",
        ),
        "title": (STR, "headline"),
        "published_at": (
            UTC_TS,
            "publish time in UTC (from the date line or export metadata; WIB/WITA/WIT converted)",
        ),
        "dateline": (STR, "dateline city, title case"),
        "authors": (LIST_STR, 'writers/reporters ("oleh X dan Y", "Penulis:", "Reporter:")'),
        "editors": (LIST_STR, 'editors ("Editor:", "Redaktur:")'),
        "signoff": (STR, "trailing sign-off initials without brackets, e.g. sin, Ka, *"),
        "language": (STR, "ISO 639-1 code from langdetect (seed 0) on the body"),
        "foreign_paragraphs": (
            I32,
            "body paragraphs that look like another language than the article's",
        ),
        "body": (STR, "clean body paragraphs joined by a blank line"),
        "word_count": (I32, "words in body"),
        "related_titles": (LIST_STR, "headlines of related-article links removed from the text"),
        "cited_sources": (LIST_STR, 'wire agencies and media cited ("Dilansir X", agency names)'),
        "captions": (LIST_STR, "photo captions removed from the text"),
        "photo_credits": (LIST_STR, 'photo credits ("FOTO: AFP")'),
        "boilerplate_removed": (
            I32,
            "rows removed from the body (boilerplate + within-article repeats)",
        ),
        "duplicate_of": (STR, "article_id this article duplicates (dedup/articles)"),
        "story_id": (STR, "story cluster id (dedup/articles)"),
        "date_source": (
            STR,
            "where published_at came from: text (a date line), column (export), html_meta, url",
        ),
        "date_check": (
            STR,
            "published_at against the URL's date: null (no date in the URL), "
            "url_agrees, day_month_swapped (corrected), url_conflict (kept, flagged), "
            "from_url",
        ),
        "category": (STR, "the export's category/kategori column"),
        "tags": (LIST_STR, "the export's tags/keywords column, split"),
    },
)

EXTRACT_QUOTES = Table("extract", "quotes", {
    "article_id": (STR, "article id"),
    "paragraph_index": (I32, "paragraph the quote is in"),
    "quote": (STR, "the quoted words, without quote marks"),
    "speaker": (STR, "speaker's full name when it can be resolved, else as written; null when "
                     "unknown"),
    "verb": (STR, "attribution verb (kata, ujar, mengatakan, ...)"),
    "quotation_id": (STR, "the distinct quotation this occurrence belongs to (extract/quotations)"),
})

EXTRACT_ENTITIES = Table("extract", "entities", {
    "article_id": (STR, "article id"),
    "text": (STR, "entity as written (persons resolved to their longest form in the article)"),
    "label": (STR, "PERSON | ORG | PLACE"),
    "count": (I32, "mentions in the body"),
})

EXTRACT_QUOTATIONS = Table("extract", "quotations", {
    "quotation_id": (STR, "stable id of the quotation: xxh3-64 of its first occurrence and speaker "
                          "(16 hex chars)"),
    "text": (STR, "the quoted words as first published"),
    "speaker": (STR, "the speaker most often named for it; null when never named"),
    "first_article_id": (STR, "article of the earliest occurrence (earliest published, unknown "
                              "last)"),
    "first_outlet": (STR, "outlet of that article"),
    "first_published_at": (UTC_TS, "publish time of that article (UTC), null when unknown"),
    "n_articles": (I32, "articles quoting it"),
    "n_outlets": (I32, "distinct outlets quoting it"),
    "outlets": (LIST_STR, "the outlets quoting it, sorted"),
})

DEDUP_INDEX = Table("dedup", "index/paragraph_signatures", {
    "norm_hash": (STR, "normalised-text hash (as in dedup/paragraphs) the signature was computed "
                       "from; one row per distinct text"),
    "sig": (pl.Array(pl.UInt32(), 48), "MinHash signature (48 x uint32, character 5-grams) of a "
                                       "body paragraph of 8+ words"),
    "index_version": (STR, "hashing parameters the signature was made with (a mismatch rebuilds "
                           "the index)"),
})

TABLES: tuple[Table, ...] = (
    INGEST_ARTICLES, QUARANTINE, CLEAN_PARAGRAPHS, DEDUP_PARAGRAPHS, DEDUP_ARTICLES,
    EXTRACT_ARTICLES, EXTRACT_QUOTES, EXTRACT_ENTITIES, EXTRACT_QUOTATIONS,
)
# Per-article lead words parked by dedup between its output pass and its story pass (under
# <output>/.work/).
DEDUP_TERMS_WORK = Table(".work", "dedup_terms", {
    "a": (I32, "article rank"), "w": (STR, "word"), "tf": (pl.UInt32(), "occurrences in the "
                                                                        "article's lead (a "
                                                                        "capitalised one counts "
                                                                        "twice)"),
})

# extract's quotes before surname-only speakers are resolved across stories (under <output>/.work/).
EXTRACT_QUOTES_WORK = Table(
    ".work",
    "extract_quotes",
    {
        **EXTRACT_QUOTES.columns,
        "_story": (STR, "story of a quote whose story spans chunks, else null"),
    },
)


def data_dictionary_markdown(table: Table) -> str:
    """The README's data-dictionary block for one table (the README must contain it verbatim; a test
    checks)."""
    lines = [f"### `{table.relpath}`", "", "| column | type | meaning |", "|---|---|---|"]
    for col, (dtype, desc) in table.columns.items():
        lines.append(f"| `{col}` | {dtype} | {desc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def conform(df: pl.DataFrame, table: Table) -> pl.DataFrame:
    """Select the table's columns in order with its dtypes (missing columns become typed nulls)."""
    exprs = []
    for col, (dtype, _) in table.columns.items():
        if col in df.columns:
            exprs.append(pl.col(col).cast(dtype))
        else:
            exprs.append(pl.lit(None, dtype=dtype).alias(col))
    return df.select(exprs)
