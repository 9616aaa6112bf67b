"""All Parquet reading and writing lives here: atomic zstd writes, dataset paths, and the run
lock."""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from tasks.parquet_meta import describe_schema, file_metadata
from tasks.schema import Table, conform


class LockedError(RuntimeError):
    """Another berita run holds the output directory."""


class DatasetError(RuntimeError):
    """A dataset file exists but cannot be read as the table it should be."""


def table_path(output: Path, table: Table) -> Path:
    return Path(output) / table.relpath


def file_digest(path: Path) -> str:
    """xxh3-128 of a file's bytes (the manifest's and the dedup index's checksums)."""
    with open(path, "rb") as fh:
        return stream_digest(fh)


def stream_digest(fh) -> str:
    h = xxhash.xxh3_128()
    while chunk := fh.read(1 << 22):
        h.update(chunk)
    return h.hexdigest()


# ---- atomic writes that never write through a symlink ----
# A temp file is named .<target name>.<pid>.berita-tmp next to its target, created exclusively
# (O_EXCL |
# O_NOFOLLOW: whatever was planted at that name is unlinked first, its target untouched), filled,
# fsynced and
# renamed over the target (rename replaces a symlink planted at the target; it never writes through
# it).
TEMP_SUFFIX = ".berita-tmp"
_TEMP_NAME = re.compile(r"^\..+\.\d+\.berita-tmp$")
# older berita, only in its own folders
_OLD_TEMP_NAME = re.compile(r"^\..+\.(parquet|json)\.\d+\.tmp$")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# berita's folders under <output>
OWN_DIRS = ("ingest", "clean", "dedup", "extract", "quarantine", ".work")


def _table_temp(output: Path, path: Path) -> Path:
    """fresh_temp for a dataset file, refusing a symlink planted as one of berita's folders in the
    output."""
    folder = path.parent
    while folder != Path(output) and Path(output) in folder.parents:
        if folder.is_symlink():
            raise OSError(f"{folder} is a symlink: berita does not write through symlinks in its "
                          "output; remove it")
        folder = folder.parent
    return fresh_temp(path)


def fresh_temp(path: Path) -> Path:
    """A new, empty temp file for an atomic write of path (see above); the folder is made if
    needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}{TEMP_SUFFIX}"
    try:
        os.unlink(tmp)
    except FileNotFoundError:
        pass
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o644))
    return tmp


def commit_temp(tmp: Path, path: Path) -> Path:
    """fsync tmp and rename it over path."""
    fd = os.open(tmp, os.O_RDONLY | _NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    return Path(path)


@contextmanager
def atomic_file(path: Path, output: Path | None = None) -> Iterator[Path]:
    """The one atomic write: yields a fresh temp file beside path to fill; on leaving the block
    without error it is fsynced and renamed over path, on an error removed (path keeps its previous
    content). With output (a dataset file under it), a symlink planted as one of berita's folders
    there is refused."""
    path = Path(path)
    tmp = _table_temp(output, path) if output is not None else fresh_temp(path)
    try:
        yield tmp
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    commit_temp(tmp, path)


def atomic_write_bytes(path: Path, data: bytes) -> Path:
    """Write data to path atomically, never through a symlink (small files: manifest, run info,
    report, checksums)."""
    with atomic_file(path) as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | _NOFOLLOW)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
    return Path(path)


def append_text(path: Path, text: str) -> None:
    """Append to a log file, never through a symlink (OSError if path is one)."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW, 0o644)
    try:
        os.write(fd, text.encode("utf-8", "replace"))
    finally:
        os.close(fd)


def write_table(df: pl.DataFrame, output: Path, table: Table) -> Path:
    """Write df conformed to table's schema, atomically: temp file in the same folder, fsync,
    rename.

    A run killed mid-write leaves the previous file intact (the temp name starts with '.' so it is
    never mistaken for part of a dataset).
    """
    path = table_path(output, table)
    with atomic_file(path, output) as tmp:
        data = conform(df, table)
        data.write_parquet(tmp, compression="zstd", statistics=True, metadata=file_metadata(table),
                           arrow_schema=describe_schema(data.head(0).to_arrow().schema, table))
    return path


