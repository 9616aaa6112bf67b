"""Quotations: one row per distinct statement across the corpus (who said it, who reported it first,
who repeated it), beside extract/quotes' one row per occurrence (Quotebank's quotation-centric
table, Vaucher et al. 2021).

Contract, in domain words:
- Occurrences with the same words (after lower-casing and dropping punctuation) and compatible
  speakers are one quotation; so are near-identical wordings (a moved phrase, a changed word:
  word-set Jaccard >= `near_jaccard`, for quotes of `near_min_words`+ words), as outlets copy a
  statement with their own commas and attribution tails.
- Speakers are compatible when equal (case and spaces aside) or when one of them is unknown: an
  unattributed occurrence joins the quotation of the speaker most often named for those words. Two
  named speakers never share a quotation (`“Kami siap,” kata A.` and `... kata B.` are two
  statements).
- The quotation's text and "first" fields come from its earliest occurrence (earliest published,
  unknown last, then article id, then paragraph): deterministic, whatever the worker count.

A pass over the finished quotes table and the articles' outlet and publish time only (it does not
depend on how quotes and speakers are found). Linear: candidates come from blocking on the quote's
smallest word hashes (bottom-k MinHash), each candidate compared with its block's first member only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from tasks.text_fast import norm_key_expr


@dataclass(frozen=True)
class QuotationConfig:
    near_jaccard: float = 0.8  # word-set Jaccard for two wordings of one statement
    near_min_words: int = 6  # shorter quotes join on exactly the same words only
    block_hashes: int = 3  # blocking keys per quote: its smallest word hashes
    batch_texts: int = 100_000  # texts (then candidate pairs) whose words are held at once


DEFAULT = QuotationConfig()


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    from tasks.dedup.dedup import components

    return components(n, a, b)


def link_quotations(quotes: pl.DataFrame, articles: pl.DataFrame, cfg: QuotationConfig = DEFAULT
                    ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(quotes with quotation_id, quotations). quotes: extract/quotes rows (article_id,
    paragraph_index, quote, speaker, ...) in their order; articles: (article_id, outlet,
    published_at). The quotes come back in their order with the quotation_id column filled."""
    q = (
        quotes.drop("quotation_id", strict=False)
        .with_row_index("_row")
        .join(
            articles.select("article_id", "outlet", "published_at"),
            on="article_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            norm_key_expr(pl.col("quote").fill_null("")).alias("_key"),
            pl.col("speaker")
            .str.to_lowercase()
            .str.replace_all(r"\s+", " ")
            .str.strip_chars()
            .alias("_spk"),
        )
    )
    # earliest occurrence first: its position is the quote's rank
    q = q.sort(
        ["published_at", "article_id", "paragraph_index", "_row"], nulls_last=True
    ).with_row_index("_r")
    n = q.height
    # exact wording: one text id per normalised key (its first occurrence)
    text_id = q.select(pl.col("_r").min().over("_key")).to_series().to_numpy().astype(np.int64)
    a, b = near_wordings(
        q.filter(pl.col("_r") == pl.col("_r").min().over("_key")).select("_r", "_key"), cfg
    )
    wording = _components(n, np.concatenate([np.arange(n), a]), np.concatenate([text_id, b]))
    q = q.with_columns(pl.Series("_w", wording))
    # within a wording group: one quotation per named speaker (a part of a longer name there,
    # "Marwata" beside
    # "Alexander Marwata", is that speaker); the unnamed join the most named one
    q = q.with_columns(_speaker_parts(q.select("_w", "_spk")).alias("_spk"))
    named = (
        q.filter(pl.col("_spk").is_not_null() & (pl.col("_spk") != ""))
        .group_by("_w", "_spk")
        .agg(pl.len().alias("_n"), pl.col("_r").min().alias("_first"))
        .sort(["_w", "_n", "_first"], descending=[False, True, False])
        .unique("_w", keep="first", maintain_order=True)
        .select("_w", pl.col("_spk").alias("_top"))
    )
    q = (
        q.join(named, on="_w", how="left", maintain_order="left")
        .with_columns(
            pl.when(pl.col("_spk").is_null() | (pl.col("_spk") == ""))
            .then(pl.col("_top"))
            .otherwise(pl.col("_spk"))
            .alias("_who")
        )
        .with_columns(pl.col("_r").min().over("_w", "_who").alias("_q"))
    )
    first = q.filter(pl.col("_r") == pl.col("_q"))
    ids = first.select(
        "_q",
        pl.concat_str(
            [
                pl.col("article_id"),
                pl.col("paragraph_index").cast(pl.String),
                pl.col("_key"),
                pl.col("_who").fill_null(""),
            ],
            separator="\x1f",
        )
        .map_batches(_hash16, return_dtype=pl.String)
        .alias("quotation_id"),
    )
    q = q.join(ids, on="_q", how="left", maintain_order="left")
    agg = q.group_by("_q").agg(
        pl.col("article_id").n_unique().cast(pl.Int32).alias("n_articles"),
        pl.col("outlet").drop_nulls().n_unique().cast(pl.Int32).alias("n_outlets"),
        pl.col("outlet").drop_nulls().unique().sort().alias("outlets"),
        pl.col("speaker").drop_nulls().mode().sort().first().alias("_speaker"),
    )
    quotations = (
        first.join(agg, on="_q")
        .join(ids, on="_q")
        .sort("_q")
        .select(
            "quotation_id",
            pl.col("quote").alias("text"),
            pl.coalesce("_speaker", "speaker").alias("speaker"),
            pl.col("article_id").alias("first_article_id"),
            pl.col("outlet").alias("first_outlet"),
            pl.col("published_at").alias("first_published_at"),
            "n_articles",
            "n_outlets",
            "outlets",
        )
    )
    out = q.sort("_row").select(*[c for c in quotes.columns if c != "quotation_id"], "quotation_id")
    return out, quotations


