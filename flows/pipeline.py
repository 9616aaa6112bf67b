"""The berita pipeline as a Prefect flow: ingest -> clean -> dedup -> extract.

One task per stage of the registry (tasks/registry.py), a thin wrapper over tasks.stages.run_stage;
tasks pass paths, not frames. A stage skipped because its inputs are unchanged ends in a Completed
state named "Skipped". Each flow run publishes a table artifact of per-stage counts and timings, a
progress artifact per stage, a markdown summary and a link to the HTML report (when `berita report`
wrote one).
"""

from __future__ import annotations

import os

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")  # no client telemetry, no telemetry notice

from pathlib import Path  # noqa: E402
from typing import Literal  # noqa: E402

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.states import Completed, State  # noqa: E402

from flows.artifacts import ProgressArtifact, both, report_link, stage_table  # noqa: E402
from tasks import io, registry, stages  # noqa: E402
from tasks.progress import for_stage  # noqa: E402
from tasks.report import summary_markdown  # noqa: E402

Stage = Literal[registry.NAMES]  # type: ignore[valid-type]  (a choice list in the UI)
LOCK_WAIT_S = 3600.0  # a run finding another on the same output waits this long before it gives up


def _stage(stage: str, input_dir: str | None, output: str, force: bool, workers: int):
    """Run one stage with progress on the terminal/log and in the UI; a skipped stage's state is
    named Skipped (its result is the recorded one of the run that made the data)."""
    bar = ProgressArtifact(stage)
    result = stages.run_stage(
        stage,
        Path(input_dir) if input_dir else None,
        Path(output),
        force=force,
        progress=both(for_stage(stage), bar),
        workers=workers,
    )
    bar.finish()
    if result.get("skipped"):
        return Completed(
            name="Skipped", message=f"{stage}: inputs unchanged since the last run", data=result
        )
    return result


def _stage_task(stage: str):
    """The Prefect task of one stage (named after it)."""

    @task(name=stage)
    def run(
        input_dir: str | None, output: str, force: bool = False, workers: int = 1
    ) -> dict[str, object]:
        return _stage(stage, input_dir, output, force, workers)
    return run


def _batch_task(stage: str):
    """The Prefect task of one batch of a batched stage (named <stage>-batch)."""
    @task(name=f"{stage}-batch")
    def run(output: str, args: list):
        return stages.run_batch(stage, Path(output), *args)
    return run


STAGE_TASKS = {s.name: _stage_task(s.name) for s in registry.STAGES}
BATCH_TASKS = {s.name: _batch_task(s.name) for s in registry.STAGES if s.batched}


def _submit_batches(output: str):
    """map_batches for stages.run_stage: one task per batch on the flow's task runner (Dask,
    threads, ...), with progress (articles done, as batches finish in plan order) on the
    terminal/log and in the UI."""
    def run(stage: str, plan: list[tuple]) -> list:
        sizes = stages.batch_sizes(stage, plan)
        bar = ProgressArtifact(stage)
        progress = both(for_stage(stage), bar)
        futures = [BATCH_TASKS[stage].submit(output, list(args)) for args in plan]
        results, done = [], 0
        for f, n in zip(futures, sizes, strict=True):
            results.append(f.result())
            done += n
            progress(done, sum(sizes))
        bar.finish()
        return results
    return run


