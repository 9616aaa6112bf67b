"""Article copies on PBA-news (paragraph breaks mostly lost): berita's duplicate_of against word
5-gram containment, the measure copy-detection references use.

Reference: for every pair of articles, the share of the later article's word 5-grams (lower case,
\\w+ words of the export's text) found in the earlier one; a pair at >= 0.5 is a copy (>= 0.86 a
whole copy, 0.5-0.86 a partial one, the range of the issue's missed pairs). It is computed from the
raw text, not from berita's cleaning.
Ours: ingest, clean and dedup over the whole export; dedup/articles.duplicate_of with its copy_unit.

Prints the reference copies found and missed by berita, berita's links with their reference
containment either way (a link below 0.5 is a candidate false copy: read it), and with --pairs N a
sample of berita's links for reading by hand (titles and first words of both).

    .venv/bin/python bench/pba_eval/score_copies.py [--out DIR] [--pairs 25]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.pba_eval.score_clean import RAW  # noqa: E402
from tasks import stages  # noqa: E402

WORD = re.compile(r"\w+")
N = 5


def grams(text: str) -> set[int]:
    w = WORD.findall(text.lower())
    return {hash(tuple(w[i:i + N])) for i in range(len(w) - N + 1)}


def containment_pairs(texts: list[str], order: list[int], *, reverse: bool = False
                      ) -> dict[tuple[int, int], float]:
    """(later, earlier) -> share of the later text's 5-grams in the earlier (reverse: of the
    earlier text's 5-grams in the later), for pairs sharing 5+ grams; the earlier is by `order`
    (rank: earliest published first)."""
    g = [grams(t) for t in texts]
    post: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(g):
        for x in s:
            post[x].append(i)
    common: dict[tuple[int, int], int] = defaultdict(int)
    for ids in post.values():
        if 1 < len(ids) <= 50:  # a 5-gram in 50+ articles is a template, not a copy
            for a in ids:
                for b in ids:
                    if order[a] > order[b]:
                        common[(a, b)] += 1
    side = 1 if reverse else 0
    return {k: c / max(len(g[k[side]]), 1) for k, c in common.items() if c >= 5}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "out" / "pba"))
    ap.add_argument("--pairs", type=int, default=0)
    ap.add_argument("--no-run", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    if not args.no_run:
        for s in ("ingest", "clean", "dedup"):
            stages.run_stage(s, RAW, out, workers=1)
    ing = pl.read_parquet(
        out / "ingest" / "articles.parquet",
        columns=[
            "article_id",
            "raw_text",
            "title_hint",
            "outlet_hint",
            "published_hint",
            "source_row",
        ],
    )
    dedup = pl.read_parquet(out / "dedup" / "articles.parquet")
    if "copy_unit" not in dedup.columns:  # an output of berita before sentence copies
        dedup = dedup.with_columns(
            copy_unit=pl.when(pl.col("duplicate_of").is_not_null()).then(pl.lit("paragraphs"))
        )
    arts = ing.join(dedup, on="article_id")
    arts = arts.sort(["published_hint", "source_row"], nulls_last=True).with_row_index("rank")
    texts, ids = arts["raw_text"].to_list(), arts["article_id"].to_list()
    rank = {a: i for i, a in enumerate(ids)}
    ref = containment_pairs(texts, list(range(len(texts))))
    best: dict[int, float] = {}
    for (a, _b), c in ref.items():
        best[a] = max(best.get(a, 0.0), c)
    links = arts.filter(pl.col("duplicate_of").is_not_null())
    ours = {rank[r["article_id"]]: (rank[r["duplicate_of"]], r["copy_unit"], r["similarity"])
            for r in links.to_dicts() if r["duplicate_of"] in rank}
    print(f"{arts.height} articles; berita links {len(ours)} "
          f"({dict(links.group_by('copy_unit').len().iter_rows())})")
    for lo, hi, name in [(0.86, 1.01, "whole (>= 0.86)"), (0.5, 0.86, "partial (0.5-0.86)")]:
        want = [a for a, c in best.items() if lo <= c < hi]
        found = [a for a in want if a in ours]
        print(f"reference copies {name}: {len(want)}, linked by berita {len(found)}")
        for a in sorted(set(want) - set(found)):
            print(f"  missed: {ids[a]} containment {best[a]:.2f} {arts['outlet_hint'][a]} "
                  f"{arts['title_hint'][a]!r}")
    # the other way: a later article holding most (>= 0.8) of an earlier one, itself not a copy
    back = containment_pairs(texts, list(range(len(texts))), reverse=True)
    grown = {a for (a, _b), c in back.items() if c >= 0.8 and best.get(a, 0.0) < 0.5}
    print(f"reference expansions (an earlier article >= 0.8 inside a later one): {len(grown)}, "
          f"linked by berita {len(grown & set(ours))}")
    for a in sorted(grown - set(ours)):
        print(f"  missed: {ids[a]} {arts['outlet_hint'][a]} {arts['title_hint'][a]!r}")
    low = [(a, v) for a, v in ours.items()
           if max(ref.get((a, v[0]), 0.0), back.get((a, v[0]), 0.0)) < 0.5]
    print(f"berita links whose reference containment is below 0.5: {len(low)}")
    for a, (b, unit, sim) in low:
        print(f"  {ids[a]} -> {ids[b]} {unit} share {sim:.2f} containment "
              f"{ref.get((a, b), 0.0):.2f}")
    if args.pairs:
        rng = random.Random(7)
        keys = sorted(ours, key=lambda a: (ours[a][1] != "sentences", a))
        sample = keys[:args.pairs] if len(keys) <= args.pairs else rng.sample(keys, args.pairs)
        for a in sorted(sample):
            b, unit, sim = ours[a]
            print(f"\n== {ids[a]} -> {ids[b]} ({unit}, share {sim:.2f}, containment "
                  f"{ref.get((a, b), 0.0):.2f})")
            for k in (a, b):
                print(f"  [{arts['outlet_hint'][k]} {arts['published_hint'][k]}] "
                      f"{arts['title_hint'][k]}")
                print(f"    {texts[k][:300]!r}")


if __name__ == "__main__":
    main()
