"""Hostile input, handled before ingest parses it: which paths may be opened, how they are opened,
and the checks that keep one bad file, folder or row from stopping, hanging, corrupting or emptying
a run.

Contracts (tests/test_hostile_classes.py, tests/test_hostile_generator.py):
- Only regular files are opened. A FIFO, socket or device node is listed as `not_regular_file` and
  never opened (opening a FIFO blocks until a writer comes); a symlink loop is `symlink_loop`; a
  folder that cannot be listed is `unreadable`.
- Every open is `O_NOFOLLOW | O_NONBLOCK`, then fstat-checked: a file swapped for a symlink (or a
  FIFO) after discovery is refused at the open, not before it.
- Export rows reach the column mapping as plain strings: a list of string paragraphs is joined with
  newlines; a number, object or boolean in a text column is `not_text`, never its Python repr.
- CSV: a first row that is data (a URL, a long or many-word cell) is not eaten as the header: the
  file is read with positional columns; a row with more cells than the header, or one whose text
  holds further CSV rows (an unbalanced quote glued them), is `malformed_row` with its line; a
  duplicate column name keeps the first non-empty value; a TSV whose lines all have the header's
  cell count is read with quoting off (raw `"`).
- An .xlsx is refused as `too_large` from its zip directory (uncompressed size), its shared-string
  count and its sheets' declared cell count, before openpyxl parses it; every sheet is read.
- The input folder itself (`check_input_dir`, checked by `berita run` and the flow before anything
  costly): missing, or a file, is an error with a one-line reason. A folder holding no article file
  is not an error: ingest then writes empty tables, and `empty_input_warning` says so on stderr
  (exit code EMPTY_INPUT_EXIT, 0).
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import BinaryIO

OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
Bad = Callable[[int | None, str, str], None]  # (source_row, reason, detail): quarantine one row


@dataclass(frozen=True)
class Limits:
    """Thresholds for hostile exports (a real scraper export is far below every one)."""

    xlsx_uncompressed_bytes: int = 1 << 30  # all members of the zip, uncompressed
    xlsx_shared_strings: int = 2_000_000  # <si> items in xl/sharedStrings.xml
    xlsx_cells: int = 50_000_000  # rows x columns declared by a sheet's dimension
    header_cell_chars: int = 64  # a column name is shorter; a longer first-row cell is data
    header_cell_words: int = 6
    future_clock_days: int = 365  # the clock is this far past berita's own files: warn


LIMITS = Limits()


class BadInput(Exception):
    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


# ---- files ----


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a unix socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISDIR, "a folder"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def classify(p: Path, root: Path) -> tuple[Path | None, str, str]:
    """(path to open, "", "") for a regular file (a symlink inside root: its target), else (None,
    reason, detail). Nothing is opened: lstat, then stat of a symlink's resolved target."""
    try:
        st = os.lstat(p)
    except OSError as e:
        return None, "unreadable", f"{type(e).__name__}: {e.strerror or e}"
    target = p
    if stat.S_ISLNK(st.st_mode):
        try:
            target = p.resolve(strict=True)
        except RuntimeError as e:  # Python 3.11: a loop
            return None, "symlink_loop", f"symlink loop ({e}); not followed"
        except OSError as e:
            if e.errno == 40:  # ELOOP
                return None, "symlink_loop", "symlink loop; not followed"
            return None, "unreadable", f"broken symlink ({e.strerror or e})"
        if not target.is_relative_to(root):
            return (
                None,
                "symlink_outside",
                f"points to {target}, outside the input dir; not followed",
            )
        try:
            st = os.stat(target)
        except OSError as e:
            return None, "unreadable", f"{type(e).__name__}: {e.strerror or e}"
    if not stat.S_ISREG(st.st_mode):
        return None, "not_regular_file", f"{_kind(st.st_mode)}; skipped, never opened"
    return target, "", ""