def read_table(output: Path, table: Table, *, required: bool = True) -> pl.DataFrame | None:
    path = table_path(output, table)
    if not path.exists():
        if required:
            raise FileNotFoundError(
                f"{path} does not exist: run the '{table.stage}' stage first (berita run --from "
                f"{table.stage})"
            )
        return None
    try:
        df = pl.read_parquet(path)
    # corrupt, truncated or not Parquet: name the file and the fix, not polars internals
    except Exception as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise DatasetError(
            f"cannot read {path} ({first}); rebuild it with `berita run --from {table.stage}`"
        ) from e
    missing = [c for c in table.columns if c not in df.columns]
    if len(missing) == len(table.columns):
        raise DatasetError(f"{path} is not a berita {table.relpath} dataset (none of its columns); "
                           f"rebuild it with `berita run --from {table.stage}`")
    return conform(df, table)


def _open_parquet(path: Path, table: Table) -> pq.ParquetFile:
    try:
        return pq.ParquetFile(path)
    except Exception as e:
        raise DatasetError(f"cannot read {path} ({type(e).__name__}: {e}); rebuild it with "
                           f"`berita run --from {table.stage}`") from e


def require(output: Path, table: Table) -> Path:
    """The table's path, or a FileNotFoundError naming the stage to run."""
    path = table_path(output, table)
    if not path.exists():
        raise FileNotFoundError(
            f"{path} does not exist: run the '{table.stage}' stage first (berita run --from "
            f"{table.stage})")
    return path


def count_rows(output: Path, table: Table) -> int:
    """Rows in a table, from the Parquet footer (nothing is read)."""
    return _open_parquet(require(output, table), table).metadata.num_rows


def iter_table(output: Path, table: Table, columns: list[str] | None = None,
               batch_rows: int = 100_000) -> Iterator[pl.DataFrame]:
    """The table in order, batch_rows rows at a time (only `columns`): bounded memory on any corpus
    size."""
    path = require(output, table)
    pf = _open_parquet(path, table)
    wanted = columns or list(table.columns)
    present = [c for c in wanted if c in pf.schema_arrow.names]
    sub = Table(table.stage, table.name, {c: table.columns[c] for c in wanted})
    try:
        for batch in pf.iter_batches(batch_size=batch_rows, columns=present):
            yield conform(pl.from_arrow(batch), sub)  # type: ignore[arg-type]
    except DatasetError:
        raise
    except (OSError, pa.ArrowException) as e:
        raise DatasetError(f"cannot read {path} ({type(e).__name__}: {e}); rebuild it with "
                           f"`berita run --from {table.stage}`") from e


def read_columns(
    output: Path, table: Table, columns: list[str], *, required: bool = True
) -> pl.DataFrame | None:
    """Only some columns of a table (lean reads of big tables), or None when absent and not
    required."""
    if not table_path(output, table).exists() and not required:
        return None
    sub = Table(table.stage, table.name, {c: table.columns[c] for c in columns})
    frames = list(iter_table(output, table, columns, batch_rows=1_000_000))
    return pl.concat(frames) if frames else pl.DataFrame(schema=sub.schema)


def filter_rows(output: Path, table: Table, predicate: pl.Expr, columns: list[str]) -> pl.DataFrame:
    """The rows matching predicate (only `columns`), scanned in a stream: a small subset of a big
    table."""
    path = require(output, table)
    return pl.scan_parquet(path).filter(predicate).select(columns).collect(engine="streaming")


