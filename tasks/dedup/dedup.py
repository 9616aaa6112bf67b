"""Dedup: exact and near-duplicate paragraphs, article-level copies, and story clusters.

Paragraphs: an exact key (xxh3 of the normalised text) plus MinHash over character 5-grams with LSH
banding for near-identical copies (light edits, typos, changed numbers). Every copy points to a
canonical paragraph: the one in the earliest-published article, then the first ingested. A copy
inside the same article is dropped from the body (kept as a row); copies in other articles stay in
their bodies, flagged.

MinHash signatures (rensa, over vectorised shingle hashes) are persisted in an index (dedup/index,
one per distinct text), so a later run over new files only computes signatures for new texts. All
hashing is seeded: output is deterministic.

Memory is bounded on any corpus size: the paragraphs stream through twice (features and signatures,
then the output rows) in batches; between the passes only numeric arrays per paragraph (hash,
article rank, word count: about 40 bytes) and one signature per distinct text (192 bytes) are held,
and LSH buckets, copy decisions, article copies and story clusters are vectorised numpy/polars over
those arrays.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import xxhash
from rensa import RMinHash

from tasks import rules
from tasks.context import MapChunks
from tasks.dedup import events
from tasks.dedup.article_copies import DEFAULT as COPIES
from tasks.dedup.article_copies import article_copies
from tasks.dedup.sentence_copies import sentence_copies, sentence_keys
from tasks.extract.fields import estimate_published
from tasks.io import WorkTable
from tasks.schema import DEDUP_ARTICLES, DEDUP_PARAGRAPHS, conform
from tasks.text_fast import norm_key_expr


@dataclass(frozen=True)
class Signing:
    """What a paragraph's MinHash signature is made of. Any change makes other signatures: version()
    is written beside every signature in dedup/index, and an index of another version is rebuilt."""
    num_perm: int = 48
    # character 5-grams of the normalised text: a typo or an edited number breaks few
    shingle_chars: int = 5
    seed: int = 20240619

    def version(self) -> str:
        return (f"rensa{RMinHash.ALGORITHM_VERSION}-p{self.num_perm}-s{self.seed}"
                f"-c{self.shingle_chars}-bytext")


@dataclass(frozen=True)
class CopyThresholds:
    """When two paragraphs are copies, and which shared paragraphs tie articles into a story."""
    # LSH: 16 bands of 3 rows; a pair with Jaccard 0.6 becomes a candidate with probability
    # 0.98
    bands: int = 16
    near: float = 0.6  # estimated Jaccard of character 5-grams for a near-identical paragraph
    # ...or the shorter one is (nearly) contained in the longer (a truncated copy)
    contained: float = 0.9
    contained_min_jaccard: float = 0.45
    min_near_words: int = 8  # shorter paragraphs only match exactly
    # in paragraphs this short, a different name (speaker, place) makes another paragraph
    short_words: int = 25
    shared_para_min_words: int = 15  # a shared paragraph this long ties two articles' stories
    story_lead_paragraphs: int = 6  # the story words come from the lead: what the story is about


SIGNING = Signing()
COPY = CopyThresholds()
# the names the code below reads (one source: the two configs above)
NUM_PERM = SIGNING.num_perm
SHINGLE_CHARS = SIGNING.shingle_chars
MINHASH_SEED = SIGNING.seed
INDEX_VERSION = SIGNING.version()
BANDS = COPY.bands
ROWS = NUM_PERM // BANDS
NEAR_THRESHOLD = COPY.near
CONTAINED_THRESHOLD = COPY.contained
CONTAINED_MIN_JACCARD = COPY.contained_min_jaccard
MIN_NEAR_WORDS = COPY.min_near_words
SHORT_WORDS = COPY.short_words
SHARED_PARA_MIN_WORDS = COPY.shared_para_min_words
STORY_LEAD_PARAGRAPHS = COPY.story_lead_paragraphs
BATCH_ROWS = 50_000  # paragraphs per streamed batch (one batch per worker task in the output pass)
PAIR_BLOCK = 250_000  # candidate pairs verified at a time
SIGN_CHUNK = 20_000  # texts signed per task (on worker processes when there are several)
# from this many paragraphs, workers stop during the serial grouping (their
IDLE_WORKERS_ROWS = 2_000_000
# memory goes back to the machine at dedup's peak; restarting them is cheap)
# below this many distinct texts, LSH bands are bucketed one ahead on a thread
PREFETCH_BAND_TEXTS = 2_000_000
# ... and the new index is written on a thread while dedup goes on (above,
BACKGROUND_INDEX_TEXTS = 2_000_000
# its signatures would be held through the output pass, dedup's memory peak)
TERMS_ON_DISK_ROWS = 2_000_000  # from this many paragraphs, the lead words (about 10 rows a
# paragraph) wait for the story pass in a work file; below, in memory (writing and reading them back
# cost more than the rest of the story pass)
SIG_DTYPE = pl.Array(pl.UInt32, NUM_PERM)
PASS1_COLUMNS = ["article_id", "paragraph_index", "is_boilerplate", "text"]

STOPWORDS = frozenset(
    "yang dan di ke dari untuk dengan pada ini itu dalam tidak akan juga atau ada oleh karena "
    "sudah saat para "
    "bahwa telah bisa lebih kata mereka kami kita saya dia ia adalah sebagai tersebut namun masih "
    "hanya secara "
    "hingga antara setelah sejak seperti serta harus menjadi dapat jika agar maka pun lagi tahun "
    "hari rabu kamis "
    "jumat sabtu minggu senin selasa satu dua tiga baru lain salah banyak mengatakan menurut "
    "sangat besar".split()
)


def shingle_hashes(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes (uint64) of the character SHINGLE_CHARS-grams of each normalised text, flat, with row
    offsets.

    Character grams (over the UTF-8 bytes of the normalised text) keep a typo or an edited number
    from breaking whole word shingles. Vectorised: one rolling hash over the joined buffer, windows
    that cross a row boundary dropped. A text shorter than one gram is one token.
    """
    k = SHINGLE_CHARS
    enc = [s.encode() for s in keys]
    lens = np.fromiter((len(b) for b in enc), dtype=np.int64, count=len(enc))
    buf = np.frombuffer(b"".join(enc), dtype=np.uint8)
    nwin = max(len(buf) - k + 1, 0)
    # window i as the integer of its k bytes, first byte highest: the big-endian 8 bytes from i,
    # shifted down
    padded = np.concatenate([buf, np.zeros(8, np.uint8)])
    h = np.ndarray((nwin,), dtype=">u8", buffer=padded, strides=(1,)).astype(np.uint64)
    h >>= np.uint64(8 * (8 - k))
    # a window starting in the last k-1 bytes before a row's end crosses into the next row
    valid = np.ones(nwin, bool)
    cross = (np.cumsum(lens)[:, None] - np.arange(1, k)[None, :]).ravel()
    valid[cross[(cross >= 0) & (cross < nwin)]] = False
    counts = np.maximum(lens - k + 1, 0)
    toks = h[valid]
    toks *= np.uint64(0x9E3779B97F4A7C15)
    toks ^= np.uint64(0x2545F4914F6CDD1D)
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

    Shingle hashing is vectorised in numpy; the MinHash itself is rensa's Rust RMinHash over the
    flat shingle-hash buffer, one call per chunk of rows (memory stays bounded on big corpora).
    Empty texts get all-ones signatures.
    """
    n = len(keys)
    sig = np.full((n, NUM_PERM), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    values = keys.to_list()
    for lo in range(0, n, chunk):
        part = values[lo: lo + chunk]
        toks, offsets = shingle_hashes(part)
        if len(toks) == 0:
            continue
        matrix = RMinHash.digest_matrix_from_flat_token_hashes(
            toks, offsets, NUM_PERM, MINHASH_SEED
        )
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
    """a and b equal up to one substitution, insertion, deletion or adjacent transposition (a
    typo)."""
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
    # a name in both is its own typo-equal: only the names of one text alone can be unmatched
    only_a = any(not any(_one_edit(x, y) for y in nb) for x in na - nb)
    return only_a and any(not any(_one_edit(x, y) for x in na) for y in nb - na)


def sorted_unique(x: np.ndarray) -> np.ndarray:
    """np.unique(x) by a stable sort: numpy 2.4's np.unique (a hash table) is slower on big integer
    arrays, and the stable sort (timsort) merges already-sorted runs in linear time."""
    s = np.sort(x, kind="stable")
    keep = np.empty(len(s), bool)
    keep[:1] = True
    np.not_equal(s[1:], s[:-1], out=keep[1:])
    return s[keep]


def stable_argsort(k: np.ndarray, fast: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(np.argsort(k, kind="stable") as int64, k in that order). `fast`: sorted by polars
    (multi-threaded, ~2.5x faster, more temporary memory), whose order among equal keys is checked,
    not assumed: numpy's stable sort if one pair is out of place."""
    if fast:
        o = pl.Series(k).arg_sort().to_numpy().astype(np.int64)
        ks = k[o]
        if not (len(o) > 1 and ((ks[1:] == ks[:-1]) & (o[1:] < o[:-1])).any()):
            return o, ks
    o = np.argsort(k, kind="stable")
    return o, k[o]


