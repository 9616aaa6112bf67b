"""Dedup: exact and near-duplicate paragraphs, article-level copies, and story clusters.

Paragraphs: an exact key (xxh3 of the normalised text) plus MinHash over word 3-shingles with LSH banding for
near-identical copies (light edits, typos, changed numbers). Every copy points to a canonical paragraph: the
one in the earliest-published article, then the first ingested. A copy inside the same article is dropped
from the body (kept as a row); copies in other articles stay in their bodies, flagged.

MinHash signatures are computed in vectorised numpy batches and persisted in an index (dedup/index), so a
later run over new files only computes signatures for new paragraphs; matching over all signatures is a
linear group-by. All hashing is seeded: output is deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
import xxhash

from tasks import rules
from tasks.fields import estimate_published
from tasks.schema import DEDUP_ARTICLES, DEDUP_PARAGRAPHS, conform
from tasks.text import norm_key

NUM_PERM = 32
BANDS = 8
ROWS = NUM_PERM // BANDS
NEAR_THRESHOLD = 0.6  # estimated Jaccard of word 3-shingles for a near-identical paragraph
MIN_NEAR_WORDS = 8  # shorter paragraphs only match exactly
ARTICLE_DUP_SHARE = 0.8
STORY_TOP_TERMS = 12
STORY_MIN_SHARED = 6
STORY_WINDOW_DAYS = 3
SHARED_PARA_MIN_WORDS = 15
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_rng = np.random.default_rng(20240619)
_A = (_rng.integers(1, 2**63 - 1, NUM_PERM, dtype=np.int64).astype(np.uint64) * np.uint64(2) + np.uint64(1))
_B = _rng.integers(0, 2**63 - 1, NUM_PERM, dtype=np.int64).astype(np.uint64)
INDEX_VERSION = f"minhash-v1-p{NUM_PERM}-polars{pl.__version__}"

STOPWORDS = frozenset(
    "yang dan di ke dari untuk dengan pada ini itu dalam tidak akan juga atau ada oleh karena sudah saat para "
    "bahwa telah bisa lebih kata mereka kami kita saya dia ia adalah sebagai tersebut namun masih hanya secara "
    "hingga antara setelah sejak seperti serta harus menjadi dapat jika agar maka pun lagi tahun hari rabu kamis "
    "jumat sabtu minggu senin selasa satu dua tiga baru lain salah banyak mengatakan menurut sangat besar".split()
)


@dataclass
class UnionFind:
    parent: dict[int, int]

    def find(self, x: int) -> int:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = min(ra, rb), max(ra, rb)
            self.parent[hi] = lo


def shingle_hashes(keys: pl.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word 3-shingle hashes (uint64) of each normalised text and the segment start offsets."""
    df = pl.DataFrame({"k": keys}).with_row_index("pid").with_columns(pl.col("k").str.split(" ").alias("w"))
    ex = df.select("pid", "w").explode("w").with_columns(pl.col("w").hash(seed=7).alias("h"))
    pid = ex["pid"].to_numpy()
    h = ex["h"].to_numpy().astype(np.uint64)
    n = len(h)
    if n == 0:
        return np.zeros(0, np.uint64), np.zeros(len(keys), np.int64), np.zeros(len(keys), np.int64)
    h1 = np.roll(h, -1)
    h2 = np.roll(h, -2)
    same2 = np.zeros(n, bool)
    same2[: n - 2] = pid[: n - 2] == pid[2:]
    sh = h * np.uint64(0x9E3779B97F4A7C15) ^ (h1 * np.uint64(0xC2B2AE3D27D4EB4F)) ^ (h2 * np.uint64(0x165667B19E3779F9))
    counts = np.bincount(pid, minlength=len(keys))
    first = np.zeros(n, bool)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    first[starts[counts > 0]] = True
    # short texts (< 3 words): use their word hashes so they still get a signature
    short = counts[pid] < 3
    keep = same2 | short
    sh = np.where(short, h, sh)[keep]
    kpid = pid[keep]
    kcounts = np.bincount(kpid, minlength=len(keys))
    kstarts = np.concatenate([[0], np.cumsum(kcounts)[:-1]])
    return sh, kstarts.astype(np.int64), kcounts


def minhash(keys: pl.Series, batch: int = 400_000) -> np.ndarray:
    """(n, NUM_PERM) uint32 MinHash signatures via multiply-shift hashing, in shingle batches."""
    sh, starts, counts = shingle_hashes(keys)
    n = len(keys)
    sig = np.full((n, NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    if len(sh) == 0:
        return sig
    seg = np.repeat(np.arange(n), counts)
    for lo in range(0, len(sh), batch):
        hi = min(lo + batch, len(sh))
        v = ((sh[lo:hi, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(np.uint32)
        s = seg[lo:hi]
        bounds = np.flatnonzero(np.diff(s)) + 1
        idx = np.concatenate([[0], bounds])
        mins = np.minimum.reduceat(v, idx, axis=0)
        rows = s[idx]
        sig[rows] = np.minimum(sig[rows], mins)
    return sig


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 LSH band keys."""
    s = sig.astype(np.uint64).reshape(len(sig), BANDS, ROWS)
    key = np.zeros((len(sig), BANDS), np.uint64)
    for r in range(ROWS):
        key = (key * np.uint64(1000003)) ^ s[:, :, r]
    return key + np.arange(BANDS, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)


def near_duplicate_edges(sig: np.ndarray, eligible: np.ndarray) -> list[tuple[int, int, float]]:
    """Verified (i, j, similarity) pairs among eligible rows: same LSH bucket, signature agreement >= threshold.

    Each bucket member is compared with the bucket's first member only (a star, not all pairs): linear.
    """
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return []
    keys = band_keys(sig[idx])
    df = pl.DataFrame({"row": np.repeat(idx, BANDS), "key": keys.reshape(-1)})
    heads = df.group_by("key").agg(pl.col("row").min().alias("head"), pl.len().alias("n")).filter(pl.col("n") > 1)
    pairs = (df.join(heads.select("key", "head"), on="key").filter(pl.col("row") != pl.col("head"))
             .select("head", "row").unique())
    if pairs.is_empty():
        return []
    a = pairs["head"].to_numpy()
    b = pairs["row"].to_numpy()
    sim = (sig[a] == sig[b]).mean(axis=1)
    ok = sim >= NEAR_THRESHOLD
    return list(zip(a[ok].tolist(), b[ok].tolist(), sim[ok].tolist(), strict=False))


def article_order(articles: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """Rank articles: earliest published first (unknown last), then first ingested, then source order."""
    pub = estimate_published(articles, paragraphs)
    return (articles.select("article_id", "ingested_at", "source_path", "source_row")
            .join(pub, on="article_id", how="left")
            .sort(["published_at", "ingested_at", "source_path", "source_row", "article_id"], nulls_last=True)
            .with_row_index("art_rank").select("article_id", pl.col("art_rank").cast(pl.Int64), "published_at"))


def signatures(paragraphs: pl.DataFrame, index: pl.DataFrame | None) -> tuple[np.ndarray, pl.DataFrame]:
    """Signatures for every row, reusing the persisted index for known (paragraph_id, norm_hash) rows."""
    n = paragraphs.height
    sig = np.zeros((n, NUM_PERM), np.uint32)
    todo = np.ones(n, bool)
    if index is not None and index.height:
        joined = paragraphs.select("paragraph_id", "norm_hash").with_row_index("r").join(
            index, on=["paragraph_id", "norm_hash"], how="inner")
        if joined.height:
            rows = joined["r"].to_numpy()
            sig[rows] = np.asarray(joined["sig"].to_list(), dtype=np.uint32).reshape(len(rows), NUM_PERM)
            todo[rows] = False
    if todo.any():
        rows = np.flatnonzero(todo)
        sig[rows] = minhash(paragraphs["_key"].gather(rows))
    new_index = paragraphs.select("paragraph_id", "norm_hash").with_columns(
        pl.Series("sig", sig.tolist(), dtype=pl.List(pl.UInt32)))
    return sig, new_index


def dedup(paragraphs: pl.DataFrame, articles: pl.DataFrame, index: pl.DataFrame | None = None
          ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """clean/paragraphs + ingest/articles -> (dedup/paragraphs, dedup/articles, new index, stats)."""
    order = article_order(articles, paragraphs)
    p = (paragraphs.join(order.select("article_id", "art_rank"), on="article_id", how="left")
         .with_columns(pl.col("text").map_elements(norm_key, return_dtype=pl.String).alias("_key"))
         .with_columns(pl.col("_key").map_elements(lambda s: xxhash.xxh3_64_hexdigest(s.encode()), return_dtype=pl.String)
                       .alias("norm_hash"),
                       pl.col("_key").str.count_matches(" ").add(1).alias("_nw"))
         .sort("art_rank", "paragraph_index").with_row_index("_r"))
    body = ~p["is_boilerplate"].to_numpy() & (p["_key"].str.len_chars() > 0).to_numpy()
    sig, new_index = signatures(p, index)
    n = p.height
    uf = UnionFind({})
    best_sim: dict[int, float] = {}
    # exact copies
    ex = (p.filter(pl.Series(body)).group_by("norm_hash").agg(pl.col("_r").min().alias("c"), pl.col("_r").alias("rs"))
          .filter(pl.col("rs").list.len() > 1))
    for c, rs in ex.select("c", "rs").iter_rows():
        for r in rs:
            uf.union(c, r)
    # near copies
    eligible = body & (p["_nw"].to_numpy() >= MIN_NEAR_WORDS)
    for a, b, s in near_duplicate_edges(sig, eligible):
        uf.union(a, b)
        best_sim[b] = max(best_sim.get(b, 0.0), s)
    roots = np.array([uf.find(i) if body[i] else i for i in range(n)], dtype=np.int64)
    art = p["article_id"].to_numpy()
    pid = p["paragraph_id"].to_numpy()
    hashes = p["norm_hash"].to_numpy()
    dup_of = np.full(n, None, dtype=object)
    sim = np.full(n, np.nan, dtype=np.float32)
    scope = np.full(n, None, dtype=object)
    for i in np.flatnonzero(body & (roots != np.arange(n))):
        c = roots[i]
        dup_of[i] = pid[c]
        sim[i] = 1.0 if hashes[i] == hashes[c] else float((sig[i] == sig[c]).mean())
        scope[i] = "within_article" if art[i] == art[c] else "cross_article"
    # a paragraph repeated within one article whose canonical is elsewhere: the second copy is still a repeat
    seen: dict[tuple[str, int], int] = {}
    for i in np.flatnonzero(body):
        k = (art[i], int(roots[i]))
        if k in seen and scope[i] != "within_article":
            scope[i] = "within_article"
        seen.setdefault(k, i)
    out = p.with_columns(
        pl.Series("duplicate_of", dup_of.tolist(), dtype=pl.String),
        pl.Series("similarity", sim, dtype=pl.Float32).fill_nan(None),
        pl.Series("duplicate_scope", scope.tolist(), dtype=pl.String),
    ).with_columns((~pl.col("is_boilerplate") & (pl.col("duplicate_scope").fill_null("") != "within_article")).alias("in_body"))
    out = out.with_columns(
        pl.when(pl.col("duplicate_scope") == "within_article").then(pl.lit("within_article_repeat"))
        .otherwise(pl.col("boilerplate_rule")).alias("boilerplate_rule"),
    ).with_columns(
        pl.when(pl.col("duplicate_scope") == "within_article").then(pl.lit("duplicate"))
        .otherwise(pl.col("boilerplate_category")).alias("boilerplate_category"),
    )
    arts = article_duplicates(out, roots, order)
    stories = story_clusters(out, arts, order)
    arts = arts.join(stories, on="article_id", how="left")
    out_p = conform(out.sort("article_id", "paragraph_index"), DEDUP_PARAGRAPHS)
    out_a = conform(arts.sort("article_id"), DEDUP_ARTICLES)
    stats = {
        "paragraph_copies": int((scope != None).sum()),  # noqa: E711
        "within_article_repeats": int((scope == "within_article").sum()),
        "article_duplicates": int(out_a["duplicate_of"].is_not_null().sum()),
        "stories": int(out_a["story_id"].n_unique()),
    }
    return out_p, out_a, new_index, stats


def article_duplicates(p: pl.DataFrame, roots: np.ndarray, order: pl.DataFrame) -> pl.DataFrame:
    """An article whose body is (nearly) all copies of one earlier article is a duplicate of it."""
    root_art = p["article_id"].to_numpy()[roots]
    b = p.with_columns(pl.Series("_root_art", root_art, dtype=pl.String)).filter(pl.col("in_body") | (pl.col("duplicate_scope") == "within_article"))
    b = b.filter(pl.col("in_body"))
    totals = b.group_by("article_id").len("n_body")
    cross = (b.filter(pl.col("duplicate_scope") == "cross_article")
             .group_by("article_id", "_root_art").len("n_shared")
             .join(totals, on="article_id")
             .with_columns((pl.col("n_shared") / pl.col("n_body")).alias("share"))
             .filter(pl.col("share") >= ARTICLE_DUP_SHARE)
             .join(order.select(pl.col("article_id").alias("_root_art"), pl.col("art_rank").alias("_rr")), on="_root_art")
             .sort("article_id", "share", "_rr", descending=[False, True, False])
             .unique("article_id", keep="first")
             .select("article_id", pl.col("_root_art").alias("duplicate_of"), pl.col("share").cast(pl.Float32).alias("similarity")))
    return order.select("article_id").join(cross, on="article_id", how="left")


def story_clusters(p: pl.DataFrame, arts: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame:
    """story_id per article: union of article duplicates, shared long paragraphs, and shared top terms.

    Top terms: the article's STORY_TOP_TERMS highest tf-idf words; two articles published within
    STORY_WINDOW_DAYS (or undated) that share STORY_MIN_SHARED of them are one story.
    """
    ids = order["article_id"].to_list()
    pos = {a: i for i, a in enumerate(ids)}
    uf = UnionFind({})
    for a, d in arts.filter(pl.col("duplicate_of").is_not_null()).select("article_id", "duplicate_of").iter_rows():
        uf.union(pos[a], pos[d])
    shared = p.filter(pl.col("in_body") & (pl.col("duplicate_scope") == "cross_article") & (pl.col("_nw") >= SHARED_PARA_MIN_WORDS))
    canon_art = dict(zip(p["paragraph_id"].to_list(), p["article_id"].to_list(), strict=False))
    for a, d in shared.select("article_id", "duplicate_of").iter_rows():
        if d in canon_art:
            uf.union(pos[a], pos[canon_art[d]])
    words = (p.filter(pl.col("in_body")).select("article_id", pl.col("_key").str.split(" ").alias("w")).explode("w")
             .filter((pl.col("w").str.len_chars() >= 4) & ~pl.col("w").is_in(list(STOPWORDS)) & ~pl.col("w").str.contains(r"^\d+$")))
    n_bg, bg = rules.background_df()
    n_docs = len(ids) + n_bg
    tf = words.group_by("article_id", "w").len("tf")
    df_ = tf.group_by("w").len("df")
    bg_df = pl.DataFrame({"w": list(bg), "bg": list(bg.values())}, schema={"w": pl.String, "bg": pl.Int64})
    df_ = df_.join(bg_df, on="w", how="left").with_columns((pl.col("df") + pl.col("bg").fill_null(0)).alias("df"))
    max_df = max(50, n_docs // 10)
    top = (tf.join(df_, on="w").filter(pl.col("df") <= max_df)
           .with_columns((pl.col("tf") * (np.log((n_docs + 1) / (pl.col("df") + 1)) + 1)).alias("score"))
           .sort(["article_id", "score", "w"], descending=[False, True, False])
           .group_by("article_id", maintain_order=True).head(STORY_TOP_TERMS).select("article_id", "w"))
    pairs = (top.join(top, on="w", suffix="_b").filter(pl.col("article_id") < pl.col("article_id_b"))
             .group_by("article_id", "article_id_b").len("shared").filter(pl.col("shared") >= STORY_MIN_SHARED))
    pub = order.select("article_id", "published_at")
    pairs = (pairs.join(pub, on="article_id", how="left")
             .join(pub.rename({"article_id": "article_id_b", "published_at": "pb"}), on="article_id_b", how="left")
             .filter(pl.col("published_at").is_null() | pl.col("pb").is_null()
                     | ((pl.col("published_at") - pl.col("pb")).abs() <= pl.duration(days=STORY_WINDOW_DAYS))))
    for a, b in pairs.select("article_id", "article_id_b").iter_rows():
        uf.union(pos[a], pos[b])
    groups: dict[int, list[str]] = {}
    for a in ids:
        groups.setdefault(uf.find(pos[a]), []).append(a)
    story = {a: min(members) for members in groups.values() for a in members}
    return pl.DataFrame({"article_id": ids, "story_id": [story[a] for a in ids]}, schema={"article_id": pl.String, "story_id": pl.String})