def values_at(output: Path, table: Table, column: str, rows: np.ndarray) -> list:
    """column's values at these row positions, in the order given (one pass over that column, in
    batches)."""
    rows = np.asarray(rows, np.int64)
    order = np.argsort(rows, kind="stable")
    wanted = rows[order]
    out: list = [None] * len(rows)
    lo = 0
    for df in iter_table(output, table, [column], batch_rows=200_000):
        hi = lo + df.height
        a, b = np.searchsorted(wanted, lo), np.searchsorted(wanted, hi)
        if b > a:
            for k, v in zip(
                order[a:b].tolist(), df[column].gather(wanted[a:b] - lo).to_list(), strict=True
            ):
                out[k] = v
        lo = hi
    return out


def write_arrow(data: pa.Table, output: Path, table: Table) -> Path:
    """Write an Arrow table (big numeric columns without a copy into polars), atomically like
    write_table."""
    path = table_path(output, table)
    with atomic_file(path, output) as tmp:
        pq.write_table(data.cast(describe_schema(data.schema, table)), tmp, compression="zstd")
    return path


class TableWriter:
    """Write a table chunk by chunk (each chunk its own row groups), atomically: a temp file in the
    same folder, renamed over the table when closed without error; on an error the temp file is
    removed and the previous table stays. Memory stays at one chunk whatever the table's size."""

    def __init__(self, output: Path, table: Table):
        self.table = table
        self.path = table_path(output, table)
        self.tmp = _table_temp(output, self.path)
        schema = describe_schema(
            conform(pl.DataFrame(schema=table.schema), table).to_arrow().schema, table
        )
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd", write_statistics=True)
        self.rows = 0

    def write(self, df: pl.DataFrame) -> None:
        if df.height:
            self.writer.write_table(conform(df, self.table).to_arrow())
            self.rows += df.height

    def close(self) -> Path:
        self.writer.close()
        return commit_temp(self.tmp, self.path)

    def abort(self) -> None:
        self.writer.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()


@contextmanager
def run_lock(output: Path, *, wait_s: float = 0.0) -> Iterator[Path]:
    """Hold an exclusive lock on <output>/.berita.lock for a run.

    A second run waits up to wait_s, then refuses with a clear error. flock(2) is released by the
    kernel when the holder dies, so a killed run never leaves a stale lock behind. The file keeps
    the holder's pid for the message.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    lock = output / ".berita.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_RDWR | _NOFOLLOW, 0o644)
    except OSError:
        if lock.is_symlink():
            raise RuntimeError(f"{lock} is a symlink (to {os.readlink(lock)}): berita does not "
                               "write through it; "
                              "remove it and rerun") from None
        raise
    deadline = time.monotonic() + wait_s
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _lock_holder(lock)
                    raise LockedError(
                        f"another berita run (pid {holder}) is writing to {output}; it was not "
                        "touched. "
                        f"Wait for that run to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        remove_stale_temp_files(output)
        yield lock
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def remove_stale_temp_files(output: Path) -> list[Path]:
    """Delete temp files left by a killed run (only called while holding the lock, so none is in
    use): only names berita makes (.<name>.<pid>.berita-tmp, and older berita's
    .<table>.parquet.<pid>.tmp in its own folders), in <output> and its own folders; symlinks are
    not followed, a user's files never touched."""
    output = Path(output)
    stale: list[Path] = []

    def scan(folder: Path, recurse: bool, old_names: bool) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            return
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if recurse:
                    scan(Path(e.path), True, old_names)
            elif _TEMP_NAME.match(e.name) or (old_names and _OLD_TEMP_NAME.match(e.name)):
                stale.append(Path(e.path))

    scan(output, False, False)
    for d in OWN_DIRS:
        if (output / d).is_dir() and not (output / d).is_symlink():
            scan(output / d, True, True)
    for p in stale:
        p.unlink(missing_ok=True)
    return stale