@flow(name="berita-pipeline", log_prints=True)
def pipeline(
    input_dir: str = "data/raw",
    output: str = "data/processed",
    stage: Stage | None = None,
    from_stage: Stage | None = None,
    lock_wait_s: float = LOCK_WAIT_S,
    force: bool = False,
    batch_size: int | None = None,
    workers: int | None = None,
) -> list[dict[str, object]]:
    """Clean, deduplicate and extract the articles under input_dir into Parquet datasets under
    output.

    A stage whose inputs, code and outputs are unchanged since it last ran is skipped (state
    "Skipped"). The run holds a lock on the output folder: a second run on the same folder waits for
    it (up to lock_wait_s).

    Args:
        input_dir: Folder of raw articles (.txt, .html, .csv, .tsv, .json, .jsonl, .xlsx), read
            recursively. Relative paths are taken from the worker's working directory (BERITA_HOME
            for the deployment).
        output: Folder the datasets are written to (<output>/<stage>/<table>.parquet).
        stage: Run only this stage, from the previous stage's datasets. Leave empty to run every
            stage.
        from_stage: Run this stage and the ones after it. Leave empty to run every stage.
        lock_wait_s: Seconds to wait when another run is writing to the same output before giving
            up.
        force: Rerun every stage even when its inputs are unchanged since the last run.
        batch_size: Articles per task for clean and extract on the flow's task runner (Dask); empty:
            local worker processes instead.
        workers: Local worker processes for the stages; empty: BERITA_WORKERS or every CPU.
    """
    from tasks.parallel import default_workers

    logger = get_run_logger()
    workers = workers or default_workers()
    todo = stages.resolve_stages(stage, from_stage)
    results: list[dict[str, object]] = []
    with io.run_lock(Path(output), wait_s=lock_wait_s):
        for s in todo:
            if batch_size and registry.get(s).batched:
                r = stages.run_stage(
                    s,
                    None,
                    Path(output),
                    force=force,
                    map_batches=_submit_batches(output),
                    batch_size=batch_size,
                )
            else:
                r = STAGE_TASKS[s](
                    input_dir if registry.get(s).reads_raw else None, output, force, workers
                )
            if isinstance(r, State):  # a skipped stage's task returns its Skipped state
                r = r.result()
            logger.info("%s: %s", s, r)
            results.append(r)
    publish_artifacts(Path(output), results)
    return results


def publish_artifacts(output: Path, results: list[dict[str, object]]) -> None:
    """The run's table of stages (every column of every stage), markdown summary and report link."""
    create_table_artifact(key="berita-stage-counts", table=stage_table(results),
                          description="Per stage: skipped or not, rows in/out, seconds, and its "
                                      "own counts")
    create_markdown_artifact(key="berita-summary", markdown=summary_markdown(output, results),
                             description="berita run summary")
    link = report_link(output)
    if link:
        create_link_artifact(key="berita-report", link=link[0], link_text=link[1],
                             description=f"HTML report of {output}")


def run_on_dask(address: str | None = None, n_workers: int = 2, **params):
    """Run the pipeline with clean and extract batches on Dask: a running cluster at `address`
    ("tcp://scheduler:8786"), or a LocalCluster of n_workers processes. Needs `pip install
    prefect-dask`.

    The local workers report their task runs to the flow's own API: with no PREFECT_API_URL, the
    temporary server is started here, before the cluster, and its URL handed to the workers
    (otherwise each worker boots a temporary server of its own, slowly, and its task runs are
    recorded there and lost). Workers and the cluster log at WARNING."""
    import logging

    from prefect_dask import DaskTaskRunner

    runner = DaskTaskRunner(address=address) if address else DaskTaskRunner(
        cluster_kwargs={"n_workers": n_workers, "threads_per_worker": 1, "processes": True,
                        "silence_logs": logging.WARNING, "dashboard_address": None})
    params.setdefault("batch_size", 2000)
    env = {"PREFECT_LOGGING_LEVEL": "WARNING"}
    if not address:
        env["PREFECT_API_URL"] = _flow_api_url()
    saved = {k: os.environ.get(k) for k in env}
    quiet = logging.getLogger("distributed")
    level = quiet.level
    os.environ.update(env)  # read by the worker processes the cluster spawns
    quiet.setLevel(logging.WARNING)
    try:
        return pipeline.with_options(task_runner=runner)(**params)
    finally:
        quiet.setLevel(level)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _flow_api_url() -> str:
    """The API this process's flow runs report to: PREFECT_API_URL, else the temporary server
    (started now; the flow run uses the same one, Prefect keeps one per process)."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if url:
        return url
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    server.start()
    return server.api_url


if __name__ == "__main__":
    pipeline()
