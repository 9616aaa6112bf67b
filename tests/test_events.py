"""Event clusters (tasks/dedup/events.py): same event within days joins, a weeks-long topic and a
hub do not chain."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import polars as pl
import pytest

from tasks.dedup import events

T0 = datetime(2019, 9, 19, 8, tzinfo=UTC)


def cluster(
    docs: list[tuple[str, datetime | None]], cfg: events.EventConfig = events.DEFAULT
) -> list[int]:
    """Labels of small articles given as (words, publish time): each word once, df from these
    articles plus a background of 1,000 documents that hold none of them."""
    tf = pl.DataFrame(
        [{"a": a, "w": w, "tf": 1} for a, (text, _) in enumerate(docs) for w in set(text.split())],
        schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32},
    )
    df_ = tf.group_by("w").len("df").sort("w").with_row_index("wid")
    weights = events.term_weights(tf, df_, len(docs) + 1000, cfg)
    pub = pl.Series([t for _, t in docs], dtype=pl.Datetime("us", "UTC"))
    none = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    return events.event_labels(
        len(docs), [weights], df_.height, df_["df"].to_numpy(), pub, none, none, cfg
    ).tolist()


QUAKE = "gempa tuban magnitudo bmkg tsunami jawa timur guncangan"
LEAK = "lion malindo kebocoran data penumpang kominfo maskapai"


def test_articles_of_one_event_within_days_join_and_other_events_stay_apart():
    docs = [(QUAKE + " warga panik", T0), (QUAKE + " terasa bali", T0 + timedelta(hours=3)),
            (QUAKE + " kerusakan bank", T0 + timedelta(days=1)),
            (LEAK + " korban", T0), (LEAK + " investigasi", T0 + timedelta(hours=5))]
    lab = cluster(docs)
    assert lab[0] == lab[1] == lab[2]
    assert lab[3] == lab[4]
    assert lab[0] != lab[3]


def test_a_topic_over_weeks_does_not_become_one_story():
    fire = "kebakaran hutan lahan kabut asap riau"
    docs = [(fire + f" pekan{k} kejadian{k}", T0 + timedelta(days=5 * k)) for k in range(6)]
    lab = cluster(docs)
    assert len(set(lab)) == 6


def test_a_hub_article_does_not_chain_two_events():
    a, b = "rupiah dolar kurs menguat perdagangan", "emas comex ounce harga berjangka"
    docs = [(a + " pagi", T0), (a + " sore", T0), (a + " siang", T0),
            (b + " malam", T0), (b + " subuh", T0), (b + " petang", T0),
            (a + " " + b, T0)]  # one article about both
    lab = cluster(docs)
    assert lab[0] == lab[1] == lab[2]
    assert lab[3] == lab[4] == lab[5]
    assert lab[0] != lab[3]


def test_undated_articles_still_join_their_event_through_rare_words():
    docs = [(QUAKE, T0), (QUAKE + " susulan", None), (LEAK, None)]
    lab = cluster(docs)
    assert lab[0] == lab[1] and lab[2] != lab[0]


def test_duplicates_always_share_a_story_and_labels_ignore_row_order():
    docs = [(QUAKE, T0), ("sepak bola timnas brunei", T0), (LEAK, T0)]
    tf = pl.DataFrame(
        [{"a": a, "w": w, "tf": 1} for a, (t, _) in enumerate(docs) for w in t.split()],
        schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32},
    )
    df_ = tf.group_by("w").len("df").sort("w").with_row_index("wid")
    pub = pl.Series([t for _, t in docs], dtype=pl.Datetime("us", "UTC"))
    w = events.term_weights(tf, df_, 1003)
    none = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    lab = events.event_labels(3, [w], df_.height, df_["df"].to_numpy(), pub,
                              (np.array([2]), np.array([0])), none)
    assert lab[0] == lab[2] == 0 and lab[1] == 1
    shuffled = events.event_labels(3, [w.sample(fraction=1.0, shuffle=True, seed=3)], df_.height,
                                   df_["df"].to_numpy(), pub, (np.array([2]), np.array([0])), none)
    assert shuffled.tolist() == lab.tolist()


def test_undated_articles_without_any_word_to_compare_are_each_their_own_story():
    tf = pl.DataFrame(schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32})
    df_ = pl.DataFrame(schema={"wid": pl.UInt32, "w": pl.String, "df": pl.Int64})
    pub = pl.Series([None, None], dtype=pl.Datetime("us", "UTC"))
    none = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    lab = events.event_labels(
        2, [events.term_weights(tf, df_, 1000)], 0, np.zeros(0), pub, none, none
    )
    assert lab.tolist() == [0, 1]


def _top_k_rows_by_sort(i: np.ndarray, j: np.ndarray, s: np.ndarray, k: int) -> np.ndarray:
    """The plain version: sort every entry by (i, -s, j), keep the first k of each i."""
    keep = np.zeros(len(i), bool)
    if not len(i):
        return keep
    o = np.lexsort((j, -s, i))
    i_o = i[o]
    start = np.r_[0, np.flatnonzero(i_o[1:] != i_o[:-1]) + 1]
    rank = np.arange(len(i_o)) - np.repeat(start, np.diff(np.r_[start, len(i_o)]))
    keep[o[rank < k]] = True
    return keep


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("levels", [3, 1000])
@pytest.mark.parametrize("k", [1, 4, 20])
def test_top_k_partners_by_selection_equal_the_plain_sort(seed, levels, k):
    from tasks.dedup.events import _top_k_rows

    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, 300, 20_000), rng.integers(0, 2_000, 20_000)
    # (i, j) pairs are unique, as in a sparse product
    _, first = np.unique(i * 10_000 + j, return_index=True)
    i, j = i[first].astype(np.int64), j[first].astype(np.int64)
    s = (rng.integers(0, levels, len(i)) / levels).astype(np.float32)  # few levels: many ties on s
    assert (_top_k_rows(i, j, s, k) == _top_k_rows_by_sort(i, j, s, k)).all()
    assert not _top_k_rows(i[:0], j[:0], s[:0], k).any()
