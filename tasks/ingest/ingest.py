"""Ingest: find input files, decode them, split exports into one record per article, quarantine bad
input.

Pure functions: `ingest_dir` returns the articles and quarantine frames; the flow writes them.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import ftfy
import ftfy.fixes
import polars as pl
import xxhash

from tasks.context import MapChunks
from tasks.ingest import inputs
from tasks.ingest.columns import export_metadata, picked_column
from tasks.ingest.inputs import BadInput
from tasks.schema import INGEST_ARTICLES, QUARANTINE, conform

TEXT_EXT = {".txt": "txt", ".text": "txt", ".md": "txt"}
HTML_EXT = {".html": "html", ".htm": "html"}
EXPORT_EXT = {
    ".csv": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
}
SUPPORTED = {**TEXT_EXT, **HTML_EXT, **EXPORT_EXT}
# an export (CSV/JSON/JSONL/XLSX) larger than this is quarantined unread
MAX_FILE_BYTES = 256 * 1024 * 1024
# a one-article file (.txt/.html) larger than this is not an article
MAX_ARTICLE_BYTES = 8 * 1024 * 1024
# an HTML page whose extracted text is shorter is a menu or an empty shell, not an article
MIN_HTML_WORDS = 15
MAX_ARTICLE_CHARS = 1_000_000  # one article's text; real articles are < 100k characters

# Column names recognised in scraper exports (first match wins, case-insensitive).
TEXT_COLUMNS = (
    "content",
    "text",
    "body",
    "article",
    "isi",
    "artikel",
    "konten",
    "full_text",
    "fulltext",
    "berita",
)
URL_COLUMNS = ("url", "link", "permalink", "source_url")
TITLE_COLUMNS = ("title", "judul", "headline")
DATE_COLUMNS = (
    "published_at",
    "published",
    "date_published",
    "datetime",
    "date",
    "tanggal",
    "date_raw",
    "time",
    "waktu",
    "time_raw",
    "jam",
)
SOURCE_COLUMNS = ("outlet", "source", "media", "site", "publisher", "sitename", "portal", "sumber")

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")  # dropped
# -> " "
_ODD_SPACE = frozenset("\u00a0\u2007\u202f\u3000" + "".join(map(chr, range(0x2000, 0x200b))))
_NOT_NORMAL = re.compile("[" + "".join(sorted(_ZERO_WIDTH | _ODD_SPACE)) + "]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Record:
    source_path: str
    source_row: int | None
    source_format: str
    raw_text: str
    url: str | None = None
    title_hint: str | None = None
    published_hint: str | None = None
    outlet_hint: str | None = None
    author_hint: str | None = None
    editor_hint: str | None = None
    category_hint: str | None = None
    tags_hint: str | None = None
    extra: str | None = None


@dataclass
class Quarantined:
    source_path: str
    source_row: int | None
    reason: str
    detail: str


@dataclass
class FileResult:
    records: list[Record] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)


def decode_bytes(data: bytes, fix: bool = True) -> str:
    """Bytes to clean text: BOM-aware UTF-8/UTF-16, cp1252 fallback, ftfy for mojibake, \\n
    newlines.

    Exports (fix=False) are repaired per field instead (records_from_rows): one ftfy pass over a
    whole many-megabyte export costs seconds where most of its articles need none. Raises BadInput
    for empty or binary input.
    """
    if not data.strip():
        raise BadInput("empty", f"{len(data)} bytes, no text")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        sample = data[:65536]
        if sample.count(b"\x00") > len(sample) // 100 + 1:
            raise BadInput("binary", "NUL bytes: not a text file")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:  # one stray byte must not turn a UTF-8 file into cp1252
            text = inputs.decode_mostly_utf8(data)
    text = normalise_text(text)
    controls = len(_CONTROL.findall(text[:65536]))
    if controls > max(8, len(text[:65536]) // 50):
        raise BadInput("binary", f"{controls} control characters: not a text file")
    if fix:
        text = fix_text(text)
    text = _drop(_CONTROL, "", text)  # NUL included
    if not text.strip():
        raise BadInput("empty", "only whitespace")
    return text


# ftfy.fix_text leaves text made only of these characters unchanged (tests/test_ingest_twins.py
# checks it):
# printable ASCII, "&" not starting an HTML entity, and common typographic punctuation. Most
# articles are such text,
# so ftfy (most of ingest's time) runs only on the others. An entity is what
# ftfy's unescape_html decodes (its HTML_ENTITY_RE, with the semicolon): "R&D" or "Johnson &
# Johnson" are not.
_FTFY_MAY_CHANGE = re.compile(r"[^\t\n\x20-\x7e“”‘’–—…•°]|" + ftfy.fixes.HTML_ENTITY_RE.pattern)


def fix_text(text: str) -> str:
    """ftfy.fix_text (mojibake, HTML entities, control characters), skipped where it cannot change
    anything."""
    if not _FTFY_MAY_CHANGE.search(text):
        return text
    return ftfy.fix_text(text, normalization=None, fix_line_breaks=False, uncurl_quotes=False)


def _fixed(value: str | None) -> str | None:
    return None if value is None else fix_text(normalise_text(value))


def normalise_text(text: str) -> str:
    """\n newlines (CRLF, lone CR), no zero-width characters, non-breaking/odd spaces as plain
    spaces."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # both character sets are outside ASCII: most texts need no regex pass
        return text
    # one scan for both sets
    return _NOT_NORMAL.sub(_normal_char, text) if _NOT_NORMAL.search(text) else text


