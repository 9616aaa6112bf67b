"""Event clusters (story_id): articles that report the same news event, in one outlet or many.

Contract, in domain words:
- Articles of one event published within a few days join, even when each outlet words it its own
  way: what they share are the event's names, places and rare words (weighted by tf-idf, capitalised
  words counted twice, the headline's words beside the lead's).
- A topic that runs for weeks (forest fires, a bill in parliament) does not become one story: only
  articles published within `window_days` of each other are compared, and a story never spans more
  than `max_span_days`.
- A dominant event does not swallow its neighbours: clusters grow by group-average linkage (a
  cluster joins another only when the mean similarity over all their article pairs reaches
  `join_similarity`), never by a single link through a hub article.
- Copies join: an article duplicate is always in its original's story; a long shared paragraph
  counts as a strong similarity (not a forced link: a shared boilerplate paragraph does not chain
  events).
- Articles without a publish time are compared with every other one, through their rarer words only.

How (near-linear, bounded memory, deterministic):
1. Each article is a sparse vector: its `top_terms` best tf-idf words of the lead (+ headline),
   L2-normalised (at 1M articles about 30M non-zeros).
2. A sparse similarity graph: articles sorted by publish time, each block of rows multiplied by the
   rows published within the window only (at most `max_partners`; scipy sparse products), each
   article keeping its `neighbours` most similar partners above `min_similarity`.
3. Group-average agglomeration on that graph, in rounds (vectorised with polars): the mean pair
   similarity of two clusters is the sum of their pairs' similarities (pairs outside the graph count
   0) over the product of their sizes, so merging clusters just adds up their edges. In each round
   every cluster picks its best partner; a cluster whose own best partner is itself or points back
   to it absorbs the clusters that picked it (a star, one level deep: no chains within a round).
   Ties break on the smaller cluster id, so the result does not depend on row order or worker count.
4. A centroid pass: stories joined by a graph edge whose summed vectors have cosine >=
   `centroid_similarity` join when their mean pair similarity is still >= `average_floor` (an event
   told from many angles, whose articles are each close to its centre rather than to one another),
   the same way, exactly from the vectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp

DAY_US = 86_400 * 1_000_000
_SEED, _SEED2 = 20251201, 1201  # word hashes: only matched against each other, never stored


@dataclass(frozen=True)
class EventConfig:
    """Thresholds of the event clustering (tuned on synthetic data and a separate labelled dev split
    of CLICK-ID days other than the evaluation set's; see README, "Events")."""
    top_terms: int = 30  # words kept per article vector (lead and headline)
    title_weight: float = 2.0  # a headline word counts as this many lead occurrences
    # words in more than this share of the documents are no event's words
    max_df_share: float = 0.05
    min_similarity: float = 0.08  # cosine below this is no edge in the graph
    neighbours: int = 20  # edges kept per article (its most similar partners)
    window_days: float = 3.0  # articles further apart in publish time are never compared
    max_span_days: float = 7.0  # a story's first and last article at most this far apart
    join_similarity: float = 0.2  # group-average similarity for two clusters to join
    # similarity given to two articles sharing a long paragraph
    shared_paragraph_similarity: float = 0.6
    # an undated article is compared through words of at most this many documents
    undated_max_df: int = 300
    block_rows: int = 2_000  # rows multiplied at a time
    # later articles an article is compared with at most (a dense corpus: the
    max_partners: int = 8_000
    # window shrinks to the nearest ones in time, so the cost stays linear whatever the articles per
    # day)
    max_rounds: int = 60
    # then stories whose centroids are this close join (0: off) ...
    centroid_similarity: float = 0.5
    # ... when their mean pair similarity is at least this (a hub is not enough)
    average_floor: float = 0.15


DEFAULT = EventConfig()


def term_weights(
    tf: pl.DataFrame, df_: pl.DataFrame, n_docs: int, cfg: EventConfig = DEFAULT
) -> pl.DataFrame:
    """term_weights_plain's rows (in another order), faster: a word finds its id by a 64-bit hash of
    the word (checked by a second hash; the plain join when two words of the vocabulary share a
    hash), and each article's best words come from one sort of packed (article, weight rank, word
    id) keys instead of a per-group selection. Tested equal in tests/test_events_fast.py."""
    max_df = max(50, int(n_docs * cfg.max_df_share))
    vocab = df_.select(
        "wid", "df", pl.col("w").hash(_SEED).alias("_h"), pl.col("w").hash(_SEED2).alias("_h2")
    )
    if tf.is_empty() or vocab["_h"].n_unique() < vocab.height:
        return term_weights_plain(tf, df_, n_docs, cfg)
    x = (
        tf.select(
            "a", "tf", pl.col("w").hash(_SEED).alias("_h"), pl.col("w").hash(_SEED2).alias("_h2")
        )
        .join(vocab.filter(pl.col("df") <= max_df), on="_h")
        .select(
            "a",
            "wid",
            (pl.col("_h2") == pl.col("_h2_right")).alias("_same"),
            (
                (1 + pl.col("tf").cast(pl.Float64).log())
                * ((n_docs + 1) / (pl.col("df") + 1)).log()
            ).alias("weight"),
        )
    )
    a, wid = x["a"].to_numpy().astype(np.int64), x["wid"].to_numpy().astype(np.int64)
    # a word outside the vocabulary met a hash twin
    if not x["_same"].all() or (len(a) and a.min() < 0):
        return term_weights_plain(tf, df_, n_docs, cfg)
    weight = x["weight"].to_numpy()
    ab, wb = (max(int(v.max(initial=0)).bit_length(), 1) for v in (a, wid))
    rank, rb = _descending_code(weight, 63 - ab - wb)
    # by article, then weight desc, then word id asc (None: an (article, word) twice, no strict
    # order)
    keep = (
        None
        if rank is None
        else _smallest_keys(a, (a << (rb + wb)) | (rank << wb) | wid, rb + wb, cfg.top_terms)
    )
    if keep is None:
        return term_weights_plain(tf, df_, n_docs, cfg)
    return pl.DataFrame({"a": a[keep], "wid": wid[keep], "weight": weight[keep].astype(np.float32)})


def _smallest_keys(group: np.ndarray, key: np.ndarray, shift: int, k: int) -> np.ndarray | None:
    """Mask of the entries whose key is among the k smallest of their group; key = group << shift |
    rest, with group >= 0. One sort of the keys (no argsort): each group's k-th smallest key is its
    threshold. None when two entries have the same key (no strict order to select by)."""
    if not len(key) or k < 1:
        return np.zeros(len(key), bool)
    srt = np.sort(key)
    if (srt[1:] == srt[:-1]).any():
        return None
    g = srt >> shift
    start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    end = np.r_[start[1:], len(srt)]
    threshold = np.full(int(g[-1]) + 1, -1, np.int64)
    threshold[g[start]] = srt[np.minimum(start + k, end) - 1]
    return key <= threshold[group]


def term_weights_plain(
    tf: pl.DataFrame, df_: pl.DataFrame, n_docs: int, cfg: EventConfig = DEFAULT
) -> pl.DataFrame:
    """(a, wid, weight): the cfg.top_terms best words of each article by sublinear tf-idf. tf: (a,
    w, tf) word counts of articles; df_: (w, wid, df) document frequencies with a word id. Words of
    more than cfg.max_df_share of the documents (outlet and widget words, topic words) are
    dropped."""
    max_df = max(50, int(n_docs * cfg.max_df_share))
    return (
        tf.join(df_, on="w")
        .filter(pl.col("df") <= max_df)
        .with_columns(
            (
                (1 + pl.col("tf").cast(pl.Float64).log())
                * ((n_docs + 1) / (pl.col("df") + 1)).log()
            ).alias("weight")
        )
        .group_by("a")
        .agg(
            pl.col("wid", "weight").top_k_by(
                ["weight", "wid"], k=cfg.top_terms, reverse=[False, True]
            )
        )
        .explode("wid", "weight")
        .select(
            pl.col("a").cast(pl.Int64),
            pl.col("wid").cast(pl.Int64),
            pl.col("weight").cast(pl.Float32),
        )
    )


def article_matrix(parts: Iterable[pl.DataFrame], n: int, n_terms: int) -> sp.csr_matrix:
    """article_matrix_plain's matrix, the same bits and layout (each row's words in descending id
    order, as the product with the diagonal of inverse norms lays them out), built without a polars
    group-by: scipy sums the (headline, lead) duplicates while building the rows, the rows are
    scaled in place, built last row first so that one reversal of the arrays gives the rows in
    order with their words descending. Each part is read once, as it comes (a generator of parts is
    never held whole)."""
    shape = (n, max(n_terms, 1))
    idx = np.int32 if max(shape) < 2**31 else np.int64  # the matrix's own index type
    rows, cols, vals = [], [], []
    for p in parts:
        if p.height:
            rows.append((n - 1 - p["a"].to_numpy()).astype(idx))
            cols.append(p["wid"].to_numpy().astype(idx))
            vals.append(p["weight"].to_numpy().astype(np.float32))
    if not rows:
        return sp.csr_matrix(shape, dtype=np.float32)
    a, wid, w = (np.concatenate(v) for v in (rows, cols, vals))
    del rows, cols, vals
    x = sp.csr_matrix((w, (a, wid)), shape=shape, dtype=np.float32)
    del a, wid, w
    x.sum_duplicates()  # sorted word ids in each row, duplicates summed
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    x.data *= np.repeat((1 / norms).astype(np.float32), np.diff(x.indptr))
    out = sp.csr_matrix(
        (x.data[::-1].copy(), x.indices[::-1].copy(), x.nnz - x.indptr[::-1]), shape=shape
    )
    del x
    if not out.data.all():  # a product that underflowed to 0: the sparse product drops it
        out.eliminate_zeros()
    return out


def article_matrix_plain(parts: Iterable[pl.DataFrame], n: int, n_terms: int) -> sp.csr_matrix:
    """Rows of (a, wid, weight) parts summed into an (n, n_terms) CSR matrix, each row
    L2-normalised."""
    frames = [p for p in parts if p.height]
    if not frames:
        return sp.csr_matrix((n, max(n_terms, 1)), dtype=np.float32)
    d = pl.concat(frames).group_by("a", "wid").agg(pl.col("weight").sum()).sort("a", "wid")
    x = sp.csr_matrix((d["weight"].to_numpy(), (d["a"].to_numpy(), d["wid"].to_numpy())),
                      shape=(n, max(n_terms, 1)), dtype=np.float32)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms).astype(np.float32) @ x)


