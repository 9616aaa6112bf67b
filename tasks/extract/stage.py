"""The extract stage: dedup/* + ingest metadata -> extract/articles, quotes, entities and
quotations, streaming or in batches of whole stories on a task runner."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import polars as pl

from tasks import io, schema
from tasks.context import Context
from tasks.extract import extract as ex
from tasks.extract import fast


def run(ctx: Context) -> dict[str, object]:
    """Streams ingest metadata and dedup/paragraphs side by side (both in source order) in chunks of
    articles (ctx.map), writing articles and entities as they come; quotes wait in a work file for
    the speakers whose story spans chunks (extract.resolve_story_speakers)."""
    t0 = time.perf_counter()
    output = Path(ctx.output)
    n = ctx.count(schema.INGEST_ARTICLES)
    n_par = ctx.count(schema.DEDUP_PARAGRAPHS)
    ids = ctx.read(schema.INGEST_ARTICLES, ["article_id"])["article_id"]
    info = ex.story_info(ids, ctx.read(schema.DEDUP_ARTICLES))  # in source order, like the chunks
    metas = ctx.rows(schema.INGEST_ARTICLES, ex.META_COLUMNS, batch_rows=ex.CHUNK_ARTICLES)
    para = _Lockstep(
        ctx.rows(schema.DEDUP_PARAGRAPHS, ex.PARAGRAPH_COLUMNS, batch_rows=100_000),
        pl.DataFrame(schema={c: schema.DEDUP_PARAGRAPHS.schema[c] for c in ex.PARAGRAPH_COLUMNS}),
    )

    def chunks():
        lo = 0
        for meta in metas:
            rows = para.take(meta["article_id"])
            data = pl.concat(
                [meta, info.slice(lo, meta.height).drop("article_id")], how="horizontal"
            )
            lo += meta.height
            yield data.join(
                ex.group_paragraphs(rows), on="article_id", how="left", maintain_order="left"
            )

    persons: list[pl.DataFrame] = []
    done = 0
    with ctx.writer(schema.EXTRACT_ARTICLES) as wa, ctx.writer(schema.EXTRACT_ENTITIES) as we, \
            ctx.writer(schema.EXTRACT_QUOTES_WORK) as wq:
        for arts, quotes, ents, story_persons in ctx.map(fast.extract_chunk, chunks()):
            wa.write(arts)
            we.write(ents)
            wq.write(quotes)
            if story_persons.height:
                persons.append(story_persons)
            done += arts.height
            ctx.report(done, n)
        if para.taken != n_par:
            raise io.DatasetError("dedup/paragraphs does not match ingest/articles (rows of other "
                                  "articles, or "
                                  "not in their order): rebuild it with `berita run --from dedup`")
    who = pl.concat(persons).unique() if persons else pl.DataFrame(schema=ex.PERSONS_SCHEMA)
    n_quotes = 0
    with ctx.writer(schema.EXTRACT_QUOTES) as w:
        for q in ctx.rows(schema.EXTRACT_QUOTES_WORK, batch_rows=200_000):
            w.write(ex.resolve_story_speakers(q, who))
            n_quotes += q.height
    io.table_path(output, schema.EXTRACT_QUOTES_WORK).unlink(missing_ok=True)
    n_quotations = link_quotations(output)
    return {
        "stage": "extract",
        "rows_in": n,
        "rows_out": wa.rows,
        "quotes": n_quotes,
        "quotations": n_quotations,
        "entities": we.rows,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def link_quotations(output: Path) -> int:
    """A pass over the finished extract/quotes (+ the articles' outlet and publish time):
    extract/quotations, and extract/quotes rewritten with their quotation_id
    (tasks/extract/quotations.py). Returns the quotations."""
    from tasks.extract import quotations

    quotes = io.read_table(output, schema.EXTRACT_QUOTES)
    arts = io.read_columns(
        output, schema.EXTRACT_ARTICLES, ["article_id", "outlet", "published_at"]
    )
    q, qs = quotations.link_quotations(quotes, arts)
    io.write_table(schema.conform(q, schema.EXTRACT_QUOTES), output, schema.EXTRACT_QUOTES)
    io.write_table(schema.conform(qs, schema.EXTRACT_QUOTATIONS), output, schema.EXTRACT_QUOTATIONS)
    return qs.height


class _Lockstep:
    """Rows of a table in article order, taken article group by article group alongside another
    table in the same order (ingest/articles): memory holds one batch."""

    def __init__(self, batches, empty: pl.DataFrame):
        self.batches = batches
        self.empty = empty
        self.buf: pl.DataFrame | None = None
        self.taken = 0

    def take(self, ids: pl.Series) -> pl.DataFrame:
        """The leading rows whose article_id is one of ids."""
        wanted = ids.implode()
        parts = []
        while True:
            if self.buf is None or self.buf.is_empty():
                self.buf = next(self.batches, None)
                if self.buf is None:
                    break
            inside = self.buf["article_id"].is_in(wanted)
            cut = self.buf.height if inside.all() else int(inside.arg_min())
            parts.append(self.buf.slice(0, cut))
            self.buf = self.buf.slice(cut)
            if cut == 0 or not self.buf.is_empty():
                break
        out = pl.concat(parts) if parts else self.empty
        self.taken += out.height
        if not _in_order(out, ids):
            raise io.DatasetError("dedup/paragraphs is not in the order of ingest/articles "
                                  "(written by an older "
                                  "berita?): rebuild it with `berita run --from dedup`")
        return out


def _in_order(rows: pl.DataFrame, ids: pl.Series) -> bool:
    """rows follow ids' order, paragraphs in order inside each article."""
    if rows.height < 2:
        return True
    o = rows.select(
        pl.col("article_id")
        .replace_strict(ids, pl.int_range(ids.len(), eager=True), return_dtype=pl.Int64)
        .alias("o"),
        "paragraph_index",
    )
    same = o["o"].diff().fill_null(1)
    step = o["paragraph_index"].diff().fill_null(1)
    return bool(((same > 0) | ((same == 0) & (step > 0))).all())


# ---- in batches of whole stories on a task runner (Dask): plan, run_batch on the workers, merge
# ----

def plan(output: Path, batch_size: int) -> list[tuple]:
    """Batches of whole stories (speakers are resolved across a story), in source order: (batch
    number, article ids, their rows in ingest/articles, the first row and count of their paragraphs
    in dedup/paragraphs, which holds them in the order of ingest/articles)."""
    a = io.read_columns(output, schema.DEDUP_ARTICLES, ["article_id", "story_id"])
    ing = io.read_columns(
        output, schema.INGEST_ARTICLES, ["article_id", "source_path", "source_row"]
    ).with_row_index("row")
    counts = (io.read_columns(output, schema.DEDUP_PARAGRAPHS, ["article_id"])
              .group_by("article_id", maintain_order=True).len("n")
              .with_columns((pl.col("n").cum_sum() - pl.col("n")).alias("first")))
    order = (ing.join(a, on="article_id", how="left")
             .join(counts, on="article_id", how="left")
             .sort("source_path", "source_row", "article_id", nulls_last=False)
             .with_columns(pl.coalesce("story_id", "article_id").alias("story")))
    stories = order.group_by("story", maintain_order=True).agg("article_id", "row", "first", "n")
    batches: list[tuple] = []
    current: list[dict] = []

    def flush() -> None:
        part = pl.DataFrame(current).sort("row")
        paras = part.filter(pl.col("n").is_not_null())
        batches.append((len(batches), part["article_id"].to_list(), part["row"].to_list(),
                        paras["first"].to_list(), paras["n"].to_list()))

    for story in stories.iter_rows(named=True):
        current.extend(
            {"article_id": i, "row": r, "first": f, "n": n}
            for i, r, f, n in zip(
                story["article_id"], story["row"], story["first"], story["n"], strict=True
            )
        )
        if len(current) >= batch_size:
            flush()
            current = []
    if current:
        flush()
    return batches


def batch_size(args: tuple) -> int:
    """Articles in one batch of plan (for progress)."""
    return len(args[1])


def run_batch(output: Path, no: int, ids: list[str], rows: list[int], para_first: list[int],
                      para_n: list[int]) -> tuple[str, str, str]:
    """Fields, quotes and entities of the articles in ids (whole stories) -> three part files. Reads
    their rows of ingest/articles and dedup/paragraphs only (and the small dedup/articles,
    filtered)."""
    keep = pl.col("article_id").is_in(pl.Series(ids, dtype=pl.String).implode())
    para_rows = (
        np.concatenate(
            [np.arange(f, f + n, dtype=np.int64) for f, n in zip(para_first, para_n, strict=True)]
        )
        if para_first
        else np.empty(0, np.int64)
    )
    p = io.read_rows(output, schema.DEDUP_PARAGRAPHS, np.sort(para_rows))
    a = io.read_table(output, schema.DEDUP_ARTICLES).filter(keep)
    ing = io.read_rows(output, schema.INGEST_ARTICLES, rows)
    arts, quotes, ents = ex.extract(p, a, ing)
    return tuple(io.write_part(df, output, f"extract-{name}-{no:06d}")  # type: ignore[return-value]
                 for name, df in (("articles", arts), ("quotes", quotes), ("entities", ents)))


def merge(output: Path, parts: list[tuple[str, str, str]], t0: float) -> dict[str, object]:
    """The parts in plan order, ordered as a streaming run writes them, then the quotations."""
    tables = (schema.EXTRACT_ARTICLES, schema.EXTRACT_QUOTES, schema.EXTRACT_ENTITIES)
    frames = [
        pl.concat([schema.conform(pl.read_parquet(p[k]), t) for p in parts])
        if parts
        else pl.DataFrame(schema=t.schema)
        for k, t in enumerate(tables)
    ]
    arts, quotes, ents = ex.order_extract(*frames)
    for df, t in zip((arts, quotes, ents), tables, strict=True):
        io.write_table(df, output, t)
    io.remove_parts([x for p in parts for x in p])
    link_quotations(output)
    return {
        "stage": "extract",
        "rows_in": arts.height,
        "rows_out": arts.height,
        "quotes": quotes.height,
        "entities": ents.height,
        "seconds": round(time.perf_counter() - t0, 3),
    }
