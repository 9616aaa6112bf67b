"""What `berita run` checks before it starts anything costly (Prefect, its temporary server, worker
processes).

The checks raise the same one-line errors the stages themselves would raise a few seconds later, so
a bad input reads the same with and without Prefect and costs well under a second; and a run whose
every stage would be skipped is answered from the manifest without starting Prefect at all. Only the
registry (stage records, tasks.schema) is imported at module level: the CLI calls this before
loading the stage code.
"""

from __future__ import annotations

import time
from pathlib import Path

from tasks import registry


def resolve_stages(stage: str | None = None, from_stage: str | None = None) -> list[str]:
    """Which stages to run: one (--stage), from one on (--from), or all (tasks/registry.py)."""
    return registry.resolve(stage, from_stage)


def check_inputs(todo: list[str], input_dir: Path, output: Path) -> None:
    """Raise the error the first stage would raise on a missing input: the input folder for ingest;
    for a later first stage, each table it reads must exist and be readable Parquet (its footer is
    read)."""
    if not todo:
        return
    first = todo[0]
    stage = registry.get(first)
    if stage.reads_raw:
        from tasks.ingest.inputs import check_input_dir

        check_input_dir(Path(input_dir))
        return
    from tasks import io

    for table in stage.inputs:
        io.count_rows(output, table)


def all_skipped(todo: list[str], input_dir: Path, output: Path) -> list[dict[str, object]] | None:
    """The results `run_stage` would return when every stage in todo is skipped (inputs, code and
    outputs unchanged since it last ran); None as soon as one stage would run. Call it holding the
    run lock."""
    from tasks import manifest

    recorded = manifest.load(Path(output))
    if not all(stage in recorded for stage in todo):  # a first run: nothing to hash
        return None
    results = []
    for stage in todo:
        t0 = time.perf_counter()
        fingerprint = manifest.input_fingerprint(
            stage, input_dir if stage == "ingest" else None, Path(output)
        )
        previous = manifest.fresh_result(stage, fingerprint, Path(output))
        if previous is None:
            return None
        results.append({**previous, "skipped": True, "seconds": round(time.perf_counter() - t0, 3)})
    return results


def prepare(todo: list[str], input_dir: Path, output: Path, *, force: bool = False,
            wait_s: float = 0.0) -> list[dict[str, object]] | None:
    """Check the run can start (inputs present, output folder not held by another run, waiting up to
    wait_s), then, unless force, return the stage results when every stage would be skipped (else
    None: run them). The lock is released again: the run takes it itself."""
    check_inputs(todo, input_dir, output)
    from tasks import io

    with io.run_lock(Path(output), wait_s=wait_s):
        return None if force else all_skipped(todo, input_dir, output)