def remove_own_temp_files(output: Path) -> None:
    """Delete this process's temp files under output (a run stopped by a signal; safe without the
    lock)."""
    output = Path(output)
    mine = re.compile(rf"^\..+\.{os.getpid()}\.berita-tmp$")
    for folder in [output, *(output / d for d in OWN_DIRS)]:
        if folder.is_dir() and not folder.is_symlink():
            for dirpath, _, names in (
                os.walk(folder) if folder != output else [(str(output), [], os.listdir(output))]
            ):
                for n in names:
                    if mine.match(n):
                        Path(dirpath, n).unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None


class WorkTable:
    """Rows parked between two passes of a stage, read back in the order written: in a work file
    under <output>/.work/ (removed when closed), or in memory (in_memory: small corpora, where
    writing and reading the file back cost more than they save). Read back in batches of batch_rows;
    with batch_rows None, in memory, as the frames were written."""

    def __init__(
        self,
        output: Path | None = None,
        table: Table | None = None,
        batch_rows: int | None = 2_000_000,
        in_memory: bool = False,
    ):
        in_memory = in_memory or output is None
        self.output, self.table, self.batch_rows = output, table, batch_rows
        self.frames: list[pl.DataFrame] | None = [] if in_memory else None
        self.writer: TableWriter | None = None if in_memory else TableWriter(output, table)  # type: ignore[arg-type]

    def write(self, df: pl.DataFrame) -> None:
        if self.frames is not None:
            self.frames.append(df)
        else:
            self.writer.write(df)  # type: ignore[union-attr]

    def read(self) -> Iterator[pl.DataFrame]:
        if self.frames is not None:
            frames, self.frames = self.frames, []
            if self.batch_rows is None or self.table is None:
                return iter(frames)
            rows = pl.concat(frames) if frames else pl.DataFrame(schema=self.table.schema)
            rows = conform(rows, self.table)
            return (
                rows.slice(lo, self.batch_rows) for lo in range(0, rows.height, self.batch_rows)
            )
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        return iter_table(self.output, self.table, batch_rows=self.batch_rows)  # type: ignore[arg-type]

    def close(self) -> None:
        self.frames = None
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
        if self.output is not None and self.table is not None:
            table_path(self.output, self.table).unlink(missing_ok=True)


# ---- work parts of a batched stage (under <output>/.work/, merged in plan order) ----

def write_part(df: pl.DataFrame, output: Path, name: str) -> str:
    """Write one batch's rows to <output>/.work/<name>.parquet (atomically); its path."""
    path = Path(output) / ".work" / f"{name}.parquet"
    with atomic_file(path) as tmp:
        df.write_parquet(tmp)
    return str(path)


def remove_parts(paths: list[str]) -> None:
    for p in paths:
        Path(p).unlink(missing_ok=True)


def read_rows(output: Path, table: Table, rows, columns: list[str] | None = None) -> pl.DataFrame:
    """The rows of a table at the given positions (ascending), reading only the Parquet row groups
    that hold
    them: a batch reads its own rows, not the table (all batches together read it about once)."""
    rows = np.asarray(rows, dtype=np.int64)
    pf = pq.ParquetFile(require(output, table))
    sizes = np.array(
        [pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)], np.int64
    )
    starts = np.concatenate([[0], np.cumsum(sizes)])
    group_of = np.searchsorted(starts, rows, side="right") - 1
    groups = np.unique(group_of)
    names = [c for c in (columns or list(table.columns)) if c in pf.schema_arrow.names]
    if not len(groups):
        data = pl.from_arrow(pf.schema_arrow.empty_table().select(names))
    else:
        data = pl.from_arrow(pf.read_row_groups(groups.tolist(), columns=names))
    at = dict(
        zip(groups.tolist(), (np.cumsum(sizes[groups]) - sizes[groups]).tolist(), strict=True)
    )
    local = rows - starts[group_of] + np.array([at[g] for g in group_of.tolist()], np.int64)
    sub = Table(table.stage, table.name, {c: table.columns[c] for c in (columns or table.columns)})
    return conform(data[local], sub)  # type: ignore[arg-type]
