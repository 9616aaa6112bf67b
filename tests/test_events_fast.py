"""The events pass's fast twins (tasks/dedup/events.py) give exactly what the plain versions give:
the same article words and weights, the same matrix bits and layout, the same best partners (ties
included)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from tasks.dedup import events

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
