"""Article copies: which articles copy an earlier one, wholly or partly, from the paragraph copy
links.

Contract, in domain words:
- An article is a copy (`duplicate_of`) of an earlier article when most of its body is found there:
  at least `partial_share` of its body words are in paragraphs that the earlier article also has
  (exactly or nearly, as dedup's paragraph links say), from at least `min_paragraphs` shared
  paragraphs unless the share is `full_share` or more (a one-paragraph re-post). A rewritten lead or
  ending keeps a copy a copy (a partial copy: its `similarity` is the share, below `full_share`);
  one shared quote paragraph does not make one.
- Shared means both articles hold the paragraph, whichever article published it first: a
  byte-identical copy of an article is its duplicate even when the original took one paragraph from
  a third article.
- The other way round: a later article that holds most of an earlier article's body (the earlier
  one re-posted with a new lead, an update or more paragraphs added) is a copy too, when at least
  `contains_share` of the earlier article's body words are in paragraphs this one also has, from
  `min_paragraphs` shared paragraphs and `min_shared_words` words (no one-paragraph exception: a
  one-paragraph brief quoted inside a long article does not make that article a copy), and that
  text is at least `expands_own_share` of this one's body (a follow-up story that recalls an
  earlier brief as background is a new article). Its
  `similarity` is then the earlier article's contained share and its direction `expands_earlier`
  (`copy_of_earlier` for the first kind).
- The earlier article is the one with the largest share (then the earliest); the earliest of a group
  of copies is never a copy.

Linear: candidate pairs come from each copied paragraph and its canonical article (a star, not all
pairs) and from every article holding the same canonical paragraph only through that star; shares
are counted by joins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl


@dataclass(frozen=True)
class CopyConfig:
    partial_share: float = 0.5  # share of an article's body words found in one earlier article
    # ... from which one shared paragraph is enough (and the copy is not "partial")
    full_share: float = 0.8
    min_paragraphs: int = 2  # shared paragraphs needed below full_share
    min_shared_words: int = 40  # shared words needed below full_share
    # a paragraph held by more articles pairs them only through its canonical
    max_group_articles: int = 30
    # share of an earlier article's body words found in a later one that makes the later one a copy
    # (an expanded re-post)
    contains_share: float = 0.8
    # ... when the earlier article's text is at least this share of the later one's body (a
    # follow-up that only recalls an earlier brief as background is a new article, not a copy)
    expands_own_share: float = 0.4


DEFAULT = CopyConfig()
# grouped paragraph rows of the articles decided together (bounds the joins' memory, not the result)
BATCH_HELD_ROWS = 400_000


def article_copies(
    art: np.ndarray,
    nw: np.ndarray,
    root: np.ndarray,
    scope: np.ndarray,
    in_body: np.ndarray,
    n_art: int,
    cfg: CopyConfig = DEFAULT,
    body_w: np.ndarray | None = None,
) -> pl.DataFrame:
    """(art, dup_art, share, direction) for articles (ranks, earliest published first) that copy
    an earlier one.

    Per paragraph row: art (article rank), nw (words), root (row of the canonical copy, itself when
    none), scope (0 not a copy, 1 copy across articles, 2 repeat inside an article), in_body.
    body_w: each article's body words when the rows are not its whole body (sentence copies), else
    counted from the rows."""
    if body_w is None:
        body_w = np.bincount(art[in_body], weights=nw[in_body], minlength=n_art + 1)
    x = np.flatnonzero(in_body & (scope == 1))
    schema = {"art": pl.Int64, "dup_art": pl.Int64, "share": pl.Float32, "direction": pl.String}
    if not len(x):
        return pl.DataFrame(schema=schema)
    roots = np.unique(root[x])
    # every body paragraph that belongs to a copy group: (article, group, words)
    held = (pl.DataFrame({"art": np.concatenate([art[x], art[roots]]).astype(np.int64),
                          "g": np.concatenate([root[x], roots]).astype(np.int64),
                          "w": np.concatenate([nw[x], nw[roots]]).astype(np.int64)})
            .group_by("art", "g").agg(pl.col("w").sum()))
    # candidates: each copy's canonical article, and the articles holding that canonical's other
    # copies when the
    # canonical article is itself a later copy's source (the star's members through the same group)
    star = pl.DataFrame({"art": art[x].astype(np.int64), "dup_art": art[root[x]].astype(np.int64)})
    small = held.filter(pl.len().over("g") <= cfg.max_group_articles).select("art", "g")
    # decided a range of articles at a time (an article's candidates and shares only involve its
    # own rows): the joins' working rows are a batch's, not the corpus's
    held_art = held["art"].to_numpy()
    cuts = np.unique(np.sort(held_art)[::BATCH_HELD_ROWS])[1:]
    bounds = [-1, *cuts.tolist(), n_art + 1]
    parts = [
        _copies_of(star.filter(pl.col("art").is_between(lo, hi, closed="left")),
                   small.filter(pl.col("art").is_between(lo, hi, closed="left")),
                   small, held, body_w, cfg)
        for lo, hi in zip(bounds, bounds[1:], strict=False)
    ]
    return pl.concat(parts) if parts else pl.DataFrame(schema=schema)


def _copies_of(star: pl.DataFrame, small_here: pl.DataFrame, small: pl.DataFrame,
               held: pl.DataFrame, body_w: np.ndarray, cfg: CopyConfig) -> pl.DataFrame:
    """article_copies' decision for the articles of star and small_here (one range of articles):
    their candidates, shares and best earlier article."""
    via = (
        small_here.join(small.rename({"art": "dup_art"}), on="g")
        .filter(pl.col("dup_art") < pl.col("art"))
        .select("art", "dup_art")
    )
    cand = pl.concat([star, via]).filter(pl.col("dup_art") < pl.col("art")).unique()
    # only pairs that could reach the share: the candidate's best case is its canonical paragraphs'
    # words
    shared = (
        cand.join(held, on="art")  # each of the article's grouped paragraphs ...
        # ... held there, with the words the earlier article holds of it
        .join(held.select(pl.col("art").alias("dup_art"), "g", pl.col("w").alias("dup_w")),
              on=["dup_art", "g"])
        .group_by("art", "dup_art")
        .agg(pl.col("w").sum().alias("shared_w"), pl.col("dup_w").sum().alias("shared_dup_w"),
             pl.len().alias("n_shared"))
    )
    shared = shared.with_columns(pl.Series("body_w", body_w[shared["art"].to_numpy()]),
                                 pl.Series("dup_body_w", body_w[shared["dup_art"].to_numpy()]))
    share = pl.col("shared_w") / pl.col("body_w")
    dup_share = pl.col("shared_dup_w") / pl.col("dup_body_w")
    enough = (pl.col("n_shared") >= cfg.min_paragraphs)
    copy_of = (share >= cfg.full_share) | (
        (share >= cfg.partial_share) & enough & (pl.col("shared_w") >= cfg.min_shared_words))
    expands = ((dup_share >= cfg.contains_share) & (share >= cfg.expands_own_share) & enough
               & (pl.col("shared_dup_w") >= cfg.min_shared_words))
    return (
        shared.with_columns(
            pl.when(copy_of).then(share).otherwise(dup_share).alias("share"),
            pl.when(copy_of).then(pl.lit("copy_of_earlier")).otherwise(pl.lit("expands_earlier"))
            .alias("direction"),
        )
        .filter(copy_of | expands)
        .sort(["art", "share", "dup_art"], descending=[False, True, False])
        .unique("art", keep="first", maintain_order=True)
        .select("art", "dup_art", pl.col("share").clip(upper_bound=1.0).cast(pl.Float32),
                "direction")
    )