def _top_k_rows(i: np.ndarray, j: np.ndarray, s: np.ndarray, k: int) -> np.ndarray:
    """Mask of the k best (s desc, then j asc) entries per i: one sort of packed (i, s desc, j) keys
    (offsets of i and j, or their ranks when the offsets do not fit 63 bits; _descending_code of
    s), else the per-group selection _top_k_rows_select. Equal to sorting by (i, -s, j) and keeping
    the first k of each i (the reference in tests/test_events.py)."""
    if not len(i):
        return np.zeros(0, bool)
    gi, oj = i - i.min(), j - j.min()
    ib, jb = (max(int(v.max()).bit_length(), 1) for v in (gi, oj))
    desc, sb = _descending_code(s, 63 - ib - jb)
    if desc is None and not np.isnan(s).any():  # ranks take fewer bits than offsets
        gi, oj = (np.unique(v, return_inverse=True)[1].astype(np.int64) for v in (i, j))
        ib, jb = (max(int(v.max()).bit_length(), 1) for v in (gi, oj))
        desc, sb = _descending_code(s, 63 - ib - jb)
    keep = (
        None
        if desc is None
        else _smallest_keys(gi, (gi << (sb + jb)) | (desc << jb) | oj, sb + jb, k)
    )
    return _top_k_rows_select(i, j, s, k) if keep is None else keep


