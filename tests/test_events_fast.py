"""The events pass's fast twins (tasks/dedup/events.py) give exactly what the plain versions give:
the same article words and weights, the same matrix bits and layout, the same best partners (ties
included)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tasks.dedup import events
from tasks.dedup.dedup import components

WORDS = [f"kata{k}" for k in range(400)] + ["jokowi", "kpk", "gempa", "tuban", "banjir", "jakarta"]


def _tf_and_df(seed: int, n_articles: int = 300) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Word counts of small articles (a, w, tf), each word once per article, few count levels (many
    weight ties), and the vocabulary (wid, w, df) sorted by word, as dedup builds it."""
    rng = np.random.default_rng(seed)
    rows = []
    for a in range(n_articles):
        for w in rng.choice(len(WORDS), size=int(rng.integers(1, 80)), replace=False):
            rows.append({"a": a, "w": WORDS[w], "tf": int(rng.integers(1, 4))})
    tf = pl.DataFrame(rows, schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32})
    df_ = (
        tf.group_by("w")
        .len("df")
        .with_columns(pl.col("df").cast(pl.Int64))
        .sort("w")
        .with_row_index("wid")
    )
    return tf, df_


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_article_words_by_packed_keys_equal_the_per_group_selection(seed):
    tf, df_ = _tf_and_df(seed)
    for n_docs in (400, 5_000):  # 400: the share cap drops the commonest words
        fast = events.term_weights(tf, df_, n_docs).sort("a", "wid")
        plain = events.term_weights_plain(tf, df_, n_docs).sort("a", "wid")
        assert fast.schema == plain.schema
        assert fast.equals(plain)


def test_article_words_of_a_word_outside_the_vocabulary_are_dropped_as_the_join_drops_them():
    tf, df_ = _tf_and_df(3, 40)
    extra = pl.DataFrame({"a": [0, 1], "w": ["tidakada", "jokowi"], "tf": [5, 1]},
                         schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32})
    tf = pl.concat([tf.filter(pl.col("w") != "jokowi"), extra])
    fast = events.term_weights(tf, df_.filter(pl.col("w") != "tidakada"), 1_000).sort("a", "wid")
    plain = events.term_weights_plain(tf, df_.filter(pl.col("w") != "tidakada"), 1_000).sort(
        "a", "wid"
    )
    assert fast.equals(plain)


@pytest.mark.parametrize("seed", [0, 1])
def test_article_matrix_is_bit_identical_to_the_plain_product(seed):
    tf, df_ = _tf_and_df(seed)
    lead = events.term_weights(tf, df_, 2_000)
    title = (events.term_weights(tf.filter(pl.col("a") % 3 == 0), df_, 2_000)
             # headline words: the same (a, wid) again, summed
             .with_columns(pl.col("weight") * 2.0))
    n = int(tf["a"].max()) + 5  # the last articles have no word: zero rows
    fast = events.article_matrix([lead, title], n, df_.height)
    plain = events.article_matrix_plain([lead, title], n, df_.height)
    for part in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(fast, part), getattr(plain, part))
    assert fast.dtype == plain.dtype and fast.shape == plain.shape


def test_article_matrix_of_no_words_is_empty():
    empty = pl.DataFrame(schema={"a": pl.Int64, "wid": pl.Int64, "weight": pl.Float32})
    assert (
        events.article_matrix([empty], 3, 5).nnz
        == events.article_matrix_plain([empty], 3, 5).nnz
        == 0
    )


@pytest.mark.parametrize("seed", [0, 1, 2])
# 0: continuous similarities, float64 (the ranked path)
@pytest.mark.parametrize("levels", [3, 1000, 0])
@pytest.mark.parametrize("k", [1, 4, 20])
def test_best_partners_by_packed_keys_equal_the_selection(seed, levels, k):
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, 300, 20_000), rng.integers(0, 2_000, 20_000) + 10_000
    # (i, j) pairs are unique, as in a sparse product
    _, first = np.unique(i * 100_000 + j, return_index=True)
    i, j = i[first].astype(np.int64), j[first].astype(np.int64)
    s = (
        rng.random(len(i))
        if not levels
        else (rng.integers(1, levels + 1, len(i)) / levels).astype(np.float32)
    )
    for a, b in ((i, j), (j, i)):
        assert (events._top_k_rows(a, b, s, k) == events._top_k_rows_select(a, b, s, k)).all()


def test_best_partner_per_cluster_is_the_highest_score_then_the_smaller_id():
    a, b = np.array([1, 1, 2, 5]), np.array([2, 3, 3, 6])
    score = np.array([0.5, 0.5, 0.9, 0.1])
    x, y = events.best_partners(a, b, score)
    assert x.tolist() == [1, 2, 3, 5, 6]
    assert y.tolist() == [2, 3, 2, 6, 5]  # 1: a tie between 2 and 3 goes to 2


