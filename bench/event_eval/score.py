"""Score berita's story_id against the hand-labelled events of bench/event_eval/events.tsv, beside a
plain TF-IDF baseline. Usage:
    .venv/bin/python bench/event_eval/score.py [raw_dir] [output_dir] [--gold events.tsv]

Runs ingest, clean and dedup over the whole CLICK-ID corpus (stories depend on every article around
the labelled
ones: the 23k articles are the background), then compares, over the labelled articles only:
- berita: dedup/articles.story_id;
- baseline: scikit-learn's TfidfVectorizer (defaults, sublinear tf) over headline + clean body of
  the labelled articles alone, linked when cosine >= 0.5 (one fixed default, not tuned on these
  labels), connected components.
Prints adjusted Rand index, pair precision / recall / F1, and the largest story of the whole corpus.
Stages whose inputs did not change are skipped on a second run (the manifest), so only dedup reruns
after a change to the story pass.
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tasks import stages  # noqa: E402
from tasks.dedup.dedup import components  # noqa: E402


def pair_scores(gold: list[str], pred: list[str]) -> dict[str, float]:
    """ARI and pair precision/recall/F1 of a predicted clustering against the gold one (same
    items)."""
    from sklearn.metrics import adjusted_rand_score

    tp = fp = fn = 0
    for x, y in combinations(range(len(gold)), 2):
        g, p = gold[x] == gold[y], pred[x] == pred[y]
        tp += g and p
        fp += p and not g
        fn += g and not p
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"ari": adjusted_rand_score(gold, pred), "precision": prec, "recall": rec, "f1": f1}


def tfidf_baseline(texts: list[str], threshold: float = 0.5) -> list[str]:
    """Connected components of the pairs whose TF-IDF cosine (sklearn defaults, sublinear tf) >=
    threshold."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    x = TfidfVectorizer(sublinear_tf=True).fit_transform(texts)
    sim = cosine_similarity(x)
    a, b = np.nonzero(np.triu(sim >= threshold, k=1))
    lab = components(len(texts), a, b)
    return [str(v) for v in lab]


def load_gold(path: Path, out: Path) -> pl.DataFrame:
    """The labelled articles joined to their article_id (by source file and row; the rows are
    checked by URL)."""
    gold = pl.read_csv(path, separator="\t", schema_overrides={"row": pl.Int64})
    gold = gold.with_columns(pl.col("source_file").str.replace(r"^raw/", "").alias("source_path"))
    ing = pl.read_parquet(out / "ingest" / "articles.parquet",
                          columns=["article_id", "source_path", "source_row", "url"])
    j = gold.join(
        ing, left_on=["source_path", "row"], right_on=["source_path", "source_row"], how="left"
    )
    gone = j.filter(pl.col("article_id").is_null())
    # quarantined at ingest (e.g. no article text): not an article berita can cluster
    if gone.height:
        print(f"{gone.height} labelled rows not in ingest/articles (quarantined): left out")
    j = j.filter(pl.col("article_id").is_not_null())
    bad = j.filter(pl.col("url") != pl.col("url_right"))
    if bad.height:
        raise SystemExit(f"{bad.height} labelled rows do not match the ingested corpus: "
                         f"{bad.head(3)}")
    return j.select("article_id", "event")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "raw", nargs="?", default=str(ROOT.parent.parent / "shared/realdata/clickid-2019/raw")
    )
    ap.add_argument("out", nargs="?", default=str(ROOT / "bench/out/event_eval"))
    ap.add_argument("--gold", default=str(Path(__file__).with_name("events.tsv")))
    ap.add_argument("--no-run", action="store_true", help="score the output folder as it is")
    args = ap.parse_args()
    raw, out = Path(args.raw), Path(args.out)
    if not raw.exists():
        raw = Path("/work/shared/realdata/clickid-2019/raw")
    for stage in () if args.no_run else ("ingest", "clean", "dedup"):
        r = stages.run_stage(stage, raw, out, workers=1)
        print(f"{stage:7s}", "skipped" if r.get("skipped") else f"{r['seconds']:.1f}s")
    gold = load_gold(Path(args.gold), out)
    arts = pl.read_parquet(out / "dedup" / "articles.parquet", columns=["article_id", "story_id"])
    g = gold.join(arts, on="article_id", how="left")
    berita = pair_scores(g["event"].to_list(), g["story_id"].to_list())
    paras = (
        pl.scan_parquet(out / "dedup" / "paragraphs.parquet")
        .filter(pl.col("in_body"))
        .filter(pl.col("article_id").is_in(g["article_id"].implode()))
        .group_by("article_id", maintain_order=True)
        .agg(pl.col("text").str.join("\n"))
        .collect()
    )
    titles = pl.read_parquet(
        out / "ingest" / "articles.parquet", columns=["article_id", "title_hint"]
    )
    docs = (
        g.join(paras, on="article_id", how="left")
        .join(titles, on="article_id", how="left")
        .select(
            pl.concat_str(
                [pl.col("title_hint").fill_null(""), pl.col("text").fill_null("")], separator="\n"
            ).alias("doc")
        )
    )
    base = pair_scores(g["event"].to_list(), tfidf_baseline(docs["doc"].to_list()))
    n_events = g["event"].n_unique()
    print(f"labelled articles {g.height}, events {n_events}")
    for name, s in (("berita", berita), ("tfidf@0.5", base)):
        print(f"{name:10s} ARI {s['ari']:.3f}  pair P {s['precision']:.3f}  R {s['recall']:.3f}  "
              f"F1 {s['f1']:.3f}")
    sizes = arts.group_by("story_id").len().sort("len", descending=True)
    print(f"corpus: {arts.height} articles, {sizes.height} stories, largest {sizes['len'][0]}, "
          f"stories of 2+: {int((sizes['len'] >= 2).sum())}")


if __name__ == "__main__":
    main()