def _normal_char(m: re.Match[str]) -> str:
    return "" if m.group() in _ZERO_WIDTH else " "


def _drop(pattern: re.Pattern[str], repl: str, text: str) -> str:
    """pattern.sub(repl, text), after a search: most texts hold none of these characters, and a
    search that finds none costs a quarter of a sub that replaces none (whole exports are tens of
    MB)."""
    return pattern.sub(repl, text) if pattern.search(text) else text


def _pick(row: dict[str, object], names: tuple[str, ...]) -> str | None:
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for n in names:
        v = lower.get(n)
        if v is not None and str(v).strip():
            return str(v).strip()
    return None


def _date_hint(row: dict[str, object]) -> str | None:
    """Join the date-like columns ("date", "time") into one string for the date parser."""
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    parts = [
        str(lower[n]).strip()
        for n in DATE_COLUMNS
        if n in lower and lower[n] is not None and str(lower[n]).strip()
    ]
    return " ".join(parts) or None


def _is_header_row(row: dict[str, object]) -> bool:
    """A header line repeated inside an export (files concatenated): most filled cells hold their
    own column's name."""
    cells = [(str(k).strip().lower(), str(v).strip().lower()) for k, v in row.items()
             if k is not None and v is not None and str(v).strip()]
    return len(cells) >= 2 and sum(k == v for k, v in cells) * 2 > len(cells)


def records_from_rows(
    rows: Iterator[tuple[int, dict[str, object]]], rel: str, fmt: str
) -> FileResult:
    res = FileResult()
    seen_any = False
    bad = lambda i, reason, detail: res.quarantined.append(Quarantined(rel, i, reason, detail))  # noqa: E731
    is_json = fmt.startswith("json")  # one error boundary per row (inputs.checked_rows)
    for i, row in inputs.checked_rows(
        rows, bad, TEXT_COLUMNS, "malformed_json" if is_json else "malformed_row", is_json
    ):
        seen_any = True
        if not isinstance(row, dict):
            res.quarantined.append(Quarantined(rel, i, "malformed_row", "expected an object, got "
                                                                        f"{type(row).__name__}"))
            continue
        if _is_header_row(row):
            res.quarantined.append(Quarantined(rel, i, "header_row", "the row repeats the column "
                                                                     "names"))
            continue
        text = _pick(row, TEXT_COLUMNS)
        if text is None:
            has_col = any(str(k).strip().lower() in TEXT_COLUMNS for k in row if k is not None)
            reason = "no_article_text" if has_col else "no_text_column"
            res.quarantined.append(Quarantined(rel, i, reason, "no text in columns "
                                                               f"{list(TEXT_COLUMNS)[:4]}..."))
            continue
        if len(text) > MAX_ARTICLE_CHARS:
            res.quarantined.append(Quarantined(rel, i, "too_large", f"{len(text)} characters > "
                                                                    f"{MAX_ARTICLE_CHARS} for one "
                                                                    "article"))
            continue
        text = fix_text(normalise_text(text))
        used = [
            picked_column(row, names)
            for names in (TEXT_COLUMNS, URL_COLUMNS, TITLE_COLUMNS, SOURCE_COLUMNS)
        ]
        used += [k for k in row if k is not None and str(k).strip().lower() in DATE_COLUMNS]
        res.records.append(
            Record(
                rel,
                i,
                fmt,
                text,
                url=_pick(row, URL_COLUMNS),
                title_hint=_fixed(_pick(row, TITLE_COLUMNS)),
                published_hint=_date_hint(row),
                outlet_hint=_pick(row, SOURCE_COLUMNS),
                # authors, editors, category, tags; the rest verbatim in extra
                **export_metadata(row, used),
            )
        )
    if not seen_any and not res.quarantined:
        res.quarantined.append(Quarantined(rel, None, "empty", "export has no rows"))
    return res


