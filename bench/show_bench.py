"""How fast `berita show ID` answers on a large output (default 1,000,000 articles).

The output is synthetic and cheap to build: the tables `show` reads (extract/articles,
dedup/paragraphs, extract/quotes, extract/entities, ingest/articles) are written directly with
berita's own table writer (same schemas, zstd, row groups of one chunk as the stages write them:
4,000 articles a chunk), with random 16-hex article ids in source order, 12 paragraphs an article
drawn from a pool of sentences, stories of 1-40 articles, 2% duplicate articles, 1.4 quotes and 5
entities an article. No pipeline run is needed.

    .venv/bin/python bench/show_bench.py                  # builds /tmp/berita-show-bench-1000000
    once, then times .venv/bin/python bench/show_bench.py --articles 100000 --out /tmp/x

It times the whole command (`python -m tasks.cli show ID`, a fresh process: what a user waits for)
for ids at the start, middle and end of the tables and for an 8-character prefix, and the lookup
alone in-process.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks import io, schema  # noqa: E402

CHUNK = 4_000
PARAS = 12
WORDS = (
    "pemerintah kota jakarta menteri presiden rakyat ekonomi pasar harga naik turun kata ujar "
    "dalam "
    "pada tahun bulan hari rabu kamis polisi warga sekolah rumah sakit bank indonesia rupiah "
    "dolar "
    "partai dewan daerah provinsi bupati gubernur banjir gempa jalan tol kereta bandara"
).split()


def _pool(rng: np.random.Generator, n: int, words: int) -> list[str]:
    return [" ".join(rng.choice(WORDS, size=words)).capitalize() + "." for _ in range(n)]


def build(out: Path, n: int, seed: int = 0) -> list[str]:
    """Write the synthetic output; return a few article ids (start, middle, end)."""
    rng = np.random.default_rng(seed)
    sentences = pl.Series(_pool(rng, 5_000, 24))
    titles = pl.Series(_pool(rng, 5_000, 9))
    outlets = pl.Series(
        ["kompas.com", "detik.com", "tempo.co", "okezone.com", "antaranews.com", None]
    )
    people = pl.Series(["Joko Widodo", "Sri Mulyani", "Anies Baswedan", "Budi Karya Sumadi", None])
    ids = pl.Series([f"{v:016x}" for v in rng.integers(0, 2**63, size=n, dtype=np.int64)])
    starts = np.cumsum(rng.integers(1, 40, size=n))  # story boundaries
    story_of = np.searchsorted(starts, np.arange(n), side="right")
    story_ids = ids.gather(pl.Series(np.searchsorted(story_of, story_of, side="left")))
    t0 = np.datetime64("2019-09-01T00:00:00")
    writers = {
        t.relpath: io.TableWriter(out, t)
        for t in (
            schema.INGEST_ARTICLES,
            schema.DEDUP_PARAGRAPHS,
            schema.EXTRACT_ARTICLES,
            schema.EXTRACT_QUOTES,
            schema.EXTRACT_ENTITIES,
        )
    }
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        k = hi - lo
        aid = ids.slice(lo, k)
        sid = story_ids.slice(lo, k)
        dup = np.where(
            rng.random(k) < 0.02, np.maximum(np.arange(lo, hi) - rng.integers(1, 50, k), 0), -1
        )
        dup_of = pl.Series(
            [ids[int(d)] if d >= 0 and d != lo + i else None for i, d in enumerate(dup)],
            dtype=pl.String,
        )
        pub = (t0 + rng.integers(0, 60 * 86400, k).astype("timedelta64[s]")).astype(
            "datetime64[us]"
        )
        body_idx = rng.integers(0, len(sentences), (k, PARAS))
        body = [" ".join(x) for x in np.asarray(sentences.to_list(), dtype=object)[body_idx[:, :4]]]
        arts = pl.DataFrame({
            "article_id": aid, "source_path": pl.Series([f"export_{lo // 100_000:03d}.jsonl"] * k),
            "source_row": pl.Series(np.arange(lo, hi) % 100_000), "url": None,
            "outlet": outlets.gather(pl.Series(rng.integers(0, len(outlets), k))),
            "title": titles.gather(pl.Series(rng.integers(0, len(titles), k))),
            "published_at": pl.Series(pub).dt.replace_time_zone("UTC"), "language": "id",
            "body": pl.Series(body), "word_count": 96, "duplicate_of": dup_of, "story_id": sid,
        })
        writers[schema.EXTRACT_ARTICLES.relpath].write(arts)
        writers[schema.INGEST_ARTICLES.relpath].write(
            arts.select(
                "article_id",
                "source_path",
                "source_row",
                raw_text=pl.col("body"),
                source_format=pl.lit("jsonl"),
            )
        )
        rep = np.repeat(np.arange(k), PARAS)
        pidx = np.tile(np.arange(PARAS, dtype=np.int32), k)
        paid = aid.gather(pl.Series(rep))
        paras = pl.DataFrame(
            {
                "article_id": paid,
                "paragraph_index": pidx,
                "source_line": pidx,
                "text": sentences.gather(pl.Series(body_idx.ravel())),
            }
        ).with_columns(
            paragraph_id=pl.col("article_id")
            + "-"
            + pl.col("paragraph_index").cast(pl.String).str.zfill(4),
            is_boilerplate=pl.col("paragraph_index") == 0,
            in_body=pl.col("paragraph_index") > 0,
            boilerplate_rule=pl.when(pl.col("paragraph_index") == 0).then(pl.lit("title")),
            norm_hash=pl.lit("0000000000000000"),
        )
        writers[schema.DEDUP_PARAGRAPHS.relpath].write(paras)
        q = rng.integers(0, k, int(k * 1.4))
        writers[schema.EXTRACT_QUOTES.relpath].write(
            pl.DataFrame(
                {
                    "article_id": aid.gather(pl.Series(np.sort(q))),
                    "paragraph_index": pl.Series(np.full(len(q), 3, np.int32)),
                    "quote": sentences.gather(pl.Series(q % len(sentences))),
                    "speaker": people.gather(pl.Series(q % len(people))),
                    "verb": "kata",
                }
            )
        )
        e = np.repeat(np.arange(k), 5)
        writers[schema.EXTRACT_ENTITIES.relpath].write(pl.DataFrame({
            "article_id": aid.gather(pl.Series(e)), "text": people.gather(pl.Series(e % 4)),
            "label": "PERSON", "count": pl.Series(np.ones(len(e), np.int32))}))
        print(f"\rbuilt {hi:,}/{n:,} articles", end="", file=sys.stderr, flush=True)
    for w in writers.values():
        w.close()
    print(file=sys.stderr)
    return [ids[0], ids[n // 2], ids[n - 1]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=1_000_000)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--rebuild", action="store_true")
    a = ap.parse_args()
    out = a.out or Path(f"/tmp/berita-show-bench-{a.articles}")
    art = out / schema.EXTRACT_ARTICLES.relpath
    if a.rebuild or not art.exists():
        t = time.perf_counter()
        build(out, a.articles)
        print(f"built {out} in {time.perf_counter() - t:.1f} s")
    ids = pl.read_parquet(art, columns=["article_id"])["article_id"]
    picks = [ids[0], ids[len(ids) // 2], ids[len(ids) - 1]]
    size = sum(p.stat().st_size for p in out.rglob("*.parquet")) / 2**20
    print(f"{len(ids):,} articles, {io.count_rows(out, schema.DEDUP_PARAGRAPHS):,} paragraph rows, "
          f"{size:,.0f} MiB of Parquet")
    from tasks.show import article_view, resolve_id

    env = {**os.environ, "COLUMNS": "100"}
    for label, arg in (
        ("first", picks[0]),
        ("middle", picks[1]),
        ("last", picks[2]),
        ("8-char prefix", picks[1][:8]),
    ):
        t, ru = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        r = subprocess.run(
            [sys.executable, "-m", "tasks.cli", "show", arg, "-o", str(out)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        )
        wall = time.perf_counter() - t
        ru2 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = ru2.ru_utime + ru2.ru_stime - ru.ru_utime - ru.ru_stime
        t = time.perf_counter()
        article_view(out, resolve_id(out, arg))
        lookup = time.perf_counter() - t
        ok = r.returncode == 0 and f"article {resolve_id(out, arg)}" in r.stdout
        print(f"show {label:14s} {arg:16s}  command {wall:5.2f} s (CPU {cpu:4.2f} s)  lookup alone "
              f"{lookup:5.2f} s  "
              f"{'ok' if ok else 'FAILED: ' + r.stderr[-300:]}")


if __name__ == "__main__":
    main()