def _speaker_parts(rows: pl.DataFrame) -> pl.Series:
    """_spk with each name whose words are all in a longer name of the same wording group (_w)
    replaced by that name (the most frequent, then alphabetical); only groups naming several
    speakers are looked at."""
    multi = (
        rows.filter(pl.col("_spk").is_not_null() & (pl.col("_spk") != ""))
        .group_by("_w", "_spk")
        .len()
        .filter(pl.len().over("_w") > 1)
        .sort("_w", "len", "_spk", descending=[False, True, False])
    )
    if multi.is_empty():
        return rows["_spk"]
    mapping: dict[tuple[int, str], str] = {}
    for (w,), g in multi.group_by("_w", maintain_order=True):
        names = g["_spk"].to_list()
        for name in names:
            parts = set(name.split())
            longer = [m for m in names if len(m.split()) > len(parts) and parts <= set(m.split())]
            if longer:
                mapping[(w, name)] = longer[0]
    if not mapping:
        return rows["_spk"]
    fix = pl.DataFrame(
        {
            "_w": [k[0] for k in mapping],
            "_spk": [k[1] for k in mapping],
            "_to": list(mapping.values()),
        },
        schema={"_w": rows["_w"].dtype, "_spk": pl.String, "_to": pl.String},
    )
    return (rows.join(fix, on=["_w", "_spk"], how="left", maintain_order="left")
            .select(pl.coalesce("_to", "_spk").alias("_spk")).to_series())


def near_wordings(
    texts: pl.DataFrame, cfg: QuotationConfig = DEFAULT
) -> tuple[np.ndarray, np.ndarray]:
    """(r, head) pairs of distinct normalised texts (texts: _r id, _key) of cfg.near_min_words+
    words whose word sets have Jaccard >= cfg.near_jaccard. Candidates share one of their
    cfg.block_hashes smallest word hashes and are compared with that block's first text only;
    vectorised over word hashes (polars' seeded hash, 8 bytes a word; the hashes only pick
    candidates, ids never depend on them). The texts' words are held a batch at a time (their
    sizes and blocking keys first, then the candidate pairs' words), so memory stays that of a
    batch, not of every quote's words at once."""
    none = np.zeros(0, np.int64), np.zeros(0, np.int64)
    texts = texts.select(pl.col("_r").cast(pl.Int64).alias("r"), "_key")
    sizes, key_parts = [], []
    for lo in range(0, texts.height, cfg.batch_texts):
        words = _word_hashes(texts.slice(lo, cfg.batch_texts), cfg)
        sizes.append(words.group_by("r").len("n"))
        key_parts.append(words.filter(pl.col("h").rank("ordinal").over("r") <= cfg.block_hashes))
    keys = pl.concat(key_parts) if key_parts else pl.DataFrame()
    if keys.is_empty():
        return none
    size = pl.concat(sizes)
    pairs = (
        keys.with_columns(pl.col("r").min().over("h").alias("head"))
        .filter(pl.col("r") != pl.col("head"))
        .select("r", "head")
        .unique()
        .sort("r", "head")
    )
    if pairs.is_empty():
        return none
    inter_parts = []
    for lo in range(0, pairs.height, cfg.batch_texts):
        batch = pairs.slice(lo, cfg.batch_texts)
        ids = pl.concat([batch["r"], batch["head"]]).unique()
        words = _word_hashes(texts.filter(pl.col("r").is_in(ids.implode())), cfg)
        inter_parts.append(
            batch.join(words, on="r").join(words.rename({"r": "head"}), on=["head", "h"])
            .group_by("r", "head").len("inter")
        )
    jac = (
        pl.concat(inter_parts).join(size, on="r")
        .join(size.rename({"r": "head", "n": "n_head"}), on="head")
        .filter(
            pl.col("inter") / (pl.col("n") + pl.col("n_head") - pl.col("inter")) >= cfg.near_jaccard
        )
        .sort("r", "head")
    )
    return jac["r"].to_numpy(), jac["head"].to_numpy()


def _word_hashes(texts: pl.DataFrame, cfg: QuotationConfig) -> pl.DataFrame:
    """(r, h): each distinct word hash of the texts (r, _key) of cfg.near_min_words+ words."""
    return (
        texts.select("r", pl.col("_key").str.split(" ").alias("w"))
        .explode("w")
        .filter(pl.col("w") != "")
        .select("r", pl.col("w").hash(seed=20240619).alias("h"))
        .unique()
        .filter(pl.len().over("r") >= cfg.near_min_words)
    )


def _hash16(s: pl.Series) -> pl.Series:
    import xxhash

    return pl.Series([xxhash.xxh3_64_hexdigest(x.encode()) for x in s.to_list()], dtype=pl.String)
