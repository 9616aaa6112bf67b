"""dedup's fast twins equal their plain versions: vectorised shingle hashes, sorted-run merges and
stable sorts, the name-swap check and the LSH bands bucketed ahead on a thread.
"""

from __future__ import annotations

import numpy as np
import polars as pl
import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.dedup import dedup


def _shingles_reference(text: str) -> list[int]:
    b = text.encode()
    k = dedup.SHINGLE_CHARS
    if 0 < len(b) < k:
        return [xxhash.xxh3_64_intdigest(b)]
    out = []
    for i in range(len(b) - k + 1):
        v = int.from_bytes(b[i: i + k], "big")
        out.append(((v * 0x9E3779B97F4A7C15) % 2**64) ^ 0x2545F4914F6CDD1D)
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), max_size=60), st.lists(st.integers(0, 40), max_size=60))
def test_sorted_unique_equals_numpy_unique_also_on_two_sorted_runs(
    a: list[int], b: list[int]
) -> None:
    x = np.array(a, np.int64)
    assert np.array_equal(dedup.sorted_unique(x), np.unique(x))
    # how the dedup merges call it
    runs = np.concatenate([np.unique(x), np.unique(np.array(b, np.int64))])
    assert np.array_equal(dedup.sorted_unique(runs), np.union1d(a, b))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=80))
def test_stable_argsort_keeps_equal_keys_in_their_order(keys: list[int]) -> None:
    k = np.array(keys, np.uint64)
    for fast in (True, False):
        o, ks = dedup.stable_argsort(k, fast)
        assert np.array_equal(o, np.argsort(k, kind="stable")) and np.array_equal(ks, k[o])


def test_stable_argsort_falls_back_when_the_fast_sort_breaks_ties_out_of_order(monkeypatch) -> None:
    k = np.array([3, 1, 3, 1, 2, 3], np.uint64)
    unstable = np.lexsort((-np.arange(len(k)), k))  # ties in reverse order
    monkeypatch.setattr(pl.Series, "arg_sort", lambda self: pl.Series(unstable.astype(np.uint32)))
    o, ks = dedup.stable_argsort(k)
    assert o.tolist() == [1, 3, 4, 0, 2, 5] and ks.tolist() == [1, 1, 2, 3, 3, 3]


def _name_swapped_plain(a: str, b: str) -> bool:
    na, nb = set(dedup._NAME.findall(a)), set(dedup._NAME.findall(b))
    only_a = [x for x in na if not any(dedup._one_edit(x, y) for y in nb)]
    only_b = [y for y in nb if not any(dedup._one_edit(x, y) for x in na)]
    return bool(only_a) and bool(only_b)


NAMES = ["Budi", "Budy", "Bdui", "Santoso", "Sari", "Jakarta", "Jakrta", "Bandung", "Joko"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(NAMES), max_size=5), st.lists(st.sampled_from(NAMES), max_size=5))
def test_name_swap_check_equals_the_all_pairs_version(xs: list[str], ys: list[str]) -> None:
    a, b = "kata " + " dan ".join(xs), "kata " + " dan ".join(ys)
    assert dedup._name_swapped(a, b) == _name_swapped_plain(a, b)


@given(st.lists(st.text(alphabet="ab é ", max_size=9), max_size=8))
@settings(max_examples=200, deadline=None)
def test_vectorised_shingle_hashes_equal_a_text_by_text_reference(keys: list[str]) -> None:
    toks, offsets = dedup.shingle_hashes(keys)
    got = [toks[offsets[i]: offsets[i + 1]].tolist() for i in range(len(keys))]
    assert got == [_shingles_reference(t) for t in keys]


def test_lsh_bands_bucketed_ahead_on_a_thread_give_the_serial_edges(monkeypatch) -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    base = rng.integers(0, 2**32, size=(40, dedup.NUM_PERM), dtype=np.uint32)
    # 400 texts, copies of 40, some signature rows changed
    sig = base[rng.integers(0, 40, size=400)].copy()
    noise = rng.random(sig.shape) < 0.15
    sig[noise] = rng.integers(0, 2**32, size=int(noise.sum()), dtype=np.uint32)
    at = np.arange(400)
    size, nw = np.full(400, 200, np.int32), np.full(400, 40, np.int32)  # long texts: no name check
    ahead = dedup.near_duplicate_edges(sig, at, size, nw, lambda k: [""] * len(k))
    monkeypatch.setattr(dedup, "PREFETCH_BAND_TEXTS", 0)
    serial = dedup.near_duplicate_edges(sig, at, size, nw, lambda k: [""] * len(k))
    assert len(ahead[0]) > 100
    assert all(np.array_equal(x, y) for x, y in zip(ahead, serial, strict=True))
