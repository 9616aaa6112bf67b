"""Per-chunk stage work on local worker processes: the default on a multi-core machine.

Ingest (per file), clean (per chunk of articles) and extract (per chunk of articles) are independent
per chunk and pure Python, so threads would serialise on the GIL; worker processes do not. Chunks
and results travel as pickled polars frames (Arrow buffers), results come back in input order, so
the output is byte-identical to the in-process run (tests/test_parallel.py). Workers are spawned
(not forked: polars' thread pool and Prefect's threads make fork unsafe) once per process and reused
by every stage.

For more than one machine, use Dask instead (flows/pipeline.py: run_on_dask).
"""

from __future__ import annotations

import atexit
import ctypes
import gc
import io
import itertools
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from typing import Any, TypeVar

import polars as pl

from tasks.memory import large_blocks_to_os, release_memory

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """BERITA_WORKERS if set, else the CPUs this process may use."""
    env = os.environ.get("BERITA_WORKERS", "").strip()
    if env:
        try:
            n = int(env)
        except ValueError:
            raise ValueError(f"BERITA_WORKERS must be a whole number >= 1, got {env!r}") from None
        if n < 1:
            raise ValueError(f"BERITA_WORKERS must be >= 1, got {env}")
        return n
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@cache
def _pool(workers: int) -> ProcessPoolExecutor:
    eager = hasattr(ProcessPoolExecutor, "_launch_processes")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_start, initargs=(os.getpid(), eager))
    if eager:
        _spawn_all(pool)
    atexit.register(pool.shutdown, wait=False, cancel_futures=True)
    return pool


def _spawn_all(pool: ProcessPoolExecutor) -> None:
    """Start every worker now, from a thread that lives as long as this process: Linux's
    parent-death signal fires when the thread that started a child ends, and the pool would
    otherwise start workers from whichever (short-lived) thread submits first."""
    started = threading.Event()

    def keeper() -> None:
        try:
            pool._launch_processes()  # type: ignore[attr-defined]
        finally:
            started.set()
        threading.Event().wait()  # never returns: a daemon thread ends with the process

    threading.Thread(target=keeper, name="berita-workers", daemon=True).start()
    started.wait()


def _worker_start(parent: int, death_signal: bool) -> None:
    """Worker initializer: tie the worker's life to its parent's (a killed flow process, kill -9
    included, must not leave workers behind with ppid 1): PR_SET_PDEATHSIG(SIGKILL) on Linux, and a
    watchdog thread that exits when the parent pid changes (other systems, or a parent gone before
    the signal was set)."""
    large_blocks_to_os()
    # Ctrl-C reaches the whole group: the parent handles it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if death_signal and sys.platform.startswith("linux"):
        try:
            # PR_SET_PDEATHSIG = 1
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(WATCHDOG_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="berita-parent-watch", daemon=True).start()


WATCHDOG_SECONDS = 1.0


def shutdown() -> None:
    """Stop the worker processes (they are started again when next needed)."""
    for n in list(_started):
        _pool(n).shutdown(wait=True)
    _started.clear()
    _pool.cache_clear()


_started: set[int] = set()


def map_chunks(fn: Callable[[T], R], chunks: Iterable[T], workers: int) -> Iterator[R]:
    """fn over chunks, in order; on `workers` processes when workers > 1 and there are 2+ chunks.

    Chunks are taken from the iterable lazily and at most 2 x workers are in flight, so a stage
    streaming a big table holds a few chunks, never all of them. If the workers cannot start or die
    (a script fed on stdin cannot be re-imported by spawned workers; a worker killed for memory),
    the remaining chunks run in this process, with a warning: slower, same result."""
    it = iter(chunks)
    head = list(itertools.islice(it, 2))
    if workers <= 1 or len(head) < 2 or not _main_importable():
        return map(fn, itertools.chain(head, it))
    return _on_workers(fn, itertools.chain(head, it), workers)


def _on_workers(fn: Callable[[T], R], items: Iterator[T], workers: int) -> Iterator[R]:
    # every item taken from `items` and not yet yielded, in order (the one being submitted too: a
    # pool that broke raises at submit, and that item must not be lost)
    window: deque[tuple[T, Future | None]] = deque()
    pool = _pool(workers)
    _started.add(workers)
    try:
        for item in items:
            window.append((item, None))
            window[-1] = (item, pool.submit(_call_packed, fn, _pack(item)))
            if len(window) >= 2 * workers:
                yield _unpack(_result(window[0][1]))
                window.popleft()
        while window:
            yield _unpack(_result(window[0][1]))
            window.popleft()
    except BrokenProcessPool as e:
        logging.getLogger("berita").warning(
            "worker processes failed (%s); running the remaining chunks in this process", e)
        _pool.cache_clear()
        _started.discard(workers)
        yield from map(fn, itertools.chain((item for item, _ in window), items))


def _result(future: Future | None) -> Any:
    if future is None:  # not submitted: the pool broke at submit (only the last item can be so)
        raise BrokenProcessPool("the worker pool broke before this chunk was submitted")
    return future.result()


def _main_importable() -> bool:
    """Spawned workers re-import the main script; one read from stdin or gone from disk cannot
    be."""
    path = getattr(sys.modules.get("__main__"), "__file__", None)
    return path is None or os.path.exists(path)


def _pack(x: Any) -> Any:
    """Frames as compact Arrow IPC bytes. A slice or partition of a big frame shares its string
    buffers, and pickling it would copy all of them."""
    if isinstance(x, pl.DataFrame):
        buf = io.BytesIO()
        x.write_ipc(buf, compat_level=pl.CompatLevel.oldest())
        return _Frame(buf.getvalue())
    if isinstance(x, tuple):
        return tuple(_pack(v) for v in x)
    return x


def _unpack(x: Any) -> Any:
    if isinstance(x, _Frame):
        return pl.read_ipc(io.BytesIO(x.data))
    if isinstance(x, tuple):
        return tuple(_unpack(v) for v in x)
    return x


class _Frame:
    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    def __reduce__(self):
        return (_Frame, (self.data,))


def _call_packed(fn: Callable[[Any], Any], packed: Any) -> Any:
    """One task on a worker, with the cyclic garbage collector paused; what it freed goes back to
    the OS before the next (idle workers stay small).

    A chunk allocates millions of small containers (rows, matches, tuples) that reference counting
    frees, almost none in cycles; the collector's passes over them and over the rule caches were a
    noticeable share of a run's CPU (bench/stage_cpu.py). The few cycles a chunk leaves go with the
    collector's next pass, once it runs again."""
    gc.disable()
    try:
        return _pack(fn(_unpack(packed)))
    finally:
        gc.enable()
        release_memory(collect=False)
