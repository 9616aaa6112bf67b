"""`berita show`: one article's rows, read with filters pushed into the Parquet scans (DuckDB: only
the id columns of the whole tables are scanned; other columns are decoded for the matching rows
only), and its values as plain text for a terminal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polars as pl

from tasks import schema

ID_TABLES = (schema.EXTRACT_ARTICLES, schema.DEDUP_ARTICLES, schema.INGEST_ARTICLES)
MATE_COLUMNS = [
    "article_id",
    "outlet",
    "title",
    "published_at",
    "source_path",
    "source_row",
    "duplicate_of",
    "story_id",
]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


class AmbiguousIdError(KeyError):
    """A prefix matching more than one article."""

    def __str__(self) -> str:  # KeyError would print the repr of its argument
        return str(self.args[0])


class NoArticleError(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def _path(output: Path, table: schema.Table) -> str | None:
    path = Path(output) / table.relpath  # not tasks.io: importing pyarrow would slow show down
    return path.as_posix() if path.exists() else None


def _connect():
    """DuckDB evaluates the id filters on the Parquet files' dictionary-encoded pages (and in
    parallel): faster than a polars scan (timings: bench/show_bench.py)."""
    import tempfile

    import duckdb

    return duckdb.connect(config={"temp_directory": tempfile.gettempdir()})


def _rows(con, sql: str, params: dict[str, object]) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())  # type: ignore[return-value]


def resolve_id(output: Path, prefix: str, *, shown: int = 10) -> str:
    """The one article id starting with prefix; refuses an empty prefix, no match, or several
    matches (listing the first `shown`)."""
    prefix = prefix.strip()
    if not prefix:
        raise ValueError("empty article id: give an id or a unique prefix of one (e.g. from "
                         "`berita sql "
                         "\"SELECT article_id, title FROM articles LIMIT 5\"`)")
    path = next((p for t in ID_TABLES if (p := _path(output, t)) is not None), None)
    if path is None:
        raise FileNotFoundError(f"no articles in {output}")
    ids = _rows(_connect(), "SELECT article_id FROM read_parquet($p) WHERE starts_with(article_id, "
                            "$x) LIMIT $n",
                {"p": path, "x": prefix, "n": shown + 1})["article_id"].to_list()
    if not ids:
        raise NoArticleError(f"no article with id starting {prefix!r} in {output}")
    if len(ids) > 1:
        more = ", ..." if len(ids) > shown else ""
        raise AmbiguousIdError(f"{prefix!r} is the start of several article ids "
                               f"({', '.join(ids[:shown])}{more}): "
                               "give more characters")
    return ids[0]


@dataclass
class ArticleView:
    article_id: str
    paragraphs: pl.DataFrame
    fields: dict[str, object] | None
    quotes: pl.DataFrame | None
    entities: pl.DataFrame | None
    copy_of: dict[str, object] | None
    copied_by: list[dict[str, object]]
    story_mates: list[dict[str, object]]
    story_size: int


def article_view(output: Path, aid: str, *, mates_shown: int = 20) -> ArticleView:
    """Everything `show` prints about one article, reading only its rows (and its story's)."""
    con = _connect()
    one = "SELECT * FROM read_parquet($p) WHERE article_id = $a"
    paras = _path(output, schema.DEDUP_PARAGRAPHS) or _path(output, schema.CLEAN_PARAGRAPHS)
    rows = (
        _rows(con, one + " ORDER BY paragraph_index", {"p": paras, "a": aid})
        if paras
        else pl.DataFrame()
    )
    arts = _path(output, schema.EXTRACT_ARTICLES)
    fields = None
    copy_of, copied_by, mates, size = None, [], [], 0
    if arts is not None:
        a = _rows(
            con,
            "SELECT * EXCLUDE (body) FROM read_parquet($p) WHERE article_id = $a",
            {"p": arts, "a": aid},
        )
        fields = a.row(0, named=True) if a.height else None
    if fields is not None:
        sid, dup = fields.get("story_id"), fields.get("duplicate_of")
        others = _rows(con, f"SELECT {', '.join(MATE_COLUMNS)} FROM read_parquet($p) WHERE "
                            "article_id <> $a AND "
                            "(duplicate_of = $a OR story_id = $s OR article_id = $d) "
                            "ORDER BY published_at NULLS LAST, article_id",
                       {"p": arts, "a": aid, "s": sid, "d": dup})
        if dup is not None:
            hit = others.filter(pl.col("article_id") == dup)
            copy_of = hit.row(0, named=True) if hit.height else {"article_id": dup}
        copied_by = others.filter(pl.col("duplicate_of") == aid).rows(named=True)
        story = others.filter(pl.col("story_id") == sid) if sid is not None else others.clear()
        size, mates = story.height, story.head(mates_shown).rows(named=True)
    quotes = entities = None
    if (q := _path(output, schema.EXTRACT_QUOTES)) is not None:
        quotes = _rows(con, one + " ORDER BY paragraph_index", {"p": q, "a": aid})
    if (e := _path(output, schema.EXTRACT_ENTITIES)) is not None:
        entities = _rows(con, one + " ORDER BY label, count DESC, text", {"p": e, "a": aid})
    return ArticleView(aid, rows, fields, quotes, entities, copy_of, copied_by, mates, size)


def plain(v: object) -> str:
    """A value as text for a terminal: no Python reprs (null -> '-', lists joined, times in UTC and
    WIB), control characters (escape sequences) shown as \\xNN instead of acting on the terminal."""
    if v is None:
        s = "-"
    elif isinstance(v, list | tuple):
        s = ", ".join(plain(x) for x in v) if v else "-"
    elif isinstance(v, datetime):
        s = v.strftime("%Y-%m-%d %H:%M UTC")
        if v.tzinfo is not None:
            from zoneinfo import ZoneInfo

            s += v.astimezone(ZoneInfo("Asia/Jakarta")).strftime(" (%Y-%m-%d %H:%M WIB)")
    elif isinstance(v, float):
        s = f"{v:.2f}"
    elif isinstance(v, bool):
        s = "yes" if v else "no"
    else:
        s = str(v)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", s)


def where(r: dict[str, object]) -> str:
    """An article's source: file, and row inside an export."""
    src = plain(r.get("source_path"))
    return src + (f" row {r['source_row']}" if r.get("source_row") is not None else "")