def _descending_code(s: np.ndarray, room: int) -> tuple[np.ndarray | None, int]:
    """Integers of at most `room` bits that sort as s descending (0: the largest) and their bit
    length: offsets of the bit patterns of a positive float32 s (they sort as the values), else
    ranks among the distinct values; None when they do not fit or s has a nan."""
    if s.dtype == np.float32 and len(s) and (s > 0).all():  # (no nan, no -0.0)
        bits = s.view(np.int32).astype(np.int64)
        top = int(bits.max())
        width = max(top - int(bits.min()), 1).bit_length()
        if width <= room:
            return top - bits, width
    if np.isnan(s).any():
        return None, 0
    levels, rank = np.unique(-s.astype(np.float64), return_inverse=True)
    width = max(len(levels) - 1, 1).bit_length()
    return (rank.astype(np.int64), width) if width <= room else (None, 0)


def _top_k_rows_select(i: np.ndarray, j: np.ndarray, s: np.ndarray, k: int) -> np.ndarray:
    """Mask of the k best (s desc, then j asc) entries per i. A selection per group (polars
    top_k_by), not a sort of every entry; equal to sorting by (i, -s, j) and keeping the first k of
    each i (the reference in tests/test_events.py)."""
    if not len(i):
        return np.zeros(0, bool)
    lo = int(i.min())
    # groups of at most k entries keep them all: no selection
    many = np.bincount(i - lo)[i - lo] > k
    keep = ~many
    sel = np.flatnonzero(many)
    if len(sel):
        rows = (pl.DataFrame({"i": i[sel], "s": s[sel], "j": j[sel], "r": sel})
                .group_by("i").agg(pl.col("r").top_k_by(["s", "j"], k=k, reverse=[False, True]))
                .explode("r")["r"].drop_nulls().to_numpy())
        keep[rows] = True
    return keep