def open_regular(path: Path) -> BinaryIO:
    """The file for reading, only if it is (still) a regular file and not a symlink; else BadInput.
    Never blocks (O_NONBLOCK: a FIFO put in its place is refused, not waited on)."""
    try:
        fd = os.open(path, OPEN_FLAGS)
    except OSError as e:
        if e.errno == 40:  # ELOOP: O_NOFOLLOW met a symlink
            raise BadInput("unreadable", "became a symlink after it was listed; not read") from None
        raise BadInput("unreadable", f"{type(e).__name__}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise BadInput("not_regular_file", f"{_kind(st.st_mode)} at open; not read")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def size_of(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def input_digest(path: Path, digest: Callable[[BinaryIO], str]) -> str:
    """digest of a raw file opened as ingest opens it; the refusal's reason when it cannot be (a
    fingerprint never opens what ingest would not)."""
    try:
        with open_regular(path) as fh:
            return digest(fh)
    except BadInput as e:
        return f"!{e.reason}"
    except OSError as e:
        return f"!{type(e).__name__}"


def display_rel(rel: str) -> str:
    """A relative path as text that can be stored: undecodable bytes of a file name as \\xNN
    escapes."""
    try:
        rel.encode("utf-8")
        return rel
    except UnicodeEncodeError:
        return os.fsencode(rel).decode("utf-8", "backslashreplace")


OWN_DIRS = ("ingest", "clean", "dedup", "extract", "quarantine", ".work")
OWN_FILES = ("report.html", "berita.log", "berita.duckdb", "berita.duckdb.wal")


def own_outputs(root: Path, output: Path | None) -> set[Path]:
    """berita's own outputs inside the input folder (input == output, or output inside input): never
    input."""
    if output is None:
        return set()
    out = Path(output).resolve()
    if not out.is_relative_to(root):
        return set()
    return {out / n for n in (*OWN_DIRS, *OWN_FILES)}


# ---- text ----

_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def decode_mostly_utf8(data: bytes) -> str:
    """Bytes that are not valid UTF-8: as UTF-8 with the bad bytes replaced (U+FFFD) when valid
    multi-byte UTF-8 sequences outnumber them (one stray byte in a UTF-8 file), else as cp1252 (a
    legacy file)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    if len(_UTF8_MULTI.findall(data)) >= bad:
        return text
    return data.decode("cp1252", errors="replace")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _plain(v: str) -> str:
    if v.isascii() or not _SURROGATE.search(v):
        return v
    return _SURROGATE.sub("\ufffd", v)  # a lone surrogate from JSON cannot be stored as UTF-8


def checked_rows(
    rows: Iterable[tuple[int, object]],
    bad: Bad,
    text_columns: tuple[str, ...],
    reason: str = "malformed_row",
    from_json: bool = False,
) -> Iterator[tuple[int, object]]:
    """rows with every value a plain string or None (see plain_row); a row that cannot be made plain
    is quarantined through `bad`. An exception while reading rows quarantines the row it stopped at
    (the rows before it are kept): one error boundary per row."""
    it = iter(rows)
    last = -1
    while True:
        try:
            item = next(it)
        except StopIteration:
            return
        except BadInput as e:
            bad(None if last < 0 else last + 1, e.reason, e.detail)
            return
        except Exception as e:  # whatever the parser raised
            bad(
                None if last < 0 else last + 1,
                reason,
                f"{type(e).__name__}: {str(e)[:300]}; the rest not read",
            )
            return
        last, row = item
        if not isinstance(row, dict):
            yield last, row
            continue
        try:
            plain, problem = plain_row(row, text_columns, from_json)
        except Exception as e:  # e.g. RecursionError on a deeply nested value
            plain, problem = None, f"{type(e).__name__}: {str(e)[:300]}"
        if plain is None:
            bad(last, "not_text" if problem.startswith("text column") else reason, problem)
            continue
        yield last, plain


def _type_name(v: object) -> str:
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        dict: "an object",
        list: "a list",
    }.get(type(v), type(v).__name__)


def plain_row(
    row: dict, text_columns: tuple[str, ...], from_json: bool = True
) -> tuple[dict[str, str | None] | None, str]:
    """(row with str/None values, "") or (None, why). A list of strings is joined (paragraphs with
    newlines); a non-text value in a text column is dropped, and the row refused when no text column
    keeps text; other non-string metadata becomes its JSON-ish text (numbers) or None (nested values
    berita does not read). Lone surrogates (only JSON escapes make them) become U+FFFD."""
    if (
        not from_json
        and None not in row
        and all(v is None or isinstance(v, str) for v in row.values())
    ):
        return row, ""  # CSV/XLSX rows: already plain text decoded from bytes
    out: dict[str, str | None] = {}
    problem = ""
    for k, v in row.items():
        if k is None:
            continue
        key = _plain(k) if isinstance(k, str) else str(k)
        if v is None or isinstance(v, str):
            out[key] = None if v is None else _plain(v)
            continue
        is_text = key.strip().lower() in text_columns
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            out[key] = _plain(("\n" if is_text else ", ").join(x.strip() for x in v if x.strip()))
            continue
        if is_text:
            problem = problem or f"text column {key!r} holds {_type_name(v)}, not text"
            out[key] = None
        elif isinstance(v, (int, float)):
            out[key] = str(v)
        else:
            out[key] = None
    if problem and not any(
        out.get(k) and str(out[k]).strip() for k in out if k.strip().lower() in text_columns
    ):
        return None, problem
    return out, ""


# ---- CSV / TSV ----

_URL_CELL = re.compile(r'^\s*"?https?://\S+"?\s*$')


def _looks_like_data(header: list[str]) -> bool:
    lim = LIMITS
    return any(
        "://" in c
        or len(c.strip()) > lim.header_cell_chars
        or len(c.split()) > lim.header_cell_words
        for c in header
    )


def _tabs_consistent(text: str) -> bool:
    """Every line of a TSV has the header's cell count: quotes in it are text, not quoting."""
    lines = text.split("\n")
    n = lines[0].count("\t")
    return n > 0 and all(ln.count("\t") == n for ln in lines if ln.strip())


def _glued_rows(cell: str, delimiter: str) -> int:
    """Lines inside a field that are whole CSV rows with a URL cell: rows an unbalanced quote glued
    together."""
    if "://" not in cell or "\n" not in cell:
        return 0
    n = 0
    for line in cell.split("\n")[1:]:
        if "://" in line and delimiter in line:
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if len(cells) >= 2 and any(_URL_CELL.match(c) for c in cells):
                n += 1
    return n


def _named(names: list[str], cells: list[str]) -> dict[str, object]:
    """A row as {column: value}; a repeated column name keeps its first non-empty value."""
    out: dict[str, object] = {}
    seen: dict[str, str] = {}
    for j, name in enumerate(names):
        v = cells[j] if j < len(cells) else None
        key = seen.setdefault(name.strip().lower(), name)
        if key in out and out[key] is not None and str(out[key]).strip():
            continue
        out[key] = v
    return out


def _positional(cells: list[str]) -> dict[str, object]:
    """A row of a CSV without a header: the longest cell is the text, a cell holding only a URL the
    url."""
    row: dict[str, object] = {f"col{j}": c for j, c in enumerate(cells)}
    if cells:
        row["content"] = max(cells, key=len)
        row["url"] = next((c.strip() for c in cells if _URL_CELL.match(c)), None)
    return row


def csv_rows(text: str, delimiter: str, bad: Bad) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows of a CSV/TSV text as (row number, {column: value}); bad rows go to `bad` with their
    line."""
    csv.field_size_limit(1 << 30)
    quoting = csv.QUOTE_NONE if delimiter == "\t" and _tabs_consistent(text) else csv.QUOTE_MINIMAL
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quoting=quoting)
    header = next(reader, None)
    if header is None:
        return
    positional = _looks_like_data(header)
    i = 0
    if positional:  # no header: the first row is an article
        yield 0, _positional(header)
        i = 1
    names = [h if h.strip() else f"col{j}" for j, h in enumerate(header)]
    unique = len({n.strip().lower() for n in names}) == len(names)
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not cells:
            continue
        n = i
        i += 1
        if (
            not positional
            and len(cells) > len(names)
            and any(c.strip() for c in cells[len(names) :])
        ):
            bad(
                n,
                "malformed_row",
                f"line {line}: {len(cells)} cells for {len(names)} columns (an unquoted "
                f"'{delimiter}'?)",
            )
            continue
        longest = max(cells, key=len)
        glued = _glued_rows(longest, delimiter)
        if glued:
            bad(
                n,
                "malformed_row",
                f"line {line}: a field holds {glued} more CSV rows (an unbalanced quote "
                f"glued lines {line}-{reader.line_num}); not ingested",
            )
            continue
        if positional:
            yield n, _positional(cells)
        elif unique and len(cells) >= len(names):
            yield n, dict(zip(names, cells, strict=False))
        else:
            yield n, _named(names, cells)


# ---- XLSX ----


def check_xlsx(fh: BinaryIO) -> None:
    """Refuse (BadInput too_large) an .xlsx whose zip expands beyond the limits, before openpyxl
    parses it."""
    lim = LIMITS
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as e:
        raise BadInput("unreadable", f"not a readable .xlsx: {e}") from None
    with zf:
        total = sum(i.file_size for i in zf.infolist())
        if total > lim.xlsx_uncompressed_bytes:
            raise BadInput(
                "too_large", f"{total} bytes uncompressed > {lim.xlsx_uncompressed_bytes}; not read"
            )
        names = {i.filename.lower(): i.filename for i in zf.infolist()}
        ss = names.get("xl/sharedstrings.xml")
        if ss:
            n = 0
            tail = b""
            with zf.open(ss) as m:
                while chunk := m.read(1 << 20):
                    data = tail + chunk
                    n += (
                        data.count(b"<si>")
                        + data.count(b"<si ")
                        + data.count(b":si>")
                        + data.count(b":si ")
                    )
                    tail = data[-4:]
                    n -= (
                        tail.count(b"<si>")
                        + tail.count(b"<si ")
                        + tail.count(b":si>")
                        + tail.count(b":si ")
                    )
                    if n > lim.xlsx_shared_strings:
                        raise BadInput(
                            "too_large", f"over {lim.xlsx_shared_strings} shared strings; not read"
                        )
    fh.seek(0)


def _declared_cells(ws) -> int:
    try:
        return int(ws.max_row or 0) * int(ws.max_column or 0)
    except (TypeError, ValueError):
        return 0


def xlsx_rows(
    fh: BinaryIO, bad: Bad | None = None, text_columns: tuple[str, ...] = ()
) -> Iterator[tuple[int, dict[str, object]]]:
    """Rows of every sheet of an .xlsx, each sheet with its own header row; rows numbered across the
    sheets in order (the first sheet's numbers are what they were when only it was read). A later
    sheet without a text column (a labelling sheet) is one quarantine row, not one per row; a later
    sheet's row whose text repeats a row of an earlier sheet (a working copy of the data) is not
    ingested twice: one quarantine row per sheet says how many (`repeated_rows`)."""
    import xxhash
    from openpyxl import load_workbook

    check_xlsx(fh)
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for corrupt files
        raise BadInput("unreadable", f"not a readable .xlsx: {e}") from None
    try:
        n = 0
        seen: set[int] = set()
        for k, ws in enumerate(wb.worksheets):
            cells = _declared_cells(ws)
            if cells > LIMITS.xlsx_cells:
                raise BadInput(
                    "too_large", f"sheet {ws.title!r} declares {cells} cells > {LIMITS.xlsx_cells}"
                )
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            names = [str(h).strip() if h is not None else f"col{j}" for j, h in enumerate(header)]
            text_at = [j for j, h in enumerate(names) if h.lower() in text_columns]
            if k and bad and not text_at:
                declared = max(
                    int(ws.max_row or 1) - 1, 0
                )  # not parsed: its rows cannot become articles
                bad(
                    n,
                    "no_text_column",
                    f"sheet {ws.title!r} (about {declared} rows) has no text column; not read",
                )
                n += declared
                continue
            repeated, first = 0, None
            for values in rows:
                if values is None or all(v is None for v in values):
                    continue
                texts = "\x1f".join(
                    str(values[j]) for j in text_at if j < len(values) and values[j] is not None
                )
                h = (
                    xxhash.xxh3_64_intdigest(texts.encode("utf-8", "surrogatepass"))
                    if texts
                    else None
                )
                if k and bad and h is not None and h in seen:
                    repeated += 1
                    first = n if first is None else first
                    n += 1
                    continue
                if h is not None:
                    seen.add(h)
                yield n, _named(names, [None if v is None else str(v) for v in values])  # type: ignore[list-item]
                n += 1
            if repeated and bad:
                bad(
                    first,
                    "repeated_rows",
                    f"sheet {ws.title!r}: {repeated} rows repeat the text of rows of earlier "
                    "sheets of this file; not ingested twice",
                )
    finally:
        wb.close()


# ---- clock ----


def now() -> datetime:
    """The time stamped as ingested_at (one place, so a test can set the clock)."""
    return datetime.now(UTC)


def clock_warning(now: datetime, previous_max: datetime | None) -> str | None:
    """A warning when the clock looks wrong: `now` more than a year past the newest of berita's own
    files (a clock set in the future would stamp ingested_at there for good), or earlier than
    ingested_at values carried over from a previous run (stamped by a clock that was ahead)."""
    root = Path(__file__).resolve().parents[1]  # tasks/
    try:
        newest = max(p.stat().st_mtime for p in root.rglob("*.py"))
    except (OSError, ValueError):
        newest = None
    if newest is not None:
        built = datetime.fromtimestamp(newest, tz=now.tzinfo)
        if now - built > timedelta(days=LIMITS.future_clock_days):
            return (
                f"the clock says {now:%Y-%m-%d}, over {LIMITS.future_clock_days} days after "
                "berita's own files "
                f"({built:%Y-%m-%d}): ingested_at of new articles is taken from it and carried "
                "over by later "
                "runs; check the system clock"
            )
    if (
        previous_max is not None
        and previous_max.tzinfo is not None
        and previous_max > now + timedelta(days=1)
    ):
        return (
            f"ingested_at of earlier articles reaches {previous_max:%Y-%m-%d}, after today "
            f"({now:%Y-%m-%d}): "
            "a previous run's clock was ahead; those values are carried over as they are"
        )
    return None


# ---- the input folder ----
EMPTY_INPUT_EXIT = 0


def check_input_dir(input_dir: Path) -> None:
    """Raise with a one-line reason when input_dir cannot be ingested: missing, or a file, not a
    folder."""
    p = Path(input_dir)
    if p.is_dir():
        return
    if p.exists():
        raise NotADirectoryError(f"input {p} is a file, not a folder: --input takes the folder "
                                 "that holds the "
                                 f"articles (e.g. --input {p.parent})")
    raise FileNotFoundError(f"input directory {p} does not exist")


def empty_input_warning(input_dir: Path) -> str | None:
    """A warning when input_dir holds no file ingest would read (None when it holds some)."""
    from tasks.ingest.ingest import SUPPORTED, discover

    found, skipped = discover(Path(input_dir))
    if found:
        return None
    kinds = " ".join(sorted(SUPPORTED))
    extra = f" ({len(skipped)} other file(s) skipped, listed in the quarantine)" if skipped else ""
    return f"warning: no article files ({kinds}) under {input_dir}{extra}: nothing was ingested"
