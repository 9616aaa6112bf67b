"""One function per stage: read the previous stage's Parquet, call the pure stage logic, write Parquet.

These are what the Prefect tasks call (flows/pipeline.py) and what tests call without Prefect.
Each returns a small dict of counts for the run summary.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import polars as pl

from tasks import io, schema
from tasks.clean import clean
from tasks.dedup.dedup import INDEX_VERSION
from tasks.extract.extract import extract
from tasks.ingest import inputs
from tasks.ingest.ingest import iter_ingest, quarantine_frame
from tasks.ingest.input_checks import check_input_dir
from tasks.memory import large_blocks_to_os, release_memory
from tasks.parallel import map_chunks
from tasks.preflight import resolve_stages  # noqa: F401  (the CLI checks stages before loading this module)

Progress = Callable[[int, int], None] | None
DEDUP_INDEX = schema.DEDUP_INDEX
CLEAN_WORK_ON_DISK_ARTICLES = 250_000  # from this many articles, clean's first-pass rows (~2 KB an article) wait
# for the second pass in a work file; below, in memory (the file's write and read-back were ~2 s of a 100k run)


def run_ingest(input_dir: Path, output: Path, progress: Progress = None, workers: int = 1) -> dict[str, object]:
    t0 = time.perf_counter()
    input_dir = Path(input_dir)
    check_input_dir(input_dir)
    log = logging.getLogger("berita")
    try:
        previous = io.read_columns(output, schema.INGEST_ARTICLES, ["article_id", "ingested_at"], required=False)
    except io.DatasetError as e:  # a truncated or foreign file is rewritten, not a reason to fail forever
        log.warning("%s: ingested_at of earlier articles is not carried over", e)
        previous = None
    now = inputs.now()
    warning = inputs.clock_warning(now, previous["ingested_at"].max() if previous is not None and previous.height else None)
    if warning:
        log.warning(warning)
    quarantined: list = []
    with io.TableWriter(output, schema.INGEST_ARTICLES) as w:
        for df in iter_ingest(input_dir, quarantined, previous, now=now, progress=progress, workers=workers,
                              output=Path(output)):
            w.write(df)
    quarantine = quarantine_frame(quarantined)
    io.write_table(quarantine, output, schema.QUARANTINE)
    return {"stage": "ingest", "rows_in": w.rows + quarantine.height, "rows_out": w.rows,
            "quarantined": quarantine.height, "seconds": round(time.perf_counter() - t0, 3)}


def run_clean(output: Path, progress: Progress = None, workers: int = 1) -> dict[str, object]:
    t0 = time.perf_counter()
    n = io.count_rows(output, schema.INGEST_ARTICLES)
    chunks = io.iter_table(output, schema.INGEST_ARTICLES, list(clean.KEY_COLUMNS), batch_rows=clean.CHUNK_ARTICLES)
    cands: list[pl.DataFrame] = []
    outlets: list[pl.DataFrame] = []
    done = 0
    # pass 1: per-article cleaning in chunks (on workers), rows parked (in a work file on big corpora); only
    # the small repeated-line candidate tables stay in memory
    work = _FileWork(output, schema.CLEAN_WORK, batch_rows=50_000, in_memory=n < CLEAN_WORK_ON_DISK_ARTICLES)
    try:
        for rows, cand, per_outlet in map_chunks(clean.clean_chunk_keyed, chunks, workers):
            work.write(rows)
            cands.append(cand)
            outlets.append(per_outlet)
            if len(cands) >= 64:  # keep the candidates compact on big corpora
                cands, outlets = [pl.concat(cands).unique()], [pl.concat(outlets)]
            done += per_outlet["n_outlet"].sum()
            if progress:
                progress(done, n)
        repeated = clean.repeated_lines(cands, outlets)
        # pass 2: the corpus-level rule, ids and categories, row by row from the parked rows
        removed = 0
        with io.TableWriter(output, schema.CLEAN_PARAGRAPHS) as w:
            for rows in work.read():
                out = clean.finish_rows(rows, repeated)
                removed += int(out["is_boilerplate"].sum())
                w.write(out)
    finally:
        work.close()
    return {"stage": "clean", "rows_in": n, "rows_out": w.rows,
            "boilerplate_removed": removed, "seconds": round(time.perf_counter() - t0, 3)}


def run_dedup(output: Path, progress: Progress = None, workers: int = 1, force: bool = False) -> dict[str, object]:
    """Streams clean/paragraphs twice (dedup.dedup_stream): memory holds numeric arrays per paragraph and one
    signature per distinct text, never the texts. force: the index is not reused (every signature recomputed)."""
    from tasks.dedup import dedup

    t0 = time.perf_counter()
    n = io.count_rows(output, schema.CLEAN_PARAGRAPHS)
    cp = schema.CLEAN_PARAGRAPHS
    source = dedup.Source(n, lambda columns: io.iter_table(output, cp, columns, batch_rows=dedup.BATCH_ROWS),
                          lambda rows: io.values_at(output, cp, "text", rows))
    order = dedup.article_order(  # the article frames are dropped once ranked
        io.read_columns(output, schema.INGEST_ARTICLES,
                        ["article_id", "ingested_at", "source_path", "source_row", "published_hint", "url",
                         "title_hint"]),
        io.filter_rows(output, cp, pl.col("boilerplate_rule") == "publish_date", ["article_id", "boilerplate_rule", "text"]))
    release_memory()

    def attempt(index):
        work = _FileWork(output, schema.DEDUP_TERMS_WORK) if n >= dedup.TERMS_ON_DISK_ROWS else dedup.WorkTable()
        try:
            with io.TableWriter(output, schema.DEDUP_PARAGRAPHS) as w:
                return w, *dedup.dedup_stream(source, order, index, w.write, work, progress, workers,
                                              save_index=lambda ix: write_index(ix, output))
        finally:
            work.close()

    try:
        w, arts, _, stats = attempt(None if force else read_index(output))
    except dedup.IndexIncomplete as e:
        logging.getLogger("berita").warning("%s; recomputing every signature", e)
        w, arts, _, stats = attempt(None)
    io.write_table(arts, output, schema.DEDUP_ARTICLES)  # the new index was written as soon as it was complete
    return {"stage": "dedup", "rows_in": n, "rows_out": w.rows,
            "duplicates_found": stats["paragraph_copies"], **stats, "seconds": round(time.perf_counter() - t0, 3)}


class _FileWork:
    """Rows parked between two passes of a stage, read back in order in batches of batch_rows: in a work file
    under <output>/.work/ (removed when closed), or in memory when `in_memory` (small corpora, where writing
    and reading the file back cost more than they save; the batches read back are the same)."""

    def __init__(self, output: Path, table: schema.Table, batch_rows: int = 2_000_000, in_memory: bool = False):
        self.output, self.table, self.batch_rows = output, table, batch_rows
        self.frames: list[pl.DataFrame] | None = [] if in_memory else None
        self.writer: io.TableWriter | None = None if in_memory else io.TableWriter(output, table)

    def write(self, df: pl.DataFrame) -> None:
        if self.frames is not None:
            self.frames.append(df)
        else:
            self.writer.write(df)  # type: ignore[union-attr]

    def read(self) -> Iterator[pl.DataFrame]:
        if self.frames is not None:
            rows = pl.concat(self.frames) if self.frames else pl.DataFrame(schema=self.table.schema)
            self.frames = []
            rows = schema.conform(rows, self.table)
            return (rows.slice(lo, self.batch_rows) for lo in range(0, rows.height, self.batch_rows))
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        return io.iter_table(self.output, self.table, batch_rows=self.batch_rows)

    def close(self) -> None:
        self.frames = None
        if self.writer is not None:
            self.writer.abort()
            self.writer = None
        io.table_path(self.output, self.table).unlink(missing_ok=True)


def run_extract(output: Path, progress: Progress = None, workers: int = 1) -> dict[str, object]:
    """Streams ingest metadata and dedup/paragraphs side by side (both in source order) in chunks of articles
    (on workers), writing articles and entities as they come; quotes wait in a work file for the speakers
    whose story spans chunks (extract.resolve_story_speakers)."""
    from tasks.extract import extract as ex

    t0 = time.perf_counter()
    n = io.count_rows(output, schema.INGEST_ARTICLES)
    n_par = io.count_rows(output, schema.DEDUP_PARAGRAPHS)
    ids = io.read_columns(output, schema.INGEST_ARTICLES, ["article_id"])["article_id"]
    info = ex.story_info(ids, io.read_table(output, schema.DEDUP_ARTICLES))  # in source order, like the chunks
    metas = io.iter_table(output, schema.INGEST_ARTICLES, ex.META_COLUMNS, batch_rows=ex.CHUNK_ARTICLES)
    para = _Lockstep(io.iter_table(output, schema.DEDUP_PARAGRAPHS, ex.PARAGRAPH_COLUMNS, batch_rows=100_000),
                     pl.DataFrame(schema={c: schema.DEDUP_PARAGRAPHS.schema[c] for c in ex.PARAGRAPH_COLUMNS}))

    def chunks():
        lo = 0
        for meta in metas:
            rows = para.take(meta["article_id"])
            data = pl.concat([meta, info.slice(lo, meta.height).drop("article_id")], how="horizontal")
            lo += meta.height
            yield data.join(ex.group_paragraphs(rows), on="article_id", how="left", maintain_order="left")

    persons: list[pl.DataFrame] = []
    done = 0
    with io.TableWriter(output, schema.EXTRACT_ARTICLES) as wa, io.TableWriter(output, schema.EXTRACT_ENTITIES) as we, \
            io.TableWriter(output, schema.EXTRACT_QUOTES_WORK) as wq:
        for arts, quotes, ents, story_persons in map_chunks(ex.extract_chunk, chunks(), workers):
            wa.write(arts)
            we.write(ents)
            wq.write(quotes)
            if story_persons.height:
                persons.append(story_persons)
            done += arts.height
            if progress:
                progress(done, n)
        if para.taken != n_par:
            raise io.DatasetError("dedup/paragraphs does not match ingest/articles (rows of other articles, or "
                                  "not in their order): rebuild it with `berita run --from dedup`")
    who = pl.concat(persons).unique() if persons else pl.DataFrame(schema=ex.PERSONS_SCHEMA)
    n_quotes = 0
    with io.TableWriter(output, schema.EXTRACT_QUOTES) as w:
        for q in io.iter_table(output, schema.EXTRACT_QUOTES_WORK, batch_rows=200_000):
            w.write(ex.resolve_story_speakers(q, who))
            n_quotes += q.height
    io.table_path(output, schema.EXTRACT_QUOTES_WORK).unlink(missing_ok=True)
    n_quotations = link_quotations(output)
    return {"stage": "extract", "rows_in": n, "rows_out": wa.rows, "quotes": n_quotes,
            "quotations": n_quotations, "entities": we.rows, "seconds": round(time.perf_counter() - t0, 3)}


def link_quotations(output: Path) -> int:
    """A pass over the finished extract/quotes (+ the articles' outlet and publish time): extract/quotations,
    and extract/quotes rewritten with their quotation_id (tasks/quotations.py). Returns the quotations."""
    from tasks.extract import quotations

    quotes = io.read_table(output, schema.EXTRACT_QUOTES)
    arts = io.read_columns(output, schema.EXTRACT_ARTICLES, ["article_id", "outlet", "published_at"])
    q, qs = quotations.link_quotations(quotes, arts)
    io.write_table(schema.conform(q, schema.EXTRACT_QUOTES), output, schema.EXTRACT_QUOTES)
    io.write_table(schema.conform(qs, schema.EXTRACT_QUOTATIONS), output, schema.EXTRACT_QUOTATIONS)
    return qs.height


class _Lockstep:
    """Rows of a table in article order, taken article group by article group alongside another table in
    the same order (ingest/articles): memory holds one batch."""

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
            raise io.DatasetError("dedup/paragraphs is not in the order of ingest/articles (written by an older "
                                  "berita?): rebuild it with `berita run --from dedup`")
        return out


def _in_order(rows: pl.DataFrame, ids: pl.Series) -> bool:
    """rows follow ids' order, paragraphs in order inside each article."""
    if rows.height < 2:
        return True
    o = rows.select(pl.col("article_id").replace_strict(ids, pl.int_range(ids.len(), eager=True), return_dtype=pl.Int64).alias("o"),
                    "paragraph_index")
    same = o["o"].diff().fill_null(1)
    step = o["paragraph_index"].diff().fill_null(1)
    return bool(((same > 0) | ((same == 0) & (step > 0))).all())


def index_checksum_path(output: Path) -> Path:
    """The index's checksum file, beside it: the xxh3 digest of the index file as berita wrote it."""
    return io.table_path(output, DEDUP_INDEX).with_suffix(".xxh3")


def read_index(output: Path):
    """The persisted MinHash index (dedup.Index), or None when absent or built with other hashing parameters.
    Only the hashes are read now (8 bytes a text); the signatures are streamed from the file once, for the
    texts found in it (dedup.Signatures.finish). An index whose bytes do not match the checksum written beside
    it (damaged, or rewritten by something else: valid Parquet with wrong signatures), or that has none, is
    rebuilt with a warning; a read error while streaming it is dedup.IndexIncomplete (rebuilt the same way)."""
    import numpy as np

    from tasks import manifest
    from tasks.dedup.dedup import Index, IndexIncomplete

    path = io.table_path(output, DEDUP_INDEX)
    if not path.exists():
        return None
    log = logging.getLogger("berita")
    try:
        expected = index_checksum_path(output).read_text(encoding="utf-8").strip()
        if manifest.file_digest(path) != expected:
            log.warning("%s does not match its checksum (damaged or rewritten); rebuilding it", path)
            return None
    except OSError:
        log.warning("%s has no readable checksum beside it; rebuilding it", path)
        return None
    try:
        n = io.count_rows(output, DEDUP_INDEX)
        h = np.empty(n, np.uint64)
        lo = 0
        for b in io.iter_table(output, DEDUP_INDEX, ["norm_hash", "index_version"], batch_rows=500_000):
            if (b["index_version"] != INDEX_VERSION).any() or b["norm_hash"].null_count():
                return None
            h[lo: lo + b.height] = b["norm_hash"].str.to_integer(base=16, dtype=pl.UInt64).to_numpy()
            lo += b.height
    except (io.DatasetError, pl.exceptions.PolarsError, ValueError) as e:
        log.warning("%s is unreadable (%s); rebuilding it", path, type(e).__name__)
        return None  # an unreadable or old-format index is rebuilt, never an error

    def batches():
        try:
            for b in io.iter_table(output, DEDUP_INDEX, ["norm_hash", "sig"], batch_rows=200_000):
                b = b.filter(pl.col("sig").is_not_null())  # a damaged row is missing: dedup.IndexIncomplete
                yield b["norm_hash"].str.to_integer(base=16, dtype=pl.UInt64).to_numpy(), b["sig"].to_numpy()
        except (io.DatasetError, pl.exceptions.PolarsError, ValueError, OSError) as e:
            raise IndexIncomplete(f"dedup index unreadable while streaming ({type(e).__name__})") from e

    return Index(h[:lo], batches=batches) if lo else None


def write_index(index, output: Path) -> None:
    """index: a dedup.Index (written from its arrays without a copy through polars)."""
    import pyarrow as pa

    data = index.to_arrow()
    from tasks import manifest

    data = data.append_column("index_version", pa.repeat(pa.scalar(INDEX_VERSION, pa.large_string()), data.num_rows))
    index_checksum_path(output).unlink(missing_ok=True)  # killed between the two writes: rebuilt, never trusted
    path = io.write_arrow(data, output, DEDUP_INDEX)
    io.atomic_write_bytes(index_checksum_path(output), manifest.file_digest(path).encode())


def run_stage(stage: str, input_dir: Path | None, output: Path, *, force: bool = False,
              progress: Progress = None, map_batches: MapBatches | None = None,
              batch_size: int = 5000, workers: int = 1) -> dict[str, object]:
    """Run one stage, or skip it when its inputs, code and outputs are unchanged since it last ran
    (tasks/manifest.py). The result says skipped=True then, with the counts of the run that made the data.
    workers > 1 runs ingest/clean/extract chunks and dedup's signatures and output rows on that many local
    processes (tasks/parallel.py)."""
    from tasks import manifest

    t0 = time.perf_counter()
    large_blocks_to_os()
    fingerprint = manifest.input_fingerprint(stage, input_dir, Path(output))
    if not force:
        previous = manifest.fresh_result(stage, fingerprint, Path(output))
        if previous is not None:
            _after_stage(stage, None, Path(output), skipped=True)
            return {**previous, "skipped": True, "seconds": round(time.perf_counter() - t0, 3)}
    gc.freeze()  # what lives now (modules, Prefect, rule caches) stays out of the collector's passes in the stage
    try:
        if stage == "ingest":
            result = run_ingest(Path(input_dir), output, progress=progress, workers=workers)
        elif map_batches is not None and stage in ("clean", "extract"):
            result = run_batched(stage, Path(output), map_batches, batch_size)
        else:
            run = {"clean": run_clean, "dedup": run_dedup, "extract": run_extract}[stage]
            kw = {"force": True} if force and stage == "dedup" else {}  # --force recomputes the index too
            result = run(output, progress=progress, workers=workers, **kw)
    finally:
        gc.unfreeze()
    manifest.record(stage, fingerprint, Path(output), result)
    _after_stage(stage, input_dir, Path(output))
    release_memory()
    return {**result, "skipped": False}


def _after_stage(stage: str, input_dir: Path | None, output: Path, *, skipped: bool = False) -> None:
    """Run metadata for the report (not for a skipped stage) and <output>/berita.duckdb for SQL clients
    (rewritten only when missing or out of date: a dataset appeared, or the folder was moved); neither is a
    dataset, so a failure here is a warning, not a failed run."""
    import warnings

    from tasks import duck, runinfo

    try:
        if not skipped:
            runinfo.record_stage(stage, input_dir if stage == "ingest" else None, output)
        if not duck.database_is_current(output):
            duck.write_database(output)
    except Exception as e:  # noqa: BLE001 - the datasets are written; these are conveniences
        warnings.warn(f"could not write run metadata / {output / duck.DATABASE}: {e}", stacklevel=2)


# ---- batched execution (clean and extract on a task runner's workers, e.g. Dask) ----
# Parts are written under <output>/.work/ (a dot-folder, never part of a dataset) and merged in a fixed order,
# so a batched run writes the same bytes as a serial one.
MapBatches = Callable[[str, list[tuple]], list]


def _part(output: Path, name: str) -> Path:
    d = Path(output) / ".work"
    d.mkdir(parents=True, exist_ok=True)
    return d / f"{name}.parquet"


def _write_part(df: pl.DataFrame, path: Path) -> str:
    tmp = io.fresh_temp(path)
    df.write_parquet(tmp)
    io.commit_temp(tmp, path)
    return str(path)


def clean_plan(output: Path, batch_size: int) -> list[tuple]:
    n = io.count_rows(output, schema.INGEST_ARTICLES)
    return [(lo, min(lo + batch_size, n)) for lo in range(0, n, batch_size)]


def read_rows(output: Path, table: schema.Table, rows, columns: list[str] | None = None) -> pl.DataFrame:
    """The rows of a table at the given positions (ascending), reading only the Parquet row groups that hold
    them: a batch reads its own rows, not the table (all batches together read it about once)."""
    import numpy as np
    import pyarrow.parquet as pq

    rows = np.asarray(rows, dtype=np.int64)
    pf = pq.ParquetFile(io.require(output, table))
    sizes = np.array([pf.metadata.row_group(g).num_rows for g in range(pf.metadata.num_row_groups)], np.int64)
    starts = np.concatenate([[0], np.cumsum(sizes)])
    group_of = np.searchsorted(starts, rows, side="right") - 1
    groups = np.unique(group_of)
    names = [c for c in (columns or list(table.columns)) if c in pf.schema_arrow.names]
    if not len(groups):
        data = pl.from_arrow(pf.schema_arrow.empty_table().select(names))
    else:
        data = pl.from_arrow(pf.read_row_groups(groups.tolist(), columns=names))
    at = dict(zip(groups.tolist(), (np.cumsum(sizes[groups]) - sizes[groups]).tolist(), strict=True))
    local = rows - starts[group_of] + np.array([at[g] for g in group_of.tolist()], np.int64)
    sub = schema.Table(table.stage, table.name, {c: table.columns[c] for c in (columns or table.columns)})
    return schema.conform(data[local], sub)  # type: ignore[arg-type]


def run_clean_batch(output: Path, lo: int, hi: int) -> str:
    """Per-article cleaning of ingest articles [lo, hi) -> a part file (its path)."""
    from tasks.clean.clean import clean_rows

    articles = read_rows(output, schema.INGEST_ARTICLES, range(lo, hi))
    return _write_part(clean_rows(articles), _part(output, f"clean-{lo:010d}"))


def merge_clean(output: Path, parts: list[str], t0: float) -> dict[str, object]:
    from tasks.clean.clean import clean_rows, finish_clean

    articles = io.read_table(output, schema.INGEST_ARTICLES)
    rows = pl.concat([pl.read_parquet(p) for p in parts]) if parts else clean_rows(articles.head(0))
    paragraphs = finish_clean(rows, articles)
    io.write_table(paragraphs, output, schema.CLEAN_PARAGRAPHS)
    _remove(parts)
    return {"stage": "clean", "rows_in": articles.height, "rows_out": paragraphs.height,
            "boilerplate_removed": int(paragraphs["is_boilerplate"].sum()), "seconds": round(time.perf_counter() - t0, 3)}


def extract_plan(output: Path, batch_size: int) -> list[tuple]:
    """Batches of whole stories (speakers are resolved across a story), in source order: (batch number,
    article ids, their rows in ingest/articles, the first row and count of their paragraphs in
    dedup/paragraphs, which holds them in the order of ingest/articles)."""
    a = io.read_columns(output, schema.DEDUP_ARTICLES, ["article_id", "story_id"])
    ing = (io.read_columns(output, schema.INGEST_ARTICLES, ["article_id", "source_path", "source_row"])
           .with_row_index("row"))
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
        current.extend({"article_id": i, "row": r, "first": f, "n": n}
                       for i, r, f, n in zip(story["article_id"], story["row"], story["first"], story["n"],
                                             strict=True))
        if len(current) >= batch_size:
            flush()
            current = []
    if current:
        flush()
    return batches


def run_extract_batch(output: Path, no: int, ids: list[str], rows: list[int], para_first: list[int],
                      para_n: list[int]) -> tuple[str, str, str]:
    """Fields, quotes and entities of the articles in ids (whole stories) -> three part files. Reads their
    rows of ingest/articles and dedup/paragraphs only (and the small dedup/articles, filtered)."""
    import numpy as np

    keep = pl.col("article_id").is_in(pl.Series(ids, dtype=pl.String).implode())
    para_rows = (np.concatenate([np.arange(f, f + n, dtype=np.int64) for f, n in zip(para_first, para_n, strict=True)])
                 if para_first else np.empty(0, np.int64))
    p = read_rows(output, schema.DEDUP_PARAGRAPHS, np.sort(para_rows))
    a = io.read_table(output, schema.DEDUP_ARTICLES).filter(keep)
    ing = read_rows(output, schema.INGEST_ARTICLES, rows)
    arts, quotes, ents = extract(p, a, ing)
    return tuple(_write_part(df, _part(output, f"extract-{name}-{no:06d}"))  # type: ignore[return-value]
                 for name, df in (("articles", arts), ("quotes", quotes), ("entities", ents)))


def merge_extract(output: Path, parts: list[tuple[str, str, str]], t0: float) -> dict[str, object]:
    from tasks.extract.extract import order_extract

    tables = (schema.EXTRACT_ARTICLES, schema.EXTRACT_QUOTES, schema.EXTRACT_ENTITIES)
    frames = [pl.concat([schema.conform(pl.read_parquet(p[k]), t) for p in parts]) if parts else pl.DataFrame(schema=t.schema)
              for k, t in enumerate(tables)]
    arts, quotes, ents = order_extract(*frames)
    for df, t in zip((arts, quotes, ents), tables, strict=True):
        io.write_table(df, output, t)
    _remove([x for p in parts for x in p])
    link_quotations(output)
    return {"stage": "extract", "rows_in": arts.height, "rows_out": arts.height, "quotes": quotes.height,
            "entities": ents.height, "seconds": round(time.perf_counter() - t0, 3)}


def _remove(paths: list[str]) -> None:
    for p in paths:
        Path(p).unlink(missing_ok=True)


def run_batched(stage: str, output: Path, map_batches: MapBatches, batch_size: int) -> dict[str, object]:
    """clean or extract in batches: plan, run the batches with map_batches (a task runner), merge."""
    t0 = time.perf_counter()
    if stage == "clean":
        return merge_clean(output, map_batches(stage, clean_plan(output, batch_size)), t0)
    return merge_extract(output, map_batches(stage, extract_plan(output, batch_size)), t0)
