"""The runner: runs a stage of the registry (tasks/registry.py) over an output folder.

It owns what stage code never sees: the manifest (a stage whose inputs, code and outputs are
unchanged is skipped), worker processes (the Context's map), memory release and the garbage
collector, run metadata and the DuckDB file. These are what the Prefect tasks call
(flows/pipeline.py) and what tests call without Prefect. Each stage returns a small dict of counts
for the run summary.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

from tasks import registry
from tasks.context import Context, Progress
from tasks.memory import large_blocks_to_os, release_memory
from tasks.parallel import map_chunks
from tasks.parallel import shutdown as shutdown_workers
from tasks.preflight import resolve_stages  # noqa: F401  (the CLI checks stages before loading this module)

# (stage, plan) -> the batches' results, in plan order
MapBatches = Callable[[str, list[tuple]], list]


def context(input_dir: Path | None, output: Path, *, force: bool = False, progress: Progress = None,
            workers: int = 1) -> Context:
    """What stage code gets: chunks mapped on `workers` local processes (tasks/parallel.py) when >
    1."""
    def on_workers(fn, chunks):
        return map_chunks(fn, chunks, workers)

    return Context(
        output=Path(output),
        input_dir=Path(input_dir) if input_dir else None,
        force=force,
        progress=progress,
        map=on_workers,
        release_memory=release_memory,
        pause_workers=shutdown_workers if workers > 1 else (lambda: None),
    )


def run_stage(stage: str, input_dir: Path | None, output: Path, *, force: bool = False,
              progress: Progress = None, map_batches: MapBatches | None = None,
              batch_size: int = 5000, workers: int = 1) -> dict[str, object]:
    """Run one stage, or skip it when its inputs, code and outputs are unchanged since it last ran
    (tasks/manifest.py). The result says skipped=True then, with the counts of the run that made the
    data. workers > 1 maps the stage's chunks on that many local processes; map_batches (a task
    runner) runs a batched stage's batches instead. force: rerun, and recompute dedup's signature
    index."""
    from tasks import manifest

    st = registry.get(stage)
    t0 = time.perf_counter()
    large_blocks_to_os()
    fingerprint = manifest.input_fingerprint(stage, input_dir, Path(output))
    if not force:
        previous = manifest.fresh_result(stage, fingerprint, Path(output))
        if previous is not None:
            _after_stage(stage, None, Path(output), skipped=True)
            return {**previous, "skipped": True, "seconds": round(time.perf_counter() - t0, 3)}
    # what lives now (modules, Prefect, rule caches) stays out of the collector's passes in
    # the stage
    gc.freeze()
    try:
        if map_batches is not None and st.batched:
            result = run_batched(stage, Path(output), map_batches, batch_size)
        else:
            result = st.run(
                context(input_dir, output, force=force, progress=progress, workers=workers)
            )
    finally:
        gc.unfreeze()
    manifest.record(stage, fingerprint, Path(output), result)
    _after_stage(stage, input_dir, Path(output))
    release_memory()
    return {**result, "skipped": False}


def _after_stage(
    stage: str, input_dir: Path | None, output: Path, *, skipped: bool = False
) -> None:
    """Run metadata for the report (not for a skipped stage) and <output>/berita.duckdb for SQL
    clients (rewritten only when missing or out of date: a dataset appeared, or the folder was
    moved); neither is a dataset, so a failure here is a warning, not a failed run."""
    import warnings

    from tasks import duck, runinfo

    try:
        if not skipped:
            runinfo.record_stage(
                stage, input_dir if registry.get(stage).reads_raw else None, output
            )
        if not duck.database_is_current(output):
            duck.write_database(output)
    except Exception as e:  # noqa: BLE001 - the datasets are written; these are conveniences
        warnings.warn(f"could not write run metadata / {output / duck.DATABASE}: {e}", stacklevel=2)


def run_batched(
    stage: str, output: Path, map_batches: MapBatches, batch_size: int
) -> dict[str, object]:
    """A batched stage (clean, extract) on a task runner: its plan, the batches run by map_batches
    (each calls run_batch below, e.g. on Dask workers), its merge. Parts are written under
    <output>/.work/ and merged in plan order, so a batched run writes the same bytes as a streaming
    one."""
    t0 = time.perf_counter()
    mod = registry.get(stage).module()
    return mod.merge(output, map_batches(stage, mod.plan(output, batch_size)), t0)


def run_batch(stage: str, output: Path, *args):
    """One batch of a batched stage's plan (what a task runner's worker calls)."""
    return registry.get(stage).module().run_batch(Path(output), *args)


def batch_sizes(stage: str, plan: list[tuple]) -> list[int]:
    """Articles in each batch of the plan (for progress)."""
    mod = registry.get(stage).module()
    return [mod.batch_size(args) for args in plan]


# ---- one stage without the manifest (bench scripts, tests) ----

def run_ingest(
    input_dir: Path, output: Path, progress: Progress = None, workers: int = 1
) -> dict[str, object]:
    return registry.get("ingest").run(
        context(input_dir, output, progress=progress, workers=workers)
    )


def run_clean(output: Path, progress: Progress = None, workers: int = 1) -> dict[str, object]:
    return registry.get("clean").run(context(None, output, progress=progress, workers=workers))


def run_dedup(
    output: Path, progress: Progress = None, workers: int = 1, force: bool = False
) -> dict[str, object]:
    return registry.get("dedup").run(
        context(None, output, force=force, progress=progress, workers=workers)
    )


def run_extract(output: Path, progress: Progress = None, workers: int = 1) -> dict[str, object]:
    return registry.get("extract").run(context(None, output, progress=progress, workers=workers))