def similarity_graph_all_pairs(
    x, t: np.ndarray, df: np.ndarray, cfg: events.EventConfig
) -> set[tuple[int, int, float]]:
    """The graph similarity_graph promises, from every pair at once (small inputs only): cosine >=
    min_similarity within the window (undated pairs through the rare words), each article's k best
    partners published after it and its k best published before it (similarity desc, then the
    partner earlier in publish order), an edge kept by either end."""
    n = x.shape[0]
    dated = ~np.isnan(t)
    order = np.argsort(np.where(dated, t, np.inf), kind="stable")
    pos = np.empty(n, np.int64)
    pos[order] = np.arange(n)  # publish-order rank: the tie-break among equal similarities
    full = (x @ x.T).toarray()
    xr = x @ np.diag((df <= cfg.undated_max_df).astype(np.float32))
    rare = np.asarray(xr @ xr.T)
    cand: list[tuple[int, int, float]] = []
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            both = dated[i] and dated[j]
            s = float(full[i, j] if both else rare[i, j])
            if s >= cfg.min_similarity and (not both or abs(t[i] - t[j]) <= cfg.window_days):
                cand.append((i, j, s))
    keep = set()
    for i in range(n):
        for later in (True, False):
            mine = sorted((c for c in cand if c[0] == i and (pos[c[1]] > pos[i]) == later),
                          key=lambda c: (-c[2], pos[c[1]]))
            keep |= {(min(a, b), max(a, b), s) for a, b, s in mine[: cfg.neighbours]}
    return keep


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("levels", [4, 0])  # 4: few similarity levels, many ties
def test_blocked_similarity_graph_equals_the_all_pairs_graph(seed, levels):
    import scipy.sparse as sp

    rng = np.random.default_rng(seed)
    n, n_terms = 90, 40
    dense = (rng.random((n, n_terms)) < 0.12) * (
        rng.integers(1, levels + 1, (n, n_terms)) if levels else rng.random((n, n_terms))
    )
    norms = np.linalg.norm(dense, axis=1, keepdims=True)
    x = sp.csr_matrix((dense / np.where(norms == 0, 1, norms)).astype(np.float32))
    t = rng.integers(0, 12, n).astype(np.float64)
    t[rng.random(n) < 0.15] = np.nan  # some undated articles
    df = rng.integers(1, 600, n_terms)
    cfg = events.EventConfig(neighbours=3, block_rows=7, max_partners=10_000, min_similarity=0.1)
    i, j, s = events.similarity_graph(x, t, df, cfg)
    assert (i < j).all() and len(set(zip(i.tolist(), j.tolist(), strict=True))) == len(i)
    got = {(a, b, round(float(v), 5)) for a, b, v in zip(i, j, s, strict=True)}
    want = {(a, b, round(v, 5)) for a, b, v in similarity_graph_all_pairs(x, t, df, cfg)}
    assert got == want
    assert len(got) > n  # enough edges that the choice of partners matters


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_group_average_clusters_rescoring_only_grown_pairs_equal_the_plain_rounds(seed):
    rng = np.random.default_rng(seed)
    n = 3_000
    i = rng.integers(0, n, 25_000)
    j = (i + rng.integers(1, 60, len(i))) % n
    a, b = np.minimum(i, j), np.maximum(i, j)
    _, first = np.unique(a * n + b, return_index=True)  # each pair once, as the graph gives them
    a, b = a[first], b[first]
    s = (rng.random(len(a)) * 0.9 + 0.08).astype(np.float32)
    if seed % 2:  # few levels: ties between partners
        s = (np.ceil(s * 5) / 5).astype(np.float32)
    t = np.sort(rng.random(n) * 40)
    t[rng.random(n) < 0.1] = np.nan
    must = None
    if seed >= 2:  # duplicate groups start as one cluster
        dup = rng.integers(1, n, 200)
        must = components(n, dup, dup - 1)
    fast = events.group_average_clusters(n, a, b, s, t, must)
    plain = events.group_average_clusters_plain(n, a, b, s, t, must)
    assert (fast == plain).all()
    assert len(np.unique(fast)) < n // 2  # enough merges for the rounds to matter


def test_shared_paragraph_pairs_raise_a_graph_edge_or_join_as_new_ones():
    i, j = np.array([0, 1, 2], np.int32), np.array([1, 3, 4], np.int32)
    s = np.array([0.9, 0.1, 0.3], np.float32)
    pa, pb = np.array([3, 0, 5, 5, 2]), np.array([1, 1, 2, 5, 5])  # (5, 5): an article itself
    gi, gj, gs = events.with_pairs(6, i, j, s, pa, pb, 0.6)
    got = sorted(zip(gi.tolist(), gj.tolist(), np.round(gs.astype(float), 3).tolist(), strict=True))
    assert got == [(0, 1, 0.9), (1, 3, 0.6), (2, 4, 0.3), (2, 5, 0.6)]
    assert s.tolist() == pytest.approx([0.9, 0.1, 0.3])  # the caller's graph is left as it was
