"""Per-chunk stage work on local worker processes: the default on a multi-core machine.

Ingest (per file), clean (per chunk of articles) and extract (per chunk of whole stories) are independent per
chunk and pure Python, so threads would serialise on the GIL; worker processes do not. Chunks and results
travel as pickled polars frames (Arrow buffers), results come back in input order, so the output is
byte-identical to the in-process run (tests/test_parallel.py). Workers are spawned (not forked: polars'
thread pool and Prefect's threads make fork unsafe) once per process and reused by every stage.

For more than one machine, use Dask instead (flows/pipeline.py: run_on_dask).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """BERITA_WORKERS if set, else the CPUs this process may use."""
    env = os.environ.get("BERITA_WORKERS", "").strip()
    if env:
        n = int(env)
        if n < 1:
            raise ValueError(f"BERITA_WORKERS must be >= 1, got {env}")
        return n
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@cache
def _pool(workers: int) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
    atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return pool


def map_chunks(fn: Callable[[T], R], chunks: Iterable[T], workers: int) -> Iterator[R]:
    """fn over chunks, in order; on `workers` processes when workers > 1 and there are 2+ chunks."""
    items = list(chunks)
    if workers <= 1 or len(items) < 2:
        return map(fn, items)
    return _pool(workers).map(fn, items)