def read_csv_text(text: str, delimiter: str, rel: str = "",
                  res: FileResult | None = None) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows of a CSV/TSV (tasks/inputs.csv_rows: headerless files, shifted and glued rows, duplicate
    columns, raw quotes in a TSV); rows refused are appended to res.quarantined with their line."""
    sink = res if res is not None else FileResult()
    yield from inputs.csv_rows(
        text, delimiter, lambda i, r, d: sink.quarantined.append(Quarantined(rel, i, r, d))
    )


def read_jsonl(text: str, rel: str, res: FileResult) -> Iterator[tuple[int, dict[str, object]]]:
    for i, line in enumerate(text.split("\n")):
        if not line.strip():
            continue
        try:
            yield i, json.loads(line)
        except json.JSONDecodeError as e:
            res.quarantined.append(Quarantined(rel, i, "malformed_json", f"line {i + 1}: {e.msg} "
                                                                         f"(col {e.colno})"))
        except (ValueError, RecursionError) as e:  # too deep, an integer too long: this line only
            res.quarantined.append(Quarantined(rel, i, "malformed_json", f"line {i + 1}: "
                                                                         f"{type(e).__name__}: "
                                                                         f"{str(e)[:200]}"))


def read_json(text: str) -> Iterator[tuple[int, dict[str, object]]]:
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadInput("malformed_json", f"line {e.lineno}: {e.msg}") from None
    if isinstance(obj, dict):
        for key in ("articles", "data", "items", "results", "rows"):
            if isinstance(obj.get(key), list):
                obj = obj[key]
                break
        else:
            obj = [obj]
    if not isinstance(obj, list):
        raise BadInput("malformed_json", f"expected a list or object, got {type(obj).__name__}")
    yield from enumerate(obj)


def html_record(html: str, rel: str) -> Record:
    """Main text and metadata of a saved article page, via trafilatura."""
    import trafilatura

    out = trafilatura.extract(
        html,
        output_format="json",
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=False,
        deduplicate=False,
    )
    data = json.loads(out) if out else {}
    text = (data.get("raw_text") or data.get("text") or "").strip()
    if not text:
        raise BadInput("no_article_text", "HTML page has no extractable article text")
    n_words = len(text.split())
    if n_words < MIN_HTML_WORDS:  # menus, cookie banners, script-only pages
        raise BadInput("no_article_text", f"HTML page has only {n_words} words of text outside "
                                          "scripts/styles/navigation")
    if len(text) > MAX_ARTICLE_CHARS:
        raise BadInput("too_large", f"{len(text)} characters of article text > {MAX_ARTICLE_CHARS}")
    title = data.get("title")
    lines = [title] if title else []
    return Record(rel, None, "html", "\n\n".join(lines + [data.get("text") or text]),
                  url=data.get("url") or None, title_hint=title, published_hint=data.get("date"),
                  outlet_hint=data.get("sitename") or data.get("hostname"))


def read_file(path: Path, rel: str) -> FileResult:
    """Records from one input file; any problem becomes a quarantine entry, never an exception."""
    suffix = (
        Path(rel).suffix.lower() if Path(rel).suffix.lower() in SUPPORTED else path.suffix.lower()
    )
    fmt = SUPPORTED.get(suffix, "")  # a symlink's name says the format; path is its target
    res = FileResult()
    if not fmt:
        res.quarantined.append(
            Quarantined(rel, None, "unsupported_format", f"extension {suffix or '(none)'}")
        )
        return res
    try:
        # O_NOFOLLOW | O_NONBLOCK, then fstat: checked at the open
        with inputs.open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            limit = MAX_FILE_BYTES if fmt in EXPORT_EXT.values() else MAX_ARTICLE_BYTES
            if size > limit:
                kind = "an export" if limit == MAX_FILE_BYTES else "a one-article file"
                raise BadInput("too_large", f"{size} bytes > {limit} for {kind}; not read")
            if fmt == "xlsx":
                sub = FileResult()
                res = records_from_rows(inputs.xlsx_rows(fh, lambda i, r, d: sub.quarantined.append(
                    Quarantined(rel, i, r, d)), TEXT_COLUMNS), rel, fmt)
                res.quarantined += sub.quarantined
                return res
            data = fh.read()
        text = decode_bytes(data, fix=fmt in ("txt", "html"))
        if fmt == "txt":
            if len(text) > MAX_ARTICLE_CHARS:
                raise BadInput("too_large", f"{len(text)} characters > {MAX_ARTICLE_CHARS} for one "
                                            "article")
            res.records.append(Record(rel, None, fmt, text))
        elif fmt == "html":
            res.records.append(html_record(text, rel))
        elif fmt == "csv":
            delim = "\t" if suffix == ".tsv" else ","
            sub = FileResult()
            res = records_from_rows(read_csv_text(text, delim, rel, sub), rel, fmt)
            res.quarantined = sub.quarantined + [
                q for q in res.quarantined if q.reason != "empty" or not sub.quarantined
            ]
        elif fmt == "jsonl":
            sub = FileResult()
            got = records_from_rows(read_jsonl(text, rel, sub), rel, fmt)
            got.quarantined = sub.quarantined + [
                q for q in got.quarantined if q.reason != "empty" or not sub.quarantined
            ]
            res = got
        elif fmt == "json":
            res = records_from_rows(read_json(text), rel, fmt)
    except BadInput as e:
        res.quarantined.append(Quarantined(rel, None, e.reason, e.detail))
    except (OSError, csv.Error, UnicodeError, ValueError) as e:
        res.quarantined.append(Quarantined(rel, None, "unreadable", f"{type(e).__name__}: {e}"))
    except Exception as e:  # one error boundary per file: whatever a parser raises, the run goes on
        res = FileResult(quarantined=[Quarantined(rel, None, "unreadable", f"{type(e).__name__}: "
                                                                           f"{str(e)[:300]}")])
    return res


def discover(
    input_dir: Path, output: Path | None = None
) -> tuple[list[tuple[Path, str]], list[Quarantined]]:
    """Supported regular files under input_dir (recursive, sorted) as (path to open, relative path).
    Nothing is
    opened: symlinks leading outside, symlink loops, FIFOs/sockets/devices and folders that cannot
    be listed are quarantined, not read; berita's own outputs (output inside input_dir) are not
    input."""
    root = Path(input_dir).resolve()
    found: list[tuple[Path, str]] = []
    skipped: list[Quarantined] = []
    own = inputs.own_outputs(root, output)

    # os.walk's onerror: a folder it cannot list is not silently empty
    def unlisted(e: OSError) -> None:
        where = Path(e.filename) if e.filename else root
        rel = (
            inputs.display_rel(where.relative_to(root).as_posix())
            if where.is_relative_to(root)
            else str(where)
        )
        skipped.append(Quarantined(rel, None, "unreadable", "folder not listed "
                                                            f"({e.strerror or e}); its files not "
                                                            "read"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted, followlinks=False):
        dirnames[:] = [d for d in dirnames if Path(dirpath) / d not in own]
        for d in sorted(dirnames):
            sub = Path(dirpath) / d
            if sub.is_symlink() and not d.startswith("."):
                rel = sub.relative_to(root).as_posix()
                skipped.append(Quarantined(rel, None, "symlink_dir", "directory symlink to "
                                                                     f"{sub.resolve()}; not "
                                                                     "followed"))
        dirnames[:] = sorted(
            d for d in dirnames if not d.startswith(".") and not (Path(dirpath) / d).is_symlink()
        )
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            p = Path(dirpath) / name
            if p in own:
                continue
            rel = inputs.display_rel(p.relative_to(root).as_posix())
            if p.suffix.lower() not in SUPPORTED:
                skipped.append(
                    Quarantined(
                        rel,
                        None,
                        "unsupported_format",
                        f"extension {inputs.display_rel(p.suffix) or '(none)'} is not one of "
                        f"{sorted(SUPPORTED)}",
                    )
                )
                continue
            target, reason, detail = inputs.classify(p, root)
            if target is None:
                skipped.append(Quarantined(rel, None, reason, detail))
                continue
            found.append((target, rel))
    return found, skipped


def article_id(source_path: str, source_row: int | None, sha: str) -> str:
    return xxhash.xxh3_128_hexdigest(f"{source_path}\x1f{source_row}\x1f{sha}".encode())[:16]


def records_frame(
    records: list[Record], previous: pl.DataFrame | None, now: datetime
) -> pl.DataFrame:
    """Article rows of some records, in source order; ingested_at carried over from `previous`
    (article_id, ingested_at) for articles seen before."""
    rows = []
    for r in records:
        sha = hashlib.sha256(r.raw_text.encode("utf-8")).hexdigest()
        rows.append(
            {
                "article_id": article_id(r.source_path, r.source_row, sha),
                "source_path": r.source_path,
                "source_row": r.source_row,
                "source_format": r.source_format,
                "url": r.url,
                "title_hint": r.title_hint,
                "published_hint": r.published_hint,
                "outlet_hint": r.outlet_hint,
                "raw_text": r.raw_text,
                "content_sha256": sha,
                "author_hint": r.author_hint,
                "editor_hint": r.editor_hint,
                "category_hint": r.category_hint,
                "tags_hint": r.tags_hint,
                "extra": r.extra,
            }
        )
    df = pl.DataFrame(
        rows, schema={c: t for c, (t, _) in INGEST_ARTICLES.columns.items() if c != "ingested_at"}
    )
    df = df.with_columns(
        pl.lit(now).cast(INGEST_ARTICLES.schema["ingested_at"]).alias("ingested_at")
    )
    if previous is not None and previous.height:
        prev = previous.select("article_id", pl.col("ingested_at").alias("_prev"))
        df = df.join(prev, on="article_id", how="left", maintain_order="left").with_columns(
            pl.coalesce("_prev", "ingested_at").alias("ingested_at")).drop("_prev")
    df = df.unique("article_id", keep="first", maintain_order=True)
    return conform(
        df.sort("source_path", "source_row", nulls_last=False, maintain_order=True), INGEST_ARTICLES
    )


def quarantine_frame(items: list[Quarantined]) -> pl.DataFrame:
    df = pl.DataFrame([q.__dict__ for q in items], schema=QUARANTINE.schema)
    return df.sort("source_path", "source_row", nulls_last=False)


PARALLEL_MIN_BYTES = 8 << 20  # below this much input, worker processes cost more than they save


def ingest_dir(input_dir: Path, previous: pl.DataFrame | None = None, now: datetime | None = None,
               progress=None, map_chunks: MapChunks = map, output: Path | None = None
               ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """All articles under input_dir and the quarantine list, as two frames (see iter_ingest)."""
    quarantined: list[Quarantined] = []
    frames = list(iter_ingest(input_dir, quarantined, previous, now, progress, map_chunks, output))
    articles = pl.concat(frames) if frames else records_frame([], None, now or datetime.now(UTC))
    return articles, quarantine_frame(quarantined)


def iter_ingest(
    input_dir: Path,
    quarantined: list[Quarantined],
    previous: pl.DataFrame | None = None,
    now: datetime | None = None,
    progress=None,
    map_chunks: MapChunks = map,
    output: Path | None = None,
) -> Iterator[pl.DataFrame]:
    """The articles under input_dir, one frame per file, in source order (files sorted by relative
    path, rows in order), so a caller can write them as they come: memory holds a few files, not the
    corpus. Quarantined files and rows are appended to `quarantined`. ingested_at is carried over
    from `previous` (article_id, ingested_at). Files are read with map_chunks (on workers, when the
    caller gives them) when the input is large enough to pay for them."""
    now = now or datetime.now(UTC)
    files, skipped = discover(input_dir, output)
    quarantined.extend(skipped)
    files.sort(key=lambda f: f[1])  # the order of source_path, so the concatenated output is sorted
    size = sum(inputs.size_of(p) for p, _ in files)
    for n, res in enumerate((map_chunks if size >= PARALLEL_MIN_BYTES else map)(_read_one, files)):
        quarantined.extend(res.quarantined)
        # ids hash the path: never repeated across files
        df = records_frame(res.records, previous, now)
        if progress:
            progress(n + 1, len(files))
        yield df


def _read_one(item: tuple[Path, str]) -> FileResult:
    return read_file(*item)
