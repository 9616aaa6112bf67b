"""What a stage is, and what its code gets to work with.

A stage package (tasks/ingest, tasks/clean, tasks/dedup, tasks/extract) exports one `Stage` record:
its name, the tables it reads and writes, what versions its code, and the module holding its run
function. The registry (tasks/registry.py) lists the records in pipeline order; the runner
(tasks/stages.py) runs them.

Stage code receives a `Context`: its tables (count, rows, read, writer, write, work_table), a way to
map a function over chunks (in order, on worker processes or not: the runner decides), progress, and
hooks to hand memory back between passes. It never sees worker counts, Prefect or the memory tricks.
Only tasks.schema is imported here (the CLI reads the registry before loading any stage code).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from tasks.schema import Table

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None] | None
MapChunks = Callable[[Callable[[T], R], Iterable[T]], Iterator[R]]


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Stage:
    """One stage of the pipeline.

    inputs: the tables of earlier stages it reads (ingest reads the raw folder instead: reads_raw).
    outputs: the tables it writes (the manifest checks them before skipping the stage).
    package: its package; the code version hashes the package's modules, every tasks module they
        import, the rule tables those modules read, and the versions of `libraries`.
    libraries: the distributions whose upgrade can change what the stage writes.
    runner: the module in the package with `run(ctx) -> counts` (and, for a stage that can run in
        batches on a task runner, `plan(output, batch_size)`, `run_batch(output, *args)` and
        `merge(output, parts, t0)`).
    """

    name: str
    inputs: tuple[Table, ...]
    outputs: tuple[Table, ...]
    package: str
    libraries: tuple[str, ...]
    reads_raw: bool = False
    batched: bool = False
    runner: str = "stage"

    def module(self) -> Any:
        """The module with the stage's run function (imported on first use)."""
        return importlib.import_module(f"{self.package}.{self.runner}")

    def run(self, ctx: Context) -> dict[str, object]:
        return self.module().run(ctx)


@dataclass
class Context:
    """What a stage's run function works with.

    map(fn, chunks): fn over chunks, results in input order (serial by default; the runner hands in
    worker processes). release_memory(): hand memory freed between passes back to the OS.
    pause_workers(): the workers are idle for a while (a long serial step), stop them until next
    needed."""

    output: Path
    input_dir: Path | None = None
    force: bool = False
    progress: Progress = None
    map: MapChunks = map  # type: ignore[assignment]
    release_memory: Callable[[], None] = field(default=_nothing)
    pause_workers: Callable[[], None] = field(default=_nothing)

    def report(self, done: int, total: int) -> None:
        if self.progress:
            self.progress(done, total)

    # ---- the tables under output (tasks/io.py) ----
    def count(self, table: Table) -> int:
        """Rows in a table (from its footer)."""
        from tasks import io

        return io.count_rows(self.output, table)

    def rows(self, table: Table, columns: list[str] | None = None, batch_rows: int = 100_000):
        """The table in order, batch_rows rows at a time (only columns): bounded memory on any
        corpus."""
        from tasks import io

        return io.iter_table(self.output, table, columns, batch_rows=batch_rows)

    def read(self, table: Table, columns: list[str] | None = None):
        """A whole table (only columns)."""
        from tasks import io

        return (
            io.read_columns(self.output, table, columns)
            if columns
            else io.read_table(self.output, table)
        )

    def writer(self, table: Table):
        """An atomic chunk-by-chunk writer of a table (a context manager)."""
        from tasks import io

        return io.TableWriter(self.output, table)

    def write(self, df, table: Table) -> None:
        """Write a whole table atomically."""
        from tasks import io

        io.write_table(df, self.output, table)

    def work_table(self, table: Table, *, in_memory: bool, batch_rows: int | None = 2_000_000):
        """Rows parked between two passes (io.WorkTable): in memory, or in a work file under
        .work/."""
        from tasks import io

        return io.WorkTable(self.output, table, batch_rows=batch_rows, in_memory=in_memory)
