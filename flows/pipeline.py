"""The berita pipeline as a Prefect flow: ingest -> clean -> dedup -> extract.

Tasks are thin wrappers over tasks.stages; they pass paths, not frames. Each flow run publishes a table
artifact of per-stage counts and timings and a markdown summary.
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from pathlib import Path  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402

from tasks import io, stages  # noqa: E402
from tasks.progress import for_stage  # noqa: E402
from tasks.report import summary_markdown  # noqa: E402


@task(name="ingest")
def ingest_task(input_dir: str, output: str, force: bool = False, workers: int = 1) -> dict[str, object]:
    return stages.run_stage("ingest", Path(input_dir), Path(output), force=force, progress=for_stage("ingest"),
                            workers=workers)


@task(name="clean")
def clean_task(output: str, force: bool = False, workers: int = 1) -> dict[str, object]:
    return stages.run_stage("clean", None, Path(output), force=force, progress=for_stage("clean"), workers=workers)


@task(name="dedup")
def dedup_task(output: str, force: bool = False, workers: int = 1) -> dict[str, object]:
    return stages.run_stage("dedup", None, Path(output), force=force, progress=for_stage("dedup"), workers=workers)


@task(name="extract")
def extract_task(output: str, force: bool = False, workers: int = 1) -> dict[str, object]:
    return stages.run_stage("extract", None, Path(output), force=force, progress=for_stage("extract"),
                            workers=workers)


@task(name="clean-batch")
def clean_batch_task(output: str, lo: int, hi: int) -> str:
    return stages.run_clean_batch(Path(output), lo, hi)


@task(name="extract-batch")
def extract_batch_task(output: str, no: int, ids: list[str]) -> tuple[str, str, str]:
    return stages.run_extract_batch(Path(output), no, ids)


def _submit_batches(output: str):
    """map_batches for stages.run_stage: one task per batch on the flow's task runner (Dask, threads, ...)."""
    def run(stage: str, plan: list[tuple]) -> list:
        task_fn = clean_batch_task if stage == "clean" else extract_batch_task
        futures = [task_fn.submit(output, *args) for args in plan]
        return [f.result() for f in futures]
    return run


@flow(name="berita-pipeline", log_prints=True)
def pipeline(input_dir: str = "data/raw", output: str = "data/processed", stage: str | None = None,
             from_stage: str | None = None, lock_wait_s: float = 0.0, force: bool = False,
             batch_size: int | None = None, workers: int | None = None) -> list[dict[str, object]]:
    """Run the stages (all, one with `stage`, or from `from_stage` on) over input_dir, writing under output.

    A stage whose inputs are unchanged since it last ran is skipped (its result says skipped=True) unless
    force is set. With batch_size, clean and extract run as one task per batch of articles on the flow's task
    runner (see run_on_dask) and are merged in a fixed order: the output is the same as a serial run.
    Otherwise ingest/clean/extract use `workers` local processes (default: BERITA_WORKERS or all CPUs)."""
    from tasks.parallel import default_workers

    logger = get_run_logger()
    workers = workers or default_workers()
    todo = stages.resolve_stages(stage, from_stage)
    results: list[dict[str, object]] = []
    with io.run_lock(Path(output), wait_s=lock_wait_s):
        for s in todo:
            if s == "ingest":
                r = ingest_task(input_dir, output, force, workers)
            elif s in ("clean", "extract") and batch_size:
                r = stages.run_stage(s, None, Path(output), force=force, map_batches=_submit_batches(output),
                                     batch_size=batch_size)
            elif s == "clean":
                r = clean_task(output, force, workers)
            elif s == "dedup":
                r = dedup_task(output, force, workers)
            else:
                r = extract_task(output, force, workers)
            logger.info("%s: %s", s, r)
            results.append(r)
    create_table_artifact(key="berita-stage-counts", table=[{k: str(v) for k, v in r.items()} for r in results],
                          description="Rows in/out and seconds per stage")
    create_markdown_artifact(key="berita-summary", markdown=summary_markdown(Path(output), results),
                             description="berita run summary")
    return results


def run_on_dask(address: str | None = None, n_workers: int = 2, **params):
    """Run the pipeline with clean and extract batches on Dask: a running cluster at `address`
    ("tcp://scheduler:8786"), or a LocalCluster of n_workers processes. Needs `pip install prefect-dask`."""
    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(address=address) if address else DaskTaskRunner(
        cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True})
    params.setdefault("batch_size", 2000)
    return pipeline.with_options(task_runner=runner)(**params)


if __name__ == "__main__":
    pipeline()
