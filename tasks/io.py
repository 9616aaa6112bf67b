"""All Parquet reading and writing lives here: atomic zstd writes, dataset paths, and the run lock."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl

from tasks.schema import Table, conform


class LockedError(RuntimeError):
    """Another berita run holds the output directory."""


def table_path(output: Path, table: Table) -> Path:
    return Path(output) / table.relpath


def write_table(df: pl.DataFrame, output: Path, table: Table) -> Path:
    """Write df conformed to table's schema, atomically: temp file in the same folder, fsync, rename.

    A run killed mid-write leaves the previous file intact (the temp name starts with '.' so it is never
    mistaken for part of a dataset).
    """
    path = table_path(output, table)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    conform(df, table).write_parquet(tmp, compression="zstd", statistics=True)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    return path


def read_table(output: Path, table: Table, *, required: bool = True) -> pl.DataFrame | None:
    path = table_path(output, table)
    if not path.exists():
        if required:
            raise FileNotFoundError(
                f"{path} does not exist: run the '{table.stage}' stage first (berita run --from {table.stage})"
            )
        return None
    return conform(pl.read_parquet(path), table)


@contextmanager
def run_lock(output: Path, *, wait_s: float = 0.0) -> Iterator[Path]:
    """Hold <output>/.berita.lock for a run; a second run waits up to wait_s, then refuses with a clear error.

    Uses O_EXCL file creation; a lock left by a dead process (pid not alive) is taken over.
    """
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    lock = output / ".berita.lock"
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            break
        except FileExistsError:
            holder = _lock_holder(lock)
            if holder is not None and not _alive(holder):
                lock.unlink(missing_ok=True)
                continue
            if time.monotonic() >= deadline:
                raise LockedError(
                    f"another berita run (pid {holder}) is writing to {output}; wait for it to finish "
                    f"(or remove {lock} if that process is gone)"
                ) from None
            time.sleep(0.2)
    try:
        yield lock
    finally:
        lock.unlink(missing_ok=True)


def _lock_holder(lock: Path) -> int | None:
    try:
        return int(lock.read_text().strip() or 0) or None
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