def key_hashes(keys: list[str]) -> np.ndarray:
    """xxh3-64 of each normalised text (uint64)."""
    return np.fromiter(
        (xxhash.xxh3_64_intdigest(k.encode()) for k in keys), dtype=np.uint64, count=len(keys)
    )


def hex64(h: np.ndarray) -> pa.Array:
    """uint64 -> 16-char lower-case hex strings (xxhash's hexdigest), vectorised."""
    digits = np.frombuffer(b"0123456789abcdef", np.uint8)
    be = np.ascontiguousarray(h, dtype=">u8").view(np.uint8).reshape(-1, 8)
    out = np.empty((len(h), 16), np.uint8)
    out[:, 0::2] = digits[be >> 4]
    out[:, 1::2] = digits[be & 15]
    offsets = np.arange(0, 16 * len(h) + 1, 16, dtype=np.int64)
    return pa.LargeStringArray.from_buffers(
        len(h), pa.py_buffer(offsets), pa.py_buffer(out.tobytes())
    )


def components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of nodes 0..n-1 joined by edges a-b: each node's label is the smallest
    node of its component (what a union-find keeping the lower root gives). Vectorised: hook roots
    to the smaller root of each edge, then pointer jumping, until every edge joins equal labels."""
    lab = np.arange(n, dtype=np.int64)
    a, b = np.asarray(a, np.int64), np.asarray(b, np.int64)
    while len(a):
        la, lb = lab[a], lab[b]
        if (la == lb).all():
            break
        m = np.minimum(la, lb)
        np.minimum.at(lab, la, m)
        np.minimum.at(lab, lb, m)
        while True:
            nxt = lab[lab]
            if (nxt == lab).all():
                break
            lab = nxt
    return lab


@dataclass
class Index:
    """MinHash signatures by normalised-text hash: h uint64 in any order; the signatures either in
    memory (sig: (len(h), NUM_PERM) uint32) or streamed from the persisted index (batches() yields
    (h, sig) pairs), so a big index costs 8 bytes a text until its signatures are copied where they
    are needed. Lookups go through a sorted copy of the hashes (the signatures are never reordered:
    that would copy them)."""
    h: np.ndarray
    sig: np.ndarray | None = None
    batches: Callable[[], Iterator[tuple[np.ndarray, np.ndarray]]] | None = None

    def __post_init__(self) -> None:
        self._order: np.ndarray | None = None

    @classmethod
    def from_frame(cls, df: pl.DataFrame) -> Index:
        return cls(df["norm_hash"].str.to_integer(base=16, dtype=pl.UInt64).to_numpy(),
                   df["sig"].cast(SIG_DTYPE).to_numpy())

    def to_arrow(self) -> pa.Table:
        flat = pa.array(np.ascontiguousarray(self.sig).reshape(-1))
        return pa.table(
            {"norm_hash": hex64(self.h), "sig": pa.FixedSizeListArray.from_arrays(flat, NUM_PERM)}
        )

    def to_frame(self) -> pl.DataFrame:
        return pl.from_arrow(self.to_arrow())  # type: ignore[return-value]

    def lookup(self, h: np.ndarray) -> np.ndarray:
        """Row of each hash in the index, -1 when absent."""
        if not len(self.h):
            return np.full(len(h), -1)
        if self._order is None:
            self._order = np.argsort(self.h, kind="stable")
            self._sorted = self.h[self._order]
        pos = np.minimum(np.searchsorted(self._sorted, h), len(self.h) - 1)
        return np.where(self._sorted[pos] == h, self._order[pos], -1)

    def copy_into(self, out: np.ndarray, slots: np.ndarray, h: np.ndarray) -> None:
        """out[slots] = the signatures of hashes h (all in the index), from memory or one streamed
        read."""
        if self.sig is not None:
            out[slots] = self.sig[self.lookup(h)]
            return
        o = np.argsort(h)
        want, slots = h[o], slots[o]
        filled = np.zeros(len(want), bool)
        for bh, bsig in self.batches():  # type: ignore[misc]
            pos = np.minimum(np.searchsorted(want, bh), len(want) - 1)
            hit = want[pos] == bh
            out[slots[pos[hit]]] = bsig[hit]
            filled[pos[hit]] = True
        if not filled.all():
            raise IndexIncomplete(f"{int((~filled).sum())} signatures missing from the dedup index")


class IndexIncomplete(ValueError):
    """The persisted index lacks signatures its hash list promised (a damaged file): dedup is rerun
    without it."""


@dataclass
class Source:
    """clean/paragraphs rows to deduplicate, readable twice in the same order: `batches(columns)`
    yields them in batches (those columns, None for all), `texts(rows)` returns the text of rows at
    these positions."""
    n_rows: int
    batches: Callable[[list[str] | None], Iterator[pl.DataFrame]]
    texts: Callable[[np.ndarray], list[str]]

    @classmethod
    def from_frame(cls, df: pl.DataFrame, batch_rows: int = BATCH_ROWS) -> Source:
        def batches(columns: list[str] | None) -> Iterator[pl.DataFrame]:
            part = df if columns is None else df.select(columns)
            return (part.slice(lo, batch_rows) for lo in range(0, max(df.height, 1), batch_rows))

        return cls(df.height, batches, lambda rows: df["text"].gather(rows).to_list())


def whole_articles(
    batches: Iterable[pl.DataFrame], key: str = "article_id"
) -> Iterator[pl.DataFrame]:
    """Re-cut batches so that no group of consecutive rows with the same key is split between
    two."""
    carry: pl.DataFrame | None = None
    for df in batches:
        if carry is not None:
            df = pl.concat([carry, df])
        if df.is_empty():
            carry = df
            continue
        last = df[key][-1]
        tail = (
            df[key].to_numpy() == last
            if df[key].dtype.is_numeric()
            else (df[key] == last).to_numpy()
        )
        cut = len(tail) - int(np.argmin(tail[::-1])) if not tail.all() else 0
        if cut:
            yield df.slice(0, cut)
        carry = df.slice(cut)
    if carry is not None and carry.height:
        yield carry


def article_order(articles: pl.DataFrame, publish_rows: pl.DataFrame) -> pl.DataFrame:
    """Rank articles: earliest published first (unknown last), then first ingested, then source
    order.
    publish_rows: the clean rows labelled publish_date (article_id, boilerplate_rule, text)."""
    pub = estimate_published(articles, publish_rows)
    # headline words for the story pass
    title = ["title_hint"] if "title_hint" in articles.columns else []
    return (
        articles.select("article_id", "ingested_at", "source_path", "source_row", *title)
        .join(pub, on="article_id", how="left")
        .sort(
            ["published_at", "ingested_at", "source_path", "source_row", "article_id"],
            nulls_last=True,
        )
        .with_row_index("art_rank")
        .select("article_id", pl.col("art_rank").cast(pl.Int64), "published_at", *title)
    )


@dataclass
class Features:
    """Per paragraph row, in source order: what dedup needs, without the text."""
    art: np.ndarray  # int32 article rank (article_order)
    pidx: np.ndarray  # int32 paragraph_index
    h: np.ndarray  # uint64 xxh3 of the normalised text
    nw: np.ndarray  # int32 words of the normalised text
    size: np.ndarray  # int32 character 5-grams of the normalised text (>= 1)
    body: np.ndarray  # bool: not boilerplate, normalised text not empty
    boiler: np.ndarray  # bool: is_boilerplate


class Signatures:
    """One MinHash signature per distinct eligible text, filled as the batches stream by (taken from
    the previous run's index when it has the text). Preallocated for every row: pages never written
    are never resident, so memory follows the distinct texts actually seen."""

    def __init__(self, capacity: int, index: Index | None):
        self.sig = np.empty((max(capacity, 1), NUM_PERM), np.uint32)
        self.h = np.empty(max(capacity, 1), np.uint64)
        self.m = 0
        # sorted runs of the hashes held, merged as they grow (log-structured)
        self.seen: list[np.ndarray] = []
        self.index = index
        # (slots, hashes) the index will fill
        self.from_index: list[tuple[np.ndarray, np.ndarray]] = []

    def reserve(self, h: np.ndarray, keys: pl.Series) -> tuple[np.ndarray, pl.Series]:
        """Slots for the distinct hashes among h not held yet. Those the index has are filled from
        it in finish(); the rest are returned (their slots and texts) for the caller to sign, here
        or on workers."""
        none = np.zeros(0, np.int64), keys.head(0)
        uniq, first = np.unique(h, return_index=True)
        new = np.ones(len(uniq), bool)
        for run in self.seen:
            pos = np.minimum(np.searchsorted(run, uniq), len(run) - 1)
            new &= run[pos] != uniq
        uniq, first = uniq[new], first[new]
        if not len(uniq):
            return none
        k = len(uniq)
        known = self.index.lookup(uniq) >= 0 if self.index is not None else np.zeros(k, bool)
        if known.any():
            self.from_index.append((self.m + np.flatnonzero(known), uniq[known]))
        slots = self.m + np.flatnonzero(~known)
        self.h[self.m: self.m + k] = uniq
        self.m += k
        self.seen.append(uniq)
        while len(self.seen) > 1 and len(self.seen[-2]) <= 2 * len(self.seen[-1]):
            last = self.seen.pop()
            # two sorted runs: a merge
            self.seen[-1] = sorted_unique(np.concatenate([self.seen[-1], last]))
        return slots, keys.gather(first[~known])

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """(sig rows, position lookup): positions of hashes via lookup(h)."""
        if self.from_index:
            self.index.copy_into(
                self.sig,
                np.concatenate([s for s, _ in self.from_index]),  # type: ignore[union-attr]
                np.concatenate([h for _, h in self.from_index]),
            )
        self.from_index = []
        self.index = None
        self._order = np.argsort(self.h[: self.m], kind="stable")
        self._sorted = self.h[: self.m][self._order]
        return self.sig[: self.m], self.h[: self.m]

    def lookup(self, h: np.ndarray) -> np.ndarray:
        return self._order[np.searchsorted(self._sorted, h)]

    def to_index(self) -> Index:
        """The signatures as an index to write (in the order they were made: sorting would copy them
        all; Index.from_frame sorts when it is read back)."""
        return Index(self.h[: self.m], self.sig[: self.m])


def sign_chunk(keys: pl.DataFrame) -> np.ndarray:
    """MinHash signatures of a chunk of normalised texts (column "key"): the work pass 1 hands to
    workers."""
    return minhash(keys["key"])


def scan_features(
    source: Source,
    rank: pl.DataFrame,
    n_art: int,
    sigs: Signatures,
    progress: Callable[[int, int], None] | None = None,
    map_chunks: MapChunks = map,
) -> Features:
    """Pass 1 over the paragraphs: per-row features (filled into arrays sized once, no concatenation
    copies) and the signatures of eligible texts. This process computes the features batch by batch
    while map_chunks (worker processes, when the runner gives them) signs the texts it found new
    (the costly part)."""
    n = source.n_rows
    f = Features(
        np.zeros(n, np.int32),
        np.zeros(n, np.int32),
        np.zeros(n, np.uint64),
        np.zeros(n, np.int32),
        np.zeros(n, np.int32),
        np.zeros(n, bool),
        np.zeros(n, bool),
    )
    pending: deque[np.ndarray] = deque()  # signature slots of the chunks handed out, in order
    jobs = _feature_batches(source, rank, n_art, sigs, f, pending, progress)
    for sig in map_chunks(sign_chunk, jobs):
        sigs.sig[pending.popleft()] = sig
    return f


def _feature_batches(source: Source, rank: pl.DataFrame, n_art: int, sigs: Signatures, f: Features,
                     pending: deque[np.ndarray], progress: Callable[[int, int], None] | None
                     ) -> Iterator[pl.DataFrame]:
    """Fills f batch by batch; yields the texts to sign in chunks of SIGN_CHUNK (their slots go to
    pending)."""
    n = source.n_rows
    lo = 0
    for df in source.batches(PASS1_COLUMNS):  # the other columns are not decoded until pass 2
        x = df.select(
            "article_id", "paragraph_index", "is_boilerplate", norm_key_expr("text").alias("_key")
        ).join(rank, on="article_id", how="left", maintain_order="left")
        hi = lo + x.height
        keys = x["_key"]
        nw = (keys.str.count_matches(" ", literal=True) + 1).cast(pl.Int32).to_numpy()
        nbytes = keys.str.len_bytes().cast(pl.Int64).to_numpy()
        boiler = x["is_boilerplate"].fill_null(False).to_numpy()
        body = ~boiler & (nbytes > 0)
        h = key_hashes(keys.to_list())
        elig = np.flatnonzero(body & (nw >= MIN_NEAR_WORDS))
        if len(elig):
            slots, todo = sigs.reserve(h[elig], keys.gather(elig))
            for c in range(0, len(slots), SIGN_CHUNK):
                pending.append(slots[c: c + SIGN_CHUNK])
                yield todo.slice(c, SIGN_CHUNK).to_frame("key")
        f.art[lo:hi] = x["art_rank"].fill_null(n_art).to_numpy()
        f.pidx[lo:hi] = x["paragraph_index"].to_numpy()
        f.h[lo:hi], f.nw[lo:hi], f.body[lo:hi], f.boiler[lo:hi] = h, nw, body, boiler
        f.size[lo:hi] = np.maximum(nbytes - SHINGLE_CHARS + 1, 1)
        lo = hi
        if progress:
            progress(lo, n)
    if lo != n:
        raise ValueError(f"clean/paragraphs has {lo} rows, its footer says {n}")


def near_duplicate_edges(sig: np.ndarray, at: np.ndarray, size: np.ndarray, nw: np.ndarray,
                         texts: Callable[[np.ndarray], list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Verified near-copy edges (a, b) among texts 0..m-1 (text k's signature is sig[at[k]]; texts
    earliest first), with a < b: same LSH bucket in a band, then estimated Jaccard >= NEAR_THRESHOLD
    or the shorter text (nearly) contained in the longer; short paragraphs whose names differ are
    not copies (texts(k) gives the text of signature k for that check).

    Each bucket member is paired with the bucket's earliest member only (a star, not all pairs):
    linear. Containment is estimated from the Jaccard and the two gram counts: |A∩B| =
    J(|A|+|B|)/(1+J).
    """
    m = len(at)
    if m < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    kept = np.zeros(0, np.int64)  # pair keys a * m + b that passed the signature check

    def band_pairs(band: int) -> np.ndarray:
        """The band's candidate pairs: sort keys (stable, so a bucket's first row is its earliest),
        star pairs."""
        k = np.zeros(len(sig), np.uint64)
        # over the signatures in their own order: a strided read, not a random gather
        for r in range(ROWS):
            k *= np.uint64(1000003)
            k ^= sig[:, band * ROWS + r]
        # then the texts' keys (a gather from 8 bytes a signature, not from the 192-byte
        # rows)
        k = k[at]
        # numpy's, with less memory, on the largest
        o, ks = stable_argsort(k, fast=m < PREFETCH_BAND_TEXTS)
        del k
        new_run = np.ones(m, bool)
        new_run[1:] = ks[1:] != ks[:-1]
        del ks
        head = o[np.maximum.accumulate(np.where(new_run, np.arange(m), 0))]
        member = ~new_run
        return sorted_unique(head[member].astype(np.int64) * m + o[member])

    # the next band's pairs are found on a thread (numpy sorts without the GIL) while this one is
    # verified;
    # not on the largest inputs, where a second band's temporaries would raise dedup's memory peak
    ahead = ThreadPoolExecutor(1) if m < PREFETCH_BAND_TEXTS else None
    nxt = ahead.submit(band_pairs, 0) if ahead else None
    for band in range(BANDS):
        if ahead:
            cand = nxt.result()  # type: ignore[union-attr]
            nxt = ahead.submit(band_pairs, band + 1) if band + 1 < BANDS else None
        else:
            cand = band_pairs(band)
        # verified band by band, only the pairs that pass are kept: on a corpus of many loose
        # variants of the
        # same paragraphs most texts share buckets, and all candidate pairs of 16 bands would fill
        # memory
        cand = cand[~np.isin(cand, kept, assume_unique=True)]
        for lo in range(0, len(cand), PAIR_BLOCK):
            c = cand[lo: lo + PAIR_BLOCK]
            a, b = c // m, c % m
            # take: 2x sig[...]
            sim = (np.take(sig, at[a], axis=0) == np.take(sig, at[b], axis=0)).mean(axis=1)
            sa, sb = size[a].astype(np.float64), size[b].astype(np.float64)
            contained = sim * (sa + sb) / (1 + sim) / np.maximum(np.minimum(sa, sb), 1)
            good = (sim >= NEAR_THRESHOLD) | (
                (contained >= CONTAINED_THRESHOLD) & (sim >= CONTAINED_MIN_JACCARD)
            )
            kept = sorted_unique(np.concatenate([kept, c[good]]))
    if ahead:
        ahead.shutdown()
    a_all, b_all = kept // m, kept % m
    ok = np.ones(len(kept), bool)
    check = np.flatnonzero(ok & (np.minimum(nw[a_all], nw[b_all]) < SHORT_WORDS))
    if len(check):
        need = sorted_unique(np.concatenate([a_all[check], b_all[check]]))
        text = dict(zip(need.tolist(), texts(need), strict=True))
        for k, x, y in zip(
            check.tolist(), a_all[check].tolist(), b_all[check].tolist(), strict=True
        ):
            if _name_swapped(text[x], text[y]):
                ok[k] = False
    return a_all[ok], b_all[ok]


@dataclass
class Copies:
    """Per paragraph row, in source order: the copy decisions."""
    root: np.ndarray  # int64 source row of the canonical copy (itself when not a copy)
    scope: np.ndarray  # int8: 0 not a copy, 1 cross_article, 2 within_article
    sim: np.ndarray  # float32 similarity with the canonical (nan when not a copy)


def paragraph_copies(f: Features, sig: np.ndarray, sig_at: Callable[[np.ndarray], np.ndarray],
                     texts: Callable[[np.ndarray], list[str]]) -> Copies:
    """Canonical copy of every body paragraph: the earliest (article rank, paragraph index) row
    among its exact copies and near copies (connected through verified LSH edges). Row positions are
    int32 (a Parquet table of 2^31 rows is far beyond one machine) and temporaries are dropped
    early: this is dedup's memory peak."""
    n = len(f.h)
    idx = np.int32 if n < 2**31 - 1 else np.int64
    perm = np.lexsort((f.pidx, f.art)).astype(idx)  # processing order r -> source row
    H = f.h[perm]
    B = f.body[perm]
    first = np.arange(n, dtype=idx)
    bi = np.flatnonzero(B).astype(idx)
    if len(bi):
        _, fi, inv = np.unique(H[bi], return_index=True, return_inverse=True)
        first[bi] = bi[fi[inv.reshape(-1)]]
        del fi, inv
    elig = B & (f.nw[perm] >= MIN_NEAR_WORDS)
    del bi
    # one per distinct text
    reps = np.flatnonzero(elig & (first == np.arange(n, dtype=idx))).astype(idx)
    rep_sig = sig_at(H[reps])
    rep_rows = perm[reps]
    a, b = near_duplicate_edges(
        sig, rep_sig, f.size[rep_rows], f.nw[rep_rows], lambda k: texts(rep_rows[k])
    )
    del rep_sig
    comp = components(len(reps), a, b)
    del a, b
    root_r = first
    er = np.flatnonzero(elig)
    del elig
    root_r[er] = reps[comp[np.searchsorted(reps, first[er])]]
    del er, comp, reps
    cp = np.flatnonzero(B & (root_r != np.arange(n, dtype=idx)))
    del B
    A_cp, A_root = f.art[perm[cp]], f.art[perm[root_r[cp]]]
    scope_cp = np.where(A_cp == A_root, 2, 1).astype(np.int8)
    # a copy repeated within one article whose canonical is elsewhere: its second copy there is
    # still a repeat
    # (only copies can repeat: a canonical is the earliest row of its group)
    _, firsts = np.unique(A_cp.astype(np.int64) * (n + 1) + root_r[cp], return_index=True)
    repeat = np.ones(len(cp), bool)
    repeat[firsts] = False
    scope_cp[repeat] = 2
    del A_cp, A_root, firsts, repeat
    sim_cp = np.ones(len(cp), np.float32)
    near = np.flatnonzero(H[cp] != H[root_r[cp]])
    for lo in range(0, len(near), PAIR_BLOCK):
        k = near[lo: lo + PAIR_BLOCK]
        sim_cp[k] = (sig[sig_at(H[cp[k]])] == sig[sig_at(H[root_r[cp[k]]])]).mean(axis=1)
    del H
    rows = perm[cp]
    root = np.arange(n, dtype=idx)
    root[rows] = perm[root_r[cp]]
    scope = np.zeros(n, np.int8)
    scope[rows] = scope_cp
    sim = np.full(n, np.nan, np.float32)
    sim[rows] = sim_cp
    return Copies(root=root, scope=scope, sim=sim)


def background_frame() -> pl.DataFrame:
    """The background document frequencies (rules/background_df.tsv) as a frame, built once per
    process."""
    global _BG_FRAME
    if _BG_FRAME is None:
        _, bg = rules.background_df()
        _BG_FRAME = pl.DataFrame(
            {"w": list(bg), "bg": list(bg.values())}, schema={"w": pl.String, "bg": pl.Int64}
        )
    return _BG_FRAME


_BG_FRAME: pl.DataFrame | None = None


def lead_terms(rows: pl.DataFrame) -> pl.DataFrame:
    """(a, w, tf): the words of each article's first STORY_LEAD_PARAGRAPHS body paragraphs (rows:
    whole articles in paragraph order, with art_rank, in_body and text; only the lead paragraphs are
    normalised)."""
    lead = (rows.lazy().filter(pl.col("in_body"))
            .filter(pl.int_range(pl.len()).over("art_rank") < STORY_LEAD_PARAGRAPHS))
    return text_terms(lead.select(pl.col("art_rank").cast(pl.Int32).alias("a"), "text")).collect()


def text_terms(rows: pl.LazyFrame) -> pl.LazyFrame:
    """(a, w, tf) of rows (a, text), sorted by a: the normalised words of 4+ letters that are not
    stopwords or numbers; a word written capitalised (a name, a place) counts once more for each
    such occurrence."""
    words = pl.concat(
        [
            rows.select("a", norm_key_expr("text").str.split(" ").alias("w")),
            rows.select(
                "a",
                norm_key_expr(
                    pl.col("text").str.extract_all(r"\b\p{Lu}[\p{L}\p{N}'-]*").list.join(" ")
                )
                .str.split(" ")
                .alias("w"),
            ),
        ]
    )
    return (words.explode("w")
            .filter((pl.col("w").str.len_chars() >= 4) & ~pl.col("w").is_in(list(STOPWORDS))
                    & ~pl.col("w").str.contains(r"^\d+$"))
            # each article's rows together (whole_articles)
            .group_by("a", "w").len("tf").sort("a"))


def whole_copies(arts: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(art, dup_art) of the article copies that are whole copies: always in their original's story
    (a partial copy only counts through its shared paragraphs: a reused background paragraph is not
    the same event)."""
    whole = arts.filter(pl.col("share") >= COPIES.full_share)
    return whole["art"].to_numpy(), whole["dup_art"].to_numpy()


def headline_terms(order: pl.DataFrame) -> pl.DataFrame:
    """(a, w, tf) of the articles' headline hints (export title column, HTML title), when known."""
    if "title_hint" not in order.columns:
        return pl.DataFrame(schema={"a": pl.Int32, "w": pl.String, "tf": pl.UInt32})
    rows = order.lazy().filter(pl.col("title_hint").is_not_null()).select(
        pl.col("art_rank").cast(pl.Int32).alias("a"), pl.col("title_hint").alias("text"))
    return text_terms(rows).collect()


DECIDED_COLUMNS = [
    "norm_hash",
    "duplicate_of",
    "similarity",
    "duplicate_scope",
    "in_body",
    "boilerplate_rule",
    # what pass 2 sets; the other dedup/paragraphs columns are
    # clean's
    "boilerplate_category",
]


def decided_columns(batch: pl.DataFrame) -> pl.DataFrame:
    """Pass 2 for one batch: from the source rows' rule and category and their decisions (_h, _dup,
    _sim, _scope, _in_body columns), the DECIDED_COLUMNS of the dedup/paragraphs rows (the caller
    puts them beside the source rows' other columns). Vectorised and cheap: done where the rows are,
    in the flow process."""
    scope = pl.col("_scope")
    return batch.select(
        pl.Series("norm_hash", hex64(batch["_h"].to_numpy())),
        pl.when(scope > 0).then(pl.col("_dup")).otherwise(None).alias("duplicate_of"),
        pl.col("_sim").fill_nan(None).alias("similarity"),
        scope.replace_strict(
            {0: None, 1: "cross_article", 2: "within_article"}, return_dtype=pl.String
        ).alias("duplicate_scope"),
        pl.col("_in_body").alias("in_body"),
        pl.when(scope == 2)
        .then(pl.lit("within_article_repeat"))
        .otherwise(pl.col("boilerplate_rule"))
        .alias("boilerplate_rule"),
        pl.when(scope == 2)
        .then(pl.lit("duplicate"))
        .otherwise(pl.col("boilerplate_category"))
        .alias("boilerplate_category"),
    )


def lead_term_counts(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """lead_terms of a batch of whole articles (on a worker when there are several) and their
    document counts (w, df) in the batch (batches hold whole articles, so the counts add up)."""
    tf = lead_terms(rows)
    return tf, tf.group_by("w").len("df")


def lead_terms_and_sentences(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame,
                                                             tuple[np.ndarray, np.ndarray]]:
    """lead_term_counts of a batch of whole articles' body rows, and the sentence keys of those rows
    (for the sentence-level copies): the output pass's text work, on a worker when there are
    several."""
    return (*lead_term_counts(rows), sentence_keys(rows["art_rank"].to_numpy(), rows["text"]))


def dedup_stream(
    source: Source,
    order: pl.DataFrame,
    index: Index | None,
    write: Callable[[pl.DataFrame], None],
    work: WorkTable | None = None,
    progress: Callable[[int, int], None] | None = None,
    map_chunks: MapChunks = map,
    save_index: Callable[[Index], None] | None = None,
    release_memory: Callable[[], None] = lambda: None,
    pause_workers: Callable[[], None] = lambda: None,
) -> tuple[pl.DataFrame, Index | None, dict[str, int]]:
    """clean/paragraphs (source) + the article ranks (article_order) -> dedup/paragraphs rows
    (handed to `write` batch by batch, in source order), dedup/articles, the new index (None when
    handed to save_index as soon as it is complete) and stats. `work` holds the per-article lead
    words between the output pass and the story pass (on disk for big corpora); None keeps them in
    memory. The runner's
    hooks: map_chunks (signatures and lead words, on workers or not), release_memory (between the
    passes) and pause_workers (idle through the serial copy grouping on big corpora).

    Four steps: signatures (pass 1), copy decisions, output rows (pass 2, with the lead words),
    stories."""
    n_art = order.height
    report = (lambda d, n: progress(d, 2 * n)) if progress else None
    f, sig, sigs = signatures(
        source, order.select("article_id", "art_rank"), n_art, index, report, map_chunks
    )
    del index
    release_memory()  # buffers of the streamed index and of pass 1, before dedup's peak
    if source.n_rows >= IDLE_WORKERS_ROWS:
        pause_workers()  # idle until the output pass
    new_index: Index | None = sigs.to_index()
    saving = None
    if save_index is not None and sigs.m < BACKGROUND_INDEX_TEXTS:
        # written on a thread (Arrow's writer lets go of the GIL) while the copies are found and the
        # output pass
        # runs; joined before returning. Should dedup fail meanwhile, the write still completes: the
        # index only
        # maps text hashes to their signatures, valid whatever happens to this run.
        saving = ThreadPoolExecutor(1)
        saved = saving.submit(save_index, new_index)  # type: ignore[arg-type]
        new_index = None
    c = paragraph_copies(f, sig, sigs.lookup, source.texts)
    del sig, sigs
    # saved now, so the signatures are not held through
    if save_index is not None and new_index is not None:
        save_index(new_index)  # the output pass
        new_index = None
    in_body = ~f.boiler & (c.scope != 2)
    arts = article_copies(f.art, f.nw, c.root, c.scope, in_body, n_art)
    work = work or WorkTable()  # in memory
    doc_counts, sent = output_rows(
        source, f, c, in_body, order["article_id"], write, work, progress, map_chunks
    )
    arts = with_sentence_copies(arts, sent, f.art[in_body], f.nw[in_body], n_art)
    sent.clear()
    lab = stories(order, f, c, in_body, arts, work, doc_counts)
    out_a = article_rows(order, arts, lab)
    if saving is not None:
        saving.shutdown()
        saved.result()  # raises what the write raised
    stats = {
        "paragraph_copies": int((c.scope > 0).sum()),
        "within_article_repeats": int((c.scope == 2).sum()),
        "article_duplicates": int(out_a["duplicate_of"].is_not_null().sum()),
        "stories": int(out_a["story_id"].n_unique()),
    }
    return out_a, new_index, stats


def signatures(source: Source, rank: pl.DataFrame, n_art: int, index: Index | None,
               progress: Callable[[int, int], None] | None, map_chunks: MapChunks
               ) -> tuple[Features, np.ndarray, Signatures]:
    """Step 1 (pass 1 over the paragraphs): per-row features and one signature per distinct eligible
    text (from the previous run's index when it has the text). Returns the features, the signature
    rows and the Signatures (its lookup finds a text's row)."""
    sigs = Signatures(source.n_rows, index)
    f = scan_features(source, rank, n_art, sigs, progress=progress, map_chunks=map_chunks)
    sig, _ = sigs.finish()
    return f, sig, sigs


def output_rows(source: Source, f: Features, c: Copies, in_body: np.ndarray, ids: pl.Series,
                write: Callable[[pl.DataFrame], None], work: WorkTable,
                progress: Callable[[int, int], None] | None, map_chunks: MapChunks
                ) -> tuple[list[pl.DataFrame], list[tuple[np.ndarray, np.ndarray]]]:
    """Step 3 (pass 2 over the paragraphs): the dedup/paragraphs rows, batch by batch (source
    columns + the decided columns), handed to write; each batch's lead words parked in work for the
    stories. Returns the lead words' document counts (w, df) per batch and the body's sentence keys
    (for sentence copies)."""
    df_parts: list[pl.DataFrame] = []
    # sentence keys of the body, for sentence-level copies
    sent: list[tuple[np.ndarray, np.ndarray]] = []
    done = 0

    def leads() -> Iterator[pl.DataFrame]:
        """Each batch of whole articles: its dedup/paragraphs rows written, its lead paragraphs
        handed on."""
        nonlocal done
        lo = 0
        for df in whole_articles(source.batches(None)):
            sl = slice(lo, lo + df.height)
            scope, root = c.scope[sl], c.root[sl]
            # the copy's paragraph id, only for the rows that are copies
            hit = np.flatnonzero(scope > 0)
            dup = pl.Series("_dup", dtype=pl.String).extend_constant(None, len(scope))
            if len(hit):
                r = root[hit]
                dup = dup.scatter(
                    hit,
                    ids.gather(f.art[r]) + "-" + pl.Series(f.pidx[r]).cast(pl.String).str.zfill(4),
                )
            decided = decided_columns(
                df.select("boilerplate_rule", "boilerplate_category").with_columns(
                    pl.Series("_h", f.h[sl]),
                    dup.alias("_dup"),
                    pl.Series("_sim", c.sim[sl]),
                    pl.Series("_scope", scope),
                    pl.Series("_in_body", in_body[sl]),
                )
            )
            write(pl.concat([df.drop(DECIDED_COLUMNS, strict=False), decided], how="horizontal"))
            lo += df.height
            done += df.height
            if progress:
                progress(source.n_rows + done, 2 * source.n_rows)
            # the body rows: lead words and sentence keys
            # (tasks/dedup/sentence_copies.py)
            body = np.flatnonzero(in_body[sl])
            yield pl.DataFrame({"art_rank": f.art[sl][body], "in_body": np.ones(len(body), bool),
                                "text": df["text"].gather(body)})

    for tf, tf_df, keys in map_chunks(lead_terms_and_sentences, leads()):
        sent.append(keys)
        work.write(tf)
        df_parts.append(tf_df)
        if len(df_parts) >= 32:
            df_parts = [pl.concat(df_parts).group_by("w").agg(pl.col("df").sum())]
    return df_parts, sent


def stories(order: pl.DataFrame, f: Features, c: Copies, in_body: np.ndarray, arts: pl.DataFrame,
            work: WorkTable, df_parts: list[pl.DataFrame]) -> np.ndarray:
    """Step 4: event clusters over the lead (+ headline) words, against the corpus document
    frequencies (with the background table); whole copies and shared long paragraphs tie articles. A
    label per article rank; work (the parked lead words) is closed."""
    n_art = order.height
    titles = headline_terms(order)
    if titles.height:
        df_parts.append(titles.group_by("w").len("df"))
    n_bg, _ = rules.background_df()
    n_docs = n_art + n_bg
    df_ = (pl.concat(df_parts).group_by("w").agg(pl.col("df").sum()) if df_parts
           else pl.DataFrame(schema={"w": pl.String, "df": pl.UInt32}))
    df_ = (df_.join(background_frame(), on="w", how="left")
           .select("w", (pl.col("df").cast(pl.Int64) + pl.col("bg").fill_null(0)).alias("df"))
           .sort("w").with_row_index("wid"))
    cfg = events.DEFAULT

    def weights() -> Iterator[pl.DataFrame]:  # one part at a time: never all held at once
        for tf in whole_articles(work.read(), key="a"):
            yield events.term_weights(tf, df_, n_docs, cfg)
        if titles.height:
            yield (events.term_weights(titles, df_, n_docs, cfg)
                   .with_columns(pl.col("weight") * cfg.title_weight))

    shared = np.flatnonzero(in_body & (c.scope == 1) & (f.nw >= SHARED_PARA_MIN_WORDS))
    try:
        return events.event_labels(
            n_art,
            weights(),
            df_.height,
            df_["df"].to_numpy(),
            order["published_at"],
            whole_copies(arts),
            (f.art[shared], f.art[c.root[shared]]),
            cfg,
        )
    finally:
        work.close()


def article_rows(order: pl.DataFrame, arts: pl.DataFrame, labels: np.ndarray) -> pl.DataFrame:
    """dedup/articles: each article's story (the smallest article_id of its cluster) and the earlier
    article it copies, with the contained share."""
    n_art = order.height
    ids = order["article_id"]
    story = (order.select("article_id").with_columns(pl.Series("_c", labels))
               .with_columns(pl.col("article_id").min().over("_c").alias("story_id")).drop("_c"))
    dup_id = pl.Series("duplicate_of", [None] * n_art, dtype=pl.String)
    if arts.height:
        dup_id = dup_id.scatter(arts["art"].to_numpy(), ids.gather(arts["dup_art"]))
    sim = pl.Series("similarity", [None] * n_art, dtype=pl.Float32)
    if arts.height:
        sim = sim.scatter(arts["art"].to_numpy(), arts["share"])
    unit = pl.Series("copy_unit", [None] * n_art, dtype=pl.String)
    if arts.height:
        unit = unit.scatter(arts["art"].to_numpy(), arts["unit"])
    direction = pl.Series("copy_direction", [None] * n_art, dtype=pl.String)
    if arts.height:
        direction = direction.scatter(arts["art"].to_numpy(), arts["direction"])
    out_a = story.with_columns(dup_id, sim, unit, direction)
    return conform(out_a.sort("article_id"), DEDUP_ARTICLES)


def with_sentence_copies(
    arts: pl.DataFrame,
    sent: list[tuple[np.ndarray, np.ndarray]],
    body_art: np.ndarray,
    body_nw: np.ndarray,
    n_art: int,
) -> pl.DataFrame:
    """The article copies found by paragraphs (arts) and by sentences
    (tasks/dedup/sentence_copies.py, from the sentence keys of the output pass), one per article:
    the larger share (paragraphs on a tie), with its unit ("paragraphs" or "sentences"). sent (the
    output pass's batches of keys) is emptied as it is read."""
    body_w = np.bincount(body_art, weights=body_nw, minlength=n_art + 1)
    key = np.concatenate([k for k, _ in sent]) if sent else np.zeros(0, np.uint64)
    art = np.concatenate([a for _, a in sent]) if sent else np.zeros(0, np.int32)
    sent.clear()  # the batches' keys, now held once
    by_sentence = sentence_copies(key, art, body_w, n_art)
    return (pl.concat([arts.with_columns(unit=pl.lit("paragraphs")),
                       by_sentence.with_columns(unit=pl.lit("sentences"))])
            .sort(["art", "share", "unit", "dup_art"], descending=[False, True, False, False])
            .unique("art", keep="first", maintain_order=True))


def dedup(
    paragraphs: pl.DataFrame, articles: pl.DataFrame, index: Index | pl.DataFrame | None = None
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, int]]:
    """clean/paragraphs + ingest/articles -> (dedup/paragraphs, dedup/articles, new index, stats),
    in memory."""
    if isinstance(index, pl.DataFrame):
        index = Index.from_frame(index)
    out: list[pl.DataFrame] = []
    publish = paragraphs.filter(pl.col("boilerplate_rule") == "publish_date").select(
        "article_id", "boilerplate_rule", "text"
    )
    arts, new_index, stats = dedup_stream(
        Source.from_frame(paragraphs), article_order(articles, publish), index, out.append
    )
    p = pl.concat(out) if out else paragraphs.head(0)
    return conform(p, DEDUP_PARAGRAPHS), arts, new_index.to_frame(), stats
