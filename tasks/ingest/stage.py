"""The ingest stage: the raw folder -> ingest/articles and the quarantine list."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from tasks import io, schema
from tasks.context import Context
from tasks.ingest import inputs
from tasks.ingest.ingest import iter_ingest, quarantine_frame


def run(ctx: Context) -> dict[str, object]:
    """Articles are written file by file as they are read; ingested_at of articles seen before is
    kept."""
    t0 = time.perf_counter()
    input_dir, output = Path(ctx.input_dir), Path(ctx.output)  # type: ignore[arg-type]
    inputs.check_input_dir(input_dir)
    log = logging.getLogger("berita")
    try:
        previous = io.read_columns(
            output, schema.INGEST_ARTICLES, ["article_id", "ingested_at"], required=False
        )
    # a truncated or foreign file is rewritten, not a reason to fail forever
    except io.DatasetError as e:
        log.warning("%s: ingested_at of earlier articles is not carried over", e)
        previous = None
    now = inputs.now()
    newest = previous["ingested_at"].max() if previous is not None and previous.height else None
    warning = inputs.clock_warning(now, newest)  # type: ignore[arg-type]
    if warning:
        log.warning(warning)
    quarantined: list = []
    with ctx.writer(schema.INGEST_ARTICLES) as w:
        for df in iter_ingest(input_dir, quarantined, previous, now=now, progress=ctx.progress,
                              map_chunks=ctx.map, output=output):
            w.write(df)
    quarantine = quarantine_frame(quarantined)
    ctx.write(quarantine, schema.QUARANTINE)
    return {"stage": "ingest", "rows_in": w.rows + quarantine.height, "rows_out": w.rows,
            "quarantined": quarantine.height, "seconds": round(time.perf_counter() - t0, 3)}
