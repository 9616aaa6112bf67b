"""README data dictionary, prefect.yaml deployment and CI wiring stay in step with the code."""

from __future__ import annotations

import inspect
from pathlib import Path

import yaml

from tasks import schema

ROOT = Path(__file__).resolve().parents[1]


def test_readme_documents_every_dataset_and_column():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for table in (*schema.TABLES, schema.DEDUP_INDEX):
        assert schema.data_dictionary_markdown(table) in readme, (
            f"README data dictionary is stale for {table.relpath}"
        )


def test_prefect_yaml_deploys_the_pipeline_daily_in_jakarta_time():
    from flows.pipeline import pipeline

    cfg = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    dep = cfg["deployments"][0]
    assert dep["entrypoint"] == "flows/pipeline.py:pipeline"
    sched = dep["schedules"][0]
    assert sched["timezone"] == "Asia/Jakarta" and len(sched["cron"].split()) == 5
    params = set(inspect.signature(pipeline.fn).parameters)
    assert set(dep["parameters"]) <= params


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in readme and "bash scripts/test.sh" in ci
    assert "bash scripts/quickstart.sh" in readme