class _BestPartners:
    """Each article's k best partners on one side (similarity desc, then partner id asc) among the
    edges offered so far: two dense (n, k) tables, so memory is fixed by n and k, not by the edges
    met on the way. An edge beaten by k others stays beaten when more arrive, so keeping the best as
    the edges come gives what keeping them all and choosing at the end gives."""

    def __init__(self, n: int, k: int) -> None:
        self.k = k
        self.sim = np.zeros((n, k), np.float32)
        self.partner = np.full((n, k), -1, np.int32 if n < 2**31 else np.int64)  # -1: empty slot

    def offer(self, u: np.ndarray, v: np.ndarray, s: np.ndarray) -> None:
        """Edges (u, v, s), each offered for the first time, to u's table."""
        if not len(u):
            return
        nodes = np.unique(u)
        held = self.partner[nodes] >= 0
        if held.any():
            u = np.concatenate([u, np.repeat(nodes, held.sum(axis=1))])
            v = np.concatenate([v, self.partner[nodes][held]])
            s = np.concatenate([s, self.sim[nodes][held]])
        keep = np.flatnonzero(_top_k_rows(u, v, s, self.k))
        keep = keep[np.argsort(u[keep], kind="stable")]
        u, v, s = u[keep], v[keep], s[keep]
        slot = np.arange(len(u)) - np.searchsorted(u, u, side="left")
        self.partner[nodes] = -1
        self.partner[u, slot] = v
        self.sim[u, slot] = s

    def entries(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(u, v, s) of every held partner, u ascending."""
        held = self.partner >= 0
        u = np.repeat(np.arange(len(held), dtype=np.int64), held.sum(axis=1))
        return u, self.partner[held].astype(np.int64), self.sim[held]

    def holds(self, u: np.ndarray, v: np.ndarray, chunk: int = 1_000_000) -> np.ndarray:
        """Mask of the pairs (u, v) whose v is among u's partners."""
        out = np.zeros(len(u), bool)
        for lo in range(0, len(u), chunk):
            sl = slice(lo, lo + chunk)
            out[sl] = (self.partner[u[sl]] == v[sl, None]).any(axis=1)
        return out


def similarity_graph(x: sp.csr_matrix, t: np.ndarray, df: np.ndarray, cfg: EventConfig = DEFAULT
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i, j, sim) with i < j: cosine similarities >= cfg.min_similarity between articles published
    within cfg.window_days (t: days, nan when unknown), each article keeping its cfg.neighbours best
    partners published after it and its cfg.neighbours best published before it (similarity desc,
    then the partner first in publish order; an edge stays when either end keeps it). Undated
    articles come after the dated ones and meet them through words of at most cfg.undated_max_df
    documents (df: documents per word id). Blocked: each block of rows, in publish order, is
    multiplied by the rows of its window only (at most cfg.max_partners of them); a row's later
    partners are all met in its block, its earlier ones are kept as the blocks come: time grows
    linearly with the articles, memory with the articles times cfg.neighbours."""
    n = x.shape[0]
    empty = np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0, np.float32)
    if n < 2 or x.nnz == 0:  # no article has a word to compare
        return empty
    # one count per column
    df = np.pad(np.asarray(df)[: x.shape[1]], (0, max(x.shape[1] - len(df), 0)))
    dated = ~np.isnan(t)
    order = np.argsort(np.where(dated, t, np.inf), kind="stable")
    ts = t[order]
    xs = x[order]
    n_dated = int(dated.sum())
    rare = sp.diags((df <= cfg.undated_max_df).astype(np.float32))
    xr = xs @ rare if n_dated < n else None
    blocks = [(lo, min(lo + cfg.block_rows, n_dated)) for lo in range(0, n_dated, cfg.block_rows)]
    blocks += [(lo, min(lo + cfg.block_rows, n)) for lo in range(n_dated, n, cfg.block_rows)]
    def block_edges(lo: int, hi: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(i, j, s), i < j, of the block's rows against their window (sorted ids)."""
        if lo < n_dated:
            end = int(np.searchsorted(ts[:n_dated], ts[hi - 1] + cfg.window_days, side="right"))
            end = min(end, hi + cfg.max_partners)
            parts = [(xs[lo:hi], xs[lo:end], lo, True)]
            if xr is not None:  # dated rows against the undated ones, through rare words
                parts.append((xr[lo:hi], xr[n_dated:], n_dated, False))
        else:
            parts = [(xr[lo:hi], xr[lo:], lo, False)]
        ii_, jj_, ss_ = [], [], []
        for a, b, off, timed in parts:
            p = (a @ b.T).tocoo()
            strong = np.flatnonzero(p.data >= cfg.min_similarity)  # most are weaker: drop first
            ss = p.data[strong].astype(np.float32)
            ii, jj = p.row[strong].astype(np.int64) + lo, p.col[strong].astype(np.int64) + off
            keep = jj > ii
            if timed:
                keep &= ts[jj] - ts[ii] <= cfg.window_days
            ii_.append(ii[keep])
            jj_.append(jj[keep])
            ss_.append(ss[keep])
        return np.concatenate(ii_), np.concatenate(jj_), np.concatenate(ss_)

    later, earlier = _BestPartners(n, cfg.neighbours), _BestPartners(n, cfg.neighbours)
    # the next block's sparse product (which releases the GIL) runs on a thread while this block's
    # edges are offered: the same edges in the same order, sooner
    with ThreadPoolExecutor(1) as ahead:
        nxt = ahead.submit(block_edges, *blocks[0]) if blocks else None
        for k in range(len(blocks)):
            ii, jj, ss = nxt.result()
            if k + 1 < len(blocks):
                nxt = ahead.submit(block_edges, *blocks[k + 1])
            later.offer(ii, jj, ss)  # every later partner of the block's rows is met here
            earlier.offer(jj, ii, ss)
    xs = xr = None  # the sorted copies (the blocks are done): memory back
    i, j, s = later.entries()
    ej, ei, es = earlier.entries()
    new = ~later.holds(ei, ej)  # kept by the later end only
    del later, earlier
    ei, ej, es = ei[new], ej[new], es[new]
    i = order[np.concatenate([i, ei])]
    del ei
    j = order[np.concatenate([j, ej])]
    del ej
    s = np.concatenate([s, es])
    lo_ = np.minimum(i, j)
    np.maximum(i, j, out=j)
    idx = np.int32 if n < 2**31 else np.int64  # ids as small as they can be: the graph is big
    return lo_.astype(idx), j.astype(idx), s


def group_average_clusters(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    s: np.ndarray,
    t: np.ndarray,
    must: np.ndarray | None = None,
    cfg: EventConfig = DEFAULT,
) -> np.ndarray:
    """Cluster label (the smallest member) of each of n articles: group-average agglomeration over
    the sparse similarity graph (i, j, s: each pair once), clusters at most cfg.max_span_days wide
    in publish time (t, nan unknown).
    must: labels of groups that start as one cluster (article duplicates).
    Each round, every pair of clusters joined by edges has its average similarity (summed edge
    weights over the product of the sizes) and span; reciprocal-best pairs merge (_star_merges).
    Only the pairs that touch a grown cluster change: they alone are summed and scored again."""
    lab = np.arange(n, dtype=np.int64) if must is None else np.asarray(must, np.int64).copy()
    m_ = int(max(lab.max(initial=0) + 1, n))
    size = np.bincount(lab, minlength=m_).astype(np.float64)
    tt = np.asarray(t, np.float64)
    lo, hi = np.full(m_, np.nan), np.full(m_, np.nan)  # nan: no known time in the cluster
    np.fmin.at(lo, lab, tt)
    np.fmax.at(hi, lab, tt)
    idx = np.int32 if m_ < 2**31 else np.int64

    def scored(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        avg, within = np.empty(len(a)), np.empty(len(a), bool)
        for c in _chunks(len(a)):  # a few million pairs at a time: bounded temporaries
            ca, cb = a[c], b[c]
            # rounded: a sum's last bits depend on the order it adds in; decisions must not
            avg[c] = (pl.Series(w[c]) / pl.Series(size[ca] * size[cb])).round(9).to_numpy()
            span = np.fmax(hi[ca], hi[cb]) - np.fmin(lo[ca], lo[cb])  # nan: neither has a time
            within[c] = ~(span > cfg.max_span_days)
        return avg, within

    a, b = np.empty(len(i), idx), np.empty(len(i), idx)
    for c in _chunks(len(i)):
        la, lb = lab[i[c]], lab[j[c]]
        a[c], b[c] = np.minimum(la, lb), np.maximum(la, lb)
    w = s.astype(np.float64)
    # pairs of two single articles are each one pair already; a duplicate group's are summed
    grouped = size > 1
    touched = grouped[a] | grouped[b]
    ta, tb, tw = _summed_edges(a[touched], b[touched], w[touched], m_)
    rest = ~touched
    a, b = np.concatenate([a[rest], ta.astype(idx)]), np.concatenate([b[rest], tb.astype(idx)])
    w = np.concatenate([w[rest], tw])
    del ta, tb, tw, rest, touched
    avg, within = scored(a, b, w)
    for _ in range(cfg.max_rounds):
        ok = np.flatnonzero((avg >= cfg.join_similarity) & within)
        if not len(ok):
            break
        src, dst, _ = _star_merges(a[ok], b[ok], avg[ok])
        if not len(src):
            break
        m = _merged(src, dst, size, lo, hi)
        lab = m[lab]
        moved = np.zeros(m_, bool)
        moved[src] = moved[dst] = True
        touched = moved[a] | moved[b]
        ta, tb, tw = _summed_edges(m[a[touched]], m[b[touched]], w[touched], m_)
        tavg, twithin = scored(ta, tb, tw)
        rest = ~touched
        a, b = np.concatenate([a[rest], ta.astype(idx)]), np.concatenate([b[rest], tb.astype(idx)])
        w, avg = np.concatenate([w[rest], tw]), np.concatenate([avg[rest], tavg])
        within = np.concatenate([within[rest], twithin])
    # a label is a cluster's representative, not necessarily its smallest member: renumber
    return pl.DataFrame({"c": lab}).with_row_index("r").select(
        pl.col("r").min().over("c").cast(pl.Int64)).to_series().to_numpy()


def group_average_clusters_plain(
    n: int,
    i: np.ndarray,
    j: np.ndarray,
    s: np.ndarray,
    t: np.ndarray,
    must: np.ndarray | None = None,
    cfg: EventConfig = DEFAULT,
) -> np.ndarray:
    """group_average_clusters' labels, the plain way: every round joins the clusters' first and
    last times and sizes onto every pair of clusters and sums every pair again (a frame of eleven
    columns over all the edges: several GiB at 1M articles)."""
    lab = np.arange(n, dtype=np.int64) if must is None else np.asarray(must, np.int64).copy()
    tmin = (
        pl.DataFrame({"c": lab, "t": t})
        .group_by("c")
        .agg(pl.col("t").min().alias("lo"), pl.col("t").max().alias("hi"), pl.len().alias("size"))
    )
    clusters = tmin.with_columns(pl.col("lo").fill_nan(None), pl.col("hi").fill_nan(None))
    edges = (
        pl.DataFrame({"a": lab[i], "b": lab[j], "w": s.astype(np.float64)})
        .filter(pl.col("a") != pl.col("b"))
        .with_columns(
            pl.min_horizontal("a", "b").alias("a"), pl.max_horizontal("a", "b").alias("b")
        )
        .group_by("a", "b")
        .agg(pl.col("w").sum())
    )
    for _ in range(cfg.max_rounds):
        if edges.is_empty():
            break
        info = clusters.select("c", "lo", "hi", "size")
        e = (
            edges.join(info.rename({"c": "a", "lo": "lo_a", "hi": "hi_a", "size": "n_a"}), on="a")
            .join(info.rename({"c": "b", "lo": "lo_b", "hi": "hi_b", "size": "n_b"}), on="b")
            # rounded: a sum's last bits depend on the order polars adds in; decisions must not
            .with_columns(
                (pl.col("w") / (pl.col("n_a") * pl.col("n_b"))).round(9).alias("avg"),
                (pl.max_horizontal("hi_a", "hi_b") - pl.min_horizontal("lo_a", "lo_b")).alias(
                    "span"
                ),
            )
            .filter(
                (pl.col("avg") >= cfg.join_similarity)
                & (pl.col("span").is_null() | (pl.col("span") <= cfg.max_span_days))
            )
        )
        if e.is_empty():
            break
        src, dst, root_arr = _star_merges(e["a"].to_numpy(), e["b"].to_numpy(), e["avg"].to_numpy())
        if not len(src):
            break
        remap = pl.DataFrame({"c": src, "to": dst})
        clusters = (
            clusters.join(remap, on="c", how="left")
            .with_columns(pl.coalesce("to", "c").alias("c"))
            .drop("to")
            .group_by("c")
            .agg(pl.col("lo").min(), pl.col("hi").max(), pl.col("size").sum())
        )
        edges = (
            edges.join(remap.rename({"c": "a", "to": "ta"}), on="a", how="left")
            .join(remap.rename({"c": "b", "to": "tb"}), on="b", how="left")
            .select(pl.coalesce("ta", "a").alias("a"), pl.coalesce("tb", "b").alias("b"), "w")
            .filter(pl.col("a") != pl.col("b"))
            .select(
                pl.min_horizontal("a", "b").alias("a"), pl.max_horizontal("a", "b").alias("b"), "w"
            )
            .group_by("a", "b")
            .agg(pl.col("w").sum())
        )
        m = np.arange(int(max(lab.max(initial=0), root_arr.max(initial=0))) + 1, dtype=np.int64)
        m[src] = dst
        lab = m[lab]
    # a label is a cluster's representative, not necessarily its smallest member: renumber
    return pl.DataFrame({"c": lab}).with_row_index("r").select(
        pl.col("r").min().over("c").cast(pl.Int64)).to_series().to_numpy()


def _chunks(n: int, size: int = 4_000_000) -> Iterator[slice]:
    return (slice(lo, lo + size) for lo in range(0, n, size))


def _merged(src: np.ndarray, dst: np.ndarray, size: np.ndarray, lo: np.ndarray, hi: np.ndarray
            ) -> np.ndarray:
    """One round's merges applied to the per-cluster arrays (sizes added, first and last times
    widened; nan is no time), and the relabelling: cluster -> the cluster it is now part of."""
    np.add.at(size, dst, size[src])
    np.fmin.at(lo, dst, lo[src])
    np.fmax.at(hi, dst, hi[src])
    m = np.arange(len(size), dtype=np.int64)
    m[src] = dst
    return m


def _summed_edges(
    a: np.ndarray, b: np.ndarray, w: np.ndarray, m: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a, b, w) with a < b once per cluster pair (labels below m), w summed, in key order; pairs
    inside one cluster dropped."""
    out = a != b
    key = np.minimum(a[out], b[out]).astype(np.int64) * m + np.maximum(a[out], b[out])
    o = np.argsort(key, kind="stable")
    key, w = key[o], w[out][o]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, int)
    key, w = key[first], np.add.reduceat(w, first) if len(first) else w[:0]
    return key // m, key % m, w


def best_partners(a: np.ndarray, b: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): every cluster x at either end of the pairs (a, b) with its best partner y: the
    highest score, ties to the smaller y; x ascending. Two passes of per-cluster maxima and minima
    over the pairs as they are (no sort, no copy of both directions)."""
    if not len(a):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    m = int(max(a.max(), b.max())) + 1
    best = np.full(m, -np.inf)
    np.maximum.at(best, a, score)
    np.maximum.at(best, b, score)
    none = np.iinfo(np.int64).max
    partner = np.full(m, none, np.int64)
    for x, y in ((a, b), (b, a)):
        top = np.flatnonzero(score == best[x])
        np.minimum.at(partner, x[top], y[top])
    x = np.flatnonzero(partner != none)
    return x, partner[x]


def _star_merges(
    a: np.ndarray, b: np.ndarray, score: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One round's merges (src -> dst) over the candidate pairs (a, b) with their scores, and the
    roots: the smaller of two clusters that are each other's best partner (the best pair of all is
    one) is a root; a cluster whose best partner is a root (and is no root itself) merges into
    it."""
    bx, by = best_partners(a, b, score)
    pos = np.minimum(np.searchsorted(bx, by), max(len(bx) - 1, 0))
    mutual = (bx[pos] == by) & (by[pos] == bx) if len(bx) else np.zeros(0, bool)
    roots = np.unique(bx[mutual & (bx < by)])
    moves = np.isin(by, roots) & ~np.isin(bx, roots)
    return bx[moves], by[moves], roots


def _rowdots(c: sp.csr_matrix, ia: np.ndarray, ib: np.ndarray, block: int = 50_000) -> np.ndarray:
    """Dot products of the row pairs (ia, ib) of c, a block of pairs at a time: every other block
    on a helper thread (scipy's sparse kernels release the GIL); each pair's value is the same
    whichever block computes it."""
    out = np.empty(len(ia), np.float64)

    def one(lo: int) -> None:
        sl = slice(lo, lo + block)
        out[sl] = np.asarray(c[ia[sl]].multiply(c[ib[sl]]).sum(axis=1)).ravel()

    starts = range(0, len(ia), block)
    with ThreadPoolExecutor(1) as helper:
        done = [helper.submit(one, lo) for lo in starts[1::2]]
        for lo in starts[::2]:
            one(lo)
        for f in done:
            f.result()
    return out


def _cluster_rows(x: sp.csr_matrix, lab: np.ndarray, clusters: np.ndarray) -> sp.csr_matrix:
    """Summed vectors of the given clusters (sorted labels), one row each."""
    members = np.flatnonzero(np.isin(lab, clusters))
    m = sp.csr_matrix(
        (np.ones(len(members), np.float32), (np.searchsorted(clusters, lab[members]), members)),
        shape=(len(clusters), x.shape[0]),
    )
    return sp.csr_matrix(m @ x)


def centroid_merges(x: sp.csr_matrix, lab: np.ndarray, i: np.ndarray, j: np.ndarray, t: np.ndarray,
                    cfg: EventConfig = DEFAULT) -> np.ndarray:
    """Second pass over the group-average stories: two stories joined by a graph edge join when the
    cosine of their summed vectors is >= cfg.centroid_similarity (one event told from many angles:
    its parts share a centre) and the mean similarity of their article pairs is >= cfg.average_floor
    (a hub is not enough), within cfg.max_span_days; reciprocal-best merges as in
    group_average_clusters. Only the pairs of stories that grew are recomputed from the vectors in
    later rounds."""
    n = x.shape[0]
    lab = lab.copy()
    size = np.bincount(lab, minlength=n).astype(np.float64)
    tt = np.where(np.isnan(t), np.inf, t)
    lo = np.full(n, np.inf)
    np.minimum.at(lo, lab, tt)
    hi = np.full(n, -np.inf)
    np.maximum.at(hi, lab, np.where(np.isinf(tt), -np.inf, tt))
    # the pairs of stories a graph edge joins, once each, sorted
    key = np.empty(len(i), np.int64)
    for c in _chunks(len(i)):
        ca, cb = lab[i[c]], lab[j[c]]
        key[c] = np.minimum(ca, cb) * n + np.maximum(ca, cb)
    key = np.unique(key[key // n != key % n])
    pairs = pl.DataFrame({"a": key // n, "b": key % n, "dot": np.full(len(key), np.nan)})
    del key
    norm = np.ones(n)
    stale = np.unique(lab)  # clusters whose vector sum is not known yet
    for _ in range(cfg.max_rounds):
        if pairs.is_empty():
            break
        pa_, pb_ = pairs["a"].to_numpy(), pairs["b"].to_numpy()
        dot = pairs["dot"].to_numpy().copy()
        todo = np.flatnonzero(np.isnan(dot))
        if len(todo):
            need = np.unique(np.concatenate([pa_[todo], pb_[todo]]))
            c = _cluster_rows(x, lab, need)
            fresh = np.intersect1d(need, stale)
            k = np.searchsorted(need, fresh)
            norm[fresh] = np.sqrt(np.maximum(_rowdots(c, k, k), 1e-12))
            dot[todo] = _rowdots(
                c, np.searchsorted(need, pa_[todo]), np.searchsorted(need, pb_[todo])
            )
            pairs = pairs.with_columns(pl.Series("dot", dot))
        stale = np.zeros(0, np.int64)
        cent = np.round(dot / (norm[pa_] * norm[pb_]), 9)
        avg = np.round(dot / (size[pa_] * size[pb_]), 9)
        span = np.maximum(hi[pa_], hi[pb_]) - np.minimum(lo[pa_], lo[pb_])
        ok = (
            (cent >= cfg.centroid_similarity)
            & (avg >= cfg.average_floor)
            & ~(span > cfg.max_span_days)
        )
        if not ok.any():
            break
        src, dst, _ = _star_merges(pa_[ok], pb_[ok], cent[ok])
        if not len(src):
            break
        m = _merged(src, dst, size, lo, hi)
        lab = m[lab]
        stale = np.unique(dst)
        na, nb = m[pa_], m[pb_]
        grown = np.isin(na, stale) | np.isin(nb, stale)
        pairs = (
            pl.DataFrame(
                {
                    "a": np.minimum(na, nb),
                    "b": np.maximum(na, nb),
                    "dot": np.where(grown, np.nan, dot),
                }
            )
            .filter(pl.col("a") != pl.col("b"))
            .unique(["a", "b"], keep="first")
            .sort("a", "b")
        )
    return pl.DataFrame({"c": lab}).with_row_index("r").select(
        pl.col("r").min().over("c").cast(pl.Int64)).to_series().to_numpy()


def days(published: pl.Series) -> np.ndarray:
    """Publish times as float days since the epoch (nan when unknown)."""
    us = published.dt.epoch("us").cast(pl.Float64).to_numpy()
    return np.where(np.isnan(us), np.nan, us / DAY_US)


def with_pairs(n: int, i: np.ndarray, j: np.ndarray, s: np.ndarray, pa: np.ndarray,
               pb: np.ndarray, sim: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The graph (i, j, s: i < j, each pair once) with the pairs (pa, pb) at similarity at least
    sim: a pair already in the graph keeps the larger similarity, a new one is added (a pair of
    an article with itself is none)."""
    keep = pa != pb
    pkey = np.unique(np.minimum(pa[keep], pb[keep]) * n + np.maximum(pa[keep], pb[keep]))
    if not len(pkey):
        return i, j, s
    gkey = i.astype(np.int64) * n + j
    pos = np.minimum(np.searchsorted(pkey, gkey), len(pkey) - 1)
    hit = np.flatnonzero(pkey[pos] == gkey)
    del gkey
    s = s.astype(np.float32)  # a copy: the caller's stays as it was
    s[hit] = np.maximum(s[hit], np.float32(sim))
    found = np.zeros(len(pkey), bool)
    found[pos[hit]] = True
    new = pkey[~found]
    return (np.concatenate([i, (new // n).astype(i.dtype)]),
            np.concatenate([j, (new % n).astype(j.dtype)]),
            np.concatenate([s, np.full(len(new), sim, np.float32)]))


def event_labels(
    n: int,
    weights: Iterable[pl.DataFrame],
    n_terms: int,
    term_df: np.ndarray,
    published: pl.Series,
    duplicate_pairs: tuple[np.ndarray, np.ndarray],
    paragraph_pairs: tuple[np.ndarray, np.ndarray],
    cfg: EventConfig = DEFAULT,
) -> np.ndarray:
    """Event label (smallest member index) of each of n articles (indexed by rank): weights are (a,
    wid, weight) parts (term_weights of the lead chunks, and of the headlines), term_df the
    documents of each word id; duplicate_pairs always join, paragraph_pairs (articles sharing a long
    paragraph) count as similar."""
    x = article_matrix(weights, n, n_terms)
    t = days(published)
    i, j, s = similarity_graph(x, t, term_df, cfg)
    pa, pb = (np.asarray(v, np.int64) for v in paragraph_pairs)
    if len(pa):
        i, j, s = with_pairs(n, i, j, s, pa, pb, cfg.shared_paragraph_similarity)
    from tasks.dedup.dedup import components  # connected components of the duplicate links

    da, db = (np.asarray(v, np.int64) for v in duplicate_pairs)
    must = components(n, da, db)
    lab = group_average_clusters(n, i, j, s, t, must, cfg)
    return centroid_merges(x, lab, i, j, t, cfg) if cfg.centroid_similarity > 0 else lab
