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
def ingest_task(input_dir: str, output: str) -> dict[str, object]:
    return stages.run_ingest(Path(input_dir), Path(output), progress=for_stage("ingest"))


@task(name="clean")
def clean_task(output: str) -> dict[str, object]:
    return stages.run_clean(Path(output), progress=for_stage("clean"))


@task(name="dedup")
def dedup_task(output: str) -> dict[str, object]:
    return stages.run_dedup(Path(output), progress=for_stage("dedup"))


@task(name="extract")
def extract_task(output: str) -> dict[str, object]:
    return stages.run_extract(Path(output), progress=for_stage("extract"))


@flow(name="berita-pipeline", log_prints=True)
def pipeline(input_dir: str = "data/raw", output: str = "data/processed", stage: str | None = None,
             from_stage: str | None = None, lock_wait_s: float = 0.0) -> list[dict[str, object]]:
    """Run the stages (all, one with `stage`, or from `from_stage` on) over input_dir, writing under output."""
    logger = get_run_logger()
    todo = stages.resolve_stages(stage, from_stage)
    results: list[dict[str, object]] = []
    with io.run_lock(Path(output), wait_s=lock_wait_s):
        for s in todo:
            if s == "ingest":
                r = ingest_task(input_dir, output)
            elif s == "clean":
                r = clean_task(output)
            elif s == "dedup":
                r = dedup_task(output)
            else:
                r = extract_task(output)
            logger.info("%s: %s", s, r)
            results.append(r)
    create_table_artifact(key="berita-stage-counts", table=[{k: str(v) for k, v in r.items()} for r in results],
                          description="Rows in/out and seconds per stage")
    create_markdown_artifact(key="berita-summary", markdown=summary_markdown(Path(output), results),
                             description="berita run summary")
    return results


if __name__ == "__main__":
    pipeline()
