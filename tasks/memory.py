"""Returning freed memory to the OS, in the flow process between stages and in worker processes
between tasks.

On big corpora glibc's defaults keep a stage's freed arrays in its heap (RSS only grows, and one
stage's caches add to the next stage's peak); these two calls make RSS follow what is actually in
use.
"""

from __future__ import annotations

import ctypes
import gc


def large_blocks_to_os() -> None:
    """glibc: serve blocks of 256 KiB and more with mmap, so a freed numpy array goes back to the OS
    at once. (By default glibc raises that threshold as big blocks are freed, and later arrays
    fragment its heap: a stage's memory then only grows.)"""
    try:
        ctypes.CDLL("libc.so.6").mallopt(-3, 256 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):  # not glibc
        pass


def release_memory(collect: bool = True) -> None:
    """Hand memory freed by a stage (or a worker's task) back to the OS: Arrow's pool and glibc's
    free lists."""
    import pyarrow as pa

    if collect:
        gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass
