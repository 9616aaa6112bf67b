"""Dedup: exact and near-duplicate paragraphs, article-level copies, and story clusters.

Paragraphs: an exact key (xxh3 of the normalised text) plus MinHash over word 3-shingles with LSH banding for
near-identical copies (light edits, typos, changed numbers). Every copy points to a canonical paragraph: the
one in the earliest-published article, then the first ingested. A copy inside the same article is dropped
from the body (kept as a row); copies in other articles stay in their bodies, flagged.

MinHash signatures (rensa, over vectorised shingle hashes) are persisted in an index (dedup/index), so a
later run over new files only computes signatures for new paragraphs; matching over all signatures is a
linear group-by. All hashing is seeded: output is deterministic.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np
import polars as pl
import xxhash
from rensa import RMinHash

from tasks import rules
from tasks.fields import estimate_published
from tasks.schema import DEDUP_ARTICLES, DEDUP_PARAGRAPHS, conform
from tasks.text import norm_key_expr

NUM_PERM = 48
SHINGLE_CHARS = 5  # character 5-grams of the normalised text: a typo or an edited number breaks few of them
BANDS = 16  # LSH: 16 bands of 3 rows; a pair with Jaccard 0.6 becomes a candidate with probability 0.98
ROWS = NUM_PERM // BANDS
NEAR_THRESHOLD = 0.6  # estimated Jaccard of character 5-grams for a near-identical paragraph
CONTAINED_THRESHOLD = 0.9  # ...or the shorter one is (nearly) contained in the longer (a truncated copy)
CONTAINED_MIN_JACCARD = 0.45
MIN_NEAR_WORDS = 8  # shorter paragraphs only match exactly
SHORT_WORDS = 25  # in paragraphs this short, a different name (speaker, place) makes a different paragraph
ARTICLE_DUP_SHARE = 0.8  # share of an article's body that is copied from one earlier article
ARTICLE_CONTAINS_SHARE = 0.9  # ...or share of the earlier article's body found in it (re-scrape + extra lines)
ARTICLE_CONTAINS_MIN_SHARE = 0.6
STORY_TOP_TERMS = 12
STORY_MIN_SHARED = 6
STORY_WINDOW_DAYS = 3
SHARED_PARA_MIN_WORDS = 15
STORY_LEAD_PARAGRAPHS = 6  # top terms come from the lead: what the story is about, at a fraction of the cost
STORY_MAX_TERM_ARTICLES = 60  # a top term shared by more articles is a topic word ("banjir"), not a story's
MINHASH_SEED = 20240619
INDEX_VERSION = f"rensa{RMinHash.ALGORITHM_VERSION}-p{NUM_PERM}-s{MINHASH_SEED}-c{SHINGLE_CHARS}"
SIG_DTYPE = pl.Array(pl.UInt32, NUM_PERM)

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


def shingle_hashes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes (uint64) of the character SHINGLE_CHARS-grams of each normalised text, flat, with row offsets.

    Character grams (over the UTF-8 bytes of the normalised text) keep a typo or an edited number from
    breaking whole word shingles. Vectorised: one rolling hash over the joined buffer, windows that cross a
    row boundary dropped. A text shorter than one gram is one token.
    """
    k = SHINGLE_CHARS
    enc = [s.encode() for s in keys]
    lens = np.fromiter((len(b) for b in enc), dtype=np.int64, count=len(enc))
    buf = np.frombuffer(b"".join(enc), dtype=np.uint8).astype(np.uint64)
    total = len(buf)
    if total < k:
        h = np.zeros(0, np.uint64)
        valid = np.zeros(0, bool)
    else:
        h = np.zeros(total - k + 1, np.uint64)
        for j in range(k):
            h = (h << np.uint64(8)) | buf[j: total - k + 1 + j]
        row = np.repeat(np.arange(len(lens)), lens)
        valid = row[: total - k + 1] == row[k - 1:]
    counts = np.zeros(len(lens), np.int64)
    if len(h):
        counts = np.bincount(np.repeat(np.arange(len(lens)), lens)[: total - k + 1][valid], minlength=len(lens))
    toks = (h[valid] * np.uint64(0x9E3779B97F4A7C15)) ^ np.uint64(0x2545F4914F6CDD1D)
    short = np.flatnonzero((counts == 0) & (lens > 0))
    if len(short):  # texts shorter than one gram: one token each, spliced in at their row's place
        extra = np.array([xxhash.xxh3_64_intdigest(enc[i]) for i in short], dtype=np.uint64)
        pos = np.concatenate([[0], np.cumsum(counts)])[short]
        toks = np.insert(toks, pos, extra)
        counts[short] = 1
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.uint64)
    return toks, offsets


def minhash(keys: pl.Series, chunk: int = 20_000) -> np.ndarray:
    """(n, NUM_PERM) uint32 MinHash signatures of the character grams of each text.

    Shingle hashing is vectorised in numpy; the MinHash itself is rensa's Rust RMinHash over the flat
    shingle-hash buffer, one call per chunk of rows (memory stays bounded on big corpora). Empty texts get
    all-ones signatures.
    """
    n = len(keys)
    sig = np.full((n, NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    values = keys.to_list()
    for lo in range(0, n, chunk):
        part = values[lo: lo + chunk]
        toks, offsets = shingle_hashes(part)
        if len(toks) == 0:
            continue
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(toks, offsets, NUM_PERM, MINHASH_SEED)
        out = np.fromiter(itertools.chain.from_iterable(matrix.to_rows()), dtype=np.uint32,
                          count=len(part) * NUM_PERM).reshape(len(part), NUM_PERM)
        has = np.diff(offsets.astype(np.int64)) > 0
        sig[lo: lo + chunk][has] = out[has]
    return sig


def band_keys(sig: np.ndarray) -> np.ndarray:
    """(n, BANDS) uint64 LSH band keys."""
    s = sig.astype(np.uint64).reshape(len(sig), BANDS, ROWS)
    key = np.zeros((len(sig), BANDS), np.uint64)
    for r in range(ROWS):
        key = (key * np.uint64(1000003)) ^ s[:, :, r]
    return key + np.arange(BANDS, dtype=np.uint64)[None, :] * np.uint64(0x9E3779B97F4A7C15)


_NAME = re.compile(r"(?<=[a-z0-9,;:)] )[A-Z][\w'-]+")  # capitalised, not at a sentence start


def _one_edit(a: str, b: str) -> bool:
    """a and b equal up to one substitution, insertion, deletion or adjacent transposition (a typo)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return (a[i + 1:] == b[i + 1:] or a[i + 1:] == b[i:] or a[i:] == b[i + 1:]
            or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1]))


def _name_swapped(a: str, b: str) -> bool:
    """True when each text names someone/somewhere the other does not (a substitution, not an added
    attribution); names equal up to a typo count as the same."""
    na, nb = set(_NAME.findall(a)), set(_NAME.findall(b))
    only_a = [x for x in na if not any(_one_edit(x, y) for y in nb)]
    only_b = [y for y in nb if not any(_one_edit(x, y) for x in na)]
    return bool(only_a) and bool(only_b)


def near_duplicate_edges(sig: np.ndarray, eligible: np.ndarray, sizes: np.ndarray, nwords: np.ndarray,
                         texts: pl.Series) -> list[tuple[int, int, float]]:
    """Verified (i, j, similarity) pairs among eligible rows: same LSH bucket, then estimated Jaccard >= threshold
    or the shorter text (nearly) contained in the longer; short paragraphs whose names differ are not copies.

    Each bucket member is compared with the bucket's first member only (a star, not all pairs): linear.
    Containment is estimated from the Jaccard and the two gram counts: |A∩B| = J(|A|+|B|)/(1+J).
    """
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return []
    keys = band_keys(sig[idx])
    a_parts, b_parts = [], []
    for band in range(BANDS):  # per band: sort keys (stable, so a bucket's first row is its earliest), star pairs
        k = keys[:, band]
        o = np.argsort(k, kind="stable")
        ks = k[o]
        new_run = np.ones(len(ks), bool)
        new_run[1:] = ks[1:] != ks[:-1]
        head = o[np.maximum.accumulate(np.where(new_run, np.arange(len(ks)), 0))]
        member = ~new_run
        a_parts.append(idx[head[member]])
        b_parts.append(idx[o[member]])
    if not a_parts or not sum(len(x) for x in a_parts):
        return []
    pair_key = np.concatenate(a_parts).astype(np.int64) * len(sig) + np.concatenate(b_parts)
    pair_key.sort()
    pair_key = pair_key[np.concatenate([[True], pair_key[1:] != pair_key[:-1]])]
    a, b = pair_key // len(sig), pair_key % len(sig)
    sim = (sig[a] == sig[b]).mean(axis=1)
    sa, sb = sizes[a].astype(np.float64), sizes[b].astype(np.float64)
    contained = sim * (sa + sb) / (1 + sim) / np.maximum(np.minimum(sa, sb), 1)
    ok = (sim >= NEAR_THRESHOLD) | ((contained >= CONTAINED_THRESHOLD) & (sim >= CONTAINED_MIN_JACCARD))
    short = ok & (np.minimum(nwords[a], nwords[b]) < SHORT_WORDS)
    check = np.flatnonzero(short)
    if len(check):
        ta = texts.gather(a[check]).to_list()
        tb = texts.gather(b[check]).to_list()
        for k, x, y in zip(check, ta, tb, strict=True):
            if _name_swapped(x, y):
                ok[k] = False
    return list(zip(a[ok].tolist(), b[ok].tolist(), sim[ok].tolist(), strict=False))


def article_order(articles: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """Rank articles: earliest published first (unknown last), then first ingested, then source order."""
    pub = estimate_published(articles, paragraphs)
    return (articles.select("article_id", "ingested_at", "source_path", "source_row")
            .join(pub, on="article_id", how="left")
            .sort(["published_at", "ingested_at", "source_path", "source_row", "article_id"], nulls_last=True)
            .with_row_index("art_rank").select("article_id", pl.col("art_rank").cast(pl.Int64), "published_at"))


def first_of_text(paragraphs: pl.DataFrame, eligible: np.ndarray) -> np.ndarray:
    """For each eligible row, the first eligible row with the same normalised text (itself when it is the first);
    -1 for rows that are not eligible. Exact copies share that row's signature and LSH entry."""
    masked = pl.DataFrame({"h": paragraphs["norm_hash"], "e": eligible}).select(
        pl.when(pl.col("e")).then(pl.col("h")).alias("h"))
    first = masked.with_row_index("r").select(pl.col("r").first().over("h").cast(pl.Int64))["r"].to_numpy()
    return np.where(eligible, first, -1)


def signatures(paragraphs: pl.DataFrame, first: np.ndarray, index: pl.DataFrame | None) -> tuple[np.ndarray, pl.DataFrame]:
    """Signatures for the eligible rows (first >= 0; others stay zero): computed once per distinct text, reused
    from the persisted index for known (paragraph_id, norm_hash) rows. Returns them and the new index."""
    n = paragraphs.height
    sig = np.zeros((n, NUM_PERM), np.uint32)
    eligible = first >= 0
    todo = eligible & (first == np.arange(n))
    if index is not None and index.height:
        joined = (paragraphs.select("paragraph_id", "norm_hash").with_row_index("r")
                  .filter(pl.Series(todo)).join(index, on=["paragraph_id", "norm_hash"], how="inner"))
        if joined.height:
            rows = joined["r"].to_numpy()
            sig[rows] = joined["sig"].cast(SIG_DTYPE).to_numpy()
            todo[rows] = False
    if todo.any():
        rows = np.flatnonzero(todo)
        sig[rows] = minhash(paragraphs["_key"].gather(rows))
    keep = np.flatnonzero(eligible)
    sig[keep] = sig[first[keep]]
    new_index = paragraphs.select("paragraph_id", "norm_hash")[keep].with_columns(
        pl.Series("sig", sig[keep], dtype=SIG_DTYPE))
    return sig, new_index


def dedup(paragraphs: pl.DataFrame, articles: pl.DataFrame, index: pl.DataFrame | None = None
          ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """clean/paragraphs + ingest/articles -> (dedup/paragraphs, dedup/articles, new index, stats)."""
    order = article_order(articles, paragraphs)
    p = (paragraphs.join(order.select("article_id", "art_rank"), on="article_id", how="left")
         .with_columns(norm_key_expr("text").alias("_key"))
         .with_columns(pl.col("_key").str.count_matches(" ").add(1).alias("_nw"))
         .sort("art_rank", "paragraph_index").with_row_index("_r"))
    p = p.with_columns(pl.Series("norm_hash", [xxhash.xxh3_64_hexdigest(k.encode()) for k in p["_key"]], dtype=pl.String))
    body = ~p["is_boilerplate"].to_numpy() & (p["_key"].str.len_chars() > 0).to_numpy()
    eligible = body & (p["_nw"].to_numpy() >= MIN_NEAR_WORDS)
    first = first_of_text(p, eligible)
    sig, new_index = signatures(p, first, index)
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
    sizes = (p["_key"].str.len_bytes().to_numpy().astype(np.int64) - SHINGLE_CHARS + 1).clip(1)
    # one representative per exact text (its first, canonical occurrence): exact copies are already joined
    reps = eligible & (first == np.arange(n))
    for a, b, s in near_duplicate_edges(sig, reps, sizes, p["_nw"].to_numpy(), p["text"]):
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
    """An article is a duplicate of an earlier one when (nearly) all its body is copied from it
    (share >= ARTICLE_DUP_SHARE), or when it contains (nearly) all of the earlier one's body and little else
    (a re-scrape with extra header/footer lines that were not recognised as boilerplate)."""
    root_art = p["article_id"].to_numpy()[roots]
    b = p.with_columns(pl.Series("_root_art", root_art, dtype=pl.String)).filter(pl.col("in_body"))
    totals = b.group_by("article_id").len("n_body")
    cross = (b.filter(pl.col("duplicate_scope") == "cross_article")
             .group_by("article_id", "_root_art").agg(pl.col("_root_art").len().alias("n_shared"),
                                                      pl.col("duplicate_of").n_unique().alias("n_canon"))
             .join(totals, on="article_id")
             .join(totals.select(pl.col("article_id").alias("_root_art"), pl.col("n_body").alias("n_root")), on="_root_art")
             .with_columns((pl.col("n_shared") / pl.col("n_body")).alias("share"),
                           (pl.col("n_canon") / pl.col("n_root")).alias("covers"))
             .filter((pl.col("share") >= ARTICLE_DUP_SHARE)
                     | ((pl.col("covers") >= ARTICLE_CONTAINS_SHARE) & (pl.col("share") >= ARTICLE_CONTAINS_MIN_SHARE)))
             .join(order.select(pl.col("article_id").alias("_root_art"), pl.col("art_rank").alias("_rr")), on="_root_art")
             .sort("article_id", "share", "_rr", descending=[False, True, False])
             .unique("article_id", keep="first")
             .select("article_id", pl.col("_root_art").alias("duplicate_of"), pl.col("share").cast(pl.Float32).alias("similarity")))
    return order.select("article_id").join(cross, on="article_id", how="left")


def background_frame() -> pl.DataFrame:
    """The background document frequencies (rules/background_df.tsv) as a frame, built once per process."""
    global _BG_FRAME
    if _BG_FRAME is None:
        _, bg = rules.background_df()
        _BG_FRAME = pl.DataFrame({"w": list(bg), "bg": list(bg.values())}, schema={"w": pl.String, "bg": pl.Int64})
    return _BG_FRAME


_BG_FRAME: pl.DataFrame | None = None


def story_clusters(p: pl.DataFrame, arts: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame:
    """story_id per article: union of article duplicates, shared long paragraphs, and shared top terms.

    Top terms: the STORY_TOP_TERMS highest tf-idf words of the article's first STORY_LEAD_PARAGRAPHS body paragraphs; two articles published within
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
    # tf-idf top terms per article, all in one lazy query over integer article ranks (ranks == positions in ids)
    n_bg, bg = rules.background_df()
    n_docs = len(ids) + n_bg
    bg_df = background_frame()
    words = (p.lazy().filter(pl.col("in_body"))
             .filter(pl.int_range(pl.len()).over("art_rank") < STORY_LEAD_PARAGRAPHS)
             .select(pl.col("art_rank").alias("a"), pl.col("_key").str.split(" ").alias("w"))
             .explode("w")
             .filter((pl.col("w").str.len_chars() >= 4) & ~pl.col("w").is_in(list(STOPWORDS)) & ~pl.col("w").str.contains(r"^\d+$")))
    tf = words.group_by("a", "w").len("tf")
    df_ = (tf.group_by("w").len("df").join(bg_df.lazy(), on="w", how="left")
           .select("w", (pl.col("df") + pl.col("bg").fill_null(0)).alias("df")))
    max_df = max(50, n_docs // 10)
    top = (tf.join(df_, on="w").filter(pl.col("df") <= max_df)
           .with_columns((pl.col("tf") * (np.log((n_docs + 1) / (pl.col("df") + 1)) + 1)).alias("score"))
           # the STORY_TOP_TERMS best per article (ties: alphabetical), without sorting all (article, word) rows
           .group_by("a").agg(pl.col("w").top_k_by(["score", "w"], k=STORY_TOP_TERMS, reverse=[False, True]))
           .explode("w")
           .filter(pl.len().over("w") <= STORY_MAX_TERM_ARTICLES))  # a topic word, not a story's; keeps the join small
    pairs = (top.join(top, on="w", suffix="_b").filter(pl.col("a") < pl.col("a_b"))
             .group_by("a", "a_b").len("shared").filter(pl.col("shared") >= STORY_MIN_SHARED)
             .collect())
    id_s = pl.Series(ids, dtype=pl.String)
    pairs = pl.DataFrame({"article_id": id_s.gather(pairs["a"]), "article_id_b": id_s.gather(pairs["a_b"])})
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
