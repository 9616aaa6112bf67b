"""The Prefect flow over the sample, under one session-scoped test harness."""

from __future__ import annotations

import polars as pl
import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="module")
def harness():
    with prefect_test_harness(server_startup_timeout=120):
        yield


def test_flow_runs_all_stages_then_one_stage_and_from_a_stage(harness, raw_dir, tmp_path):
    from flows.pipeline import pipeline

    out = tmp_path / "out"
    results = pipeline(input_dir=str(raw_dir), output=str(out))
    assert [r["stage"] for r in results] == ["ingest", "clean", "dedup", "extract"]
    assert pl.read_parquet(out / "extract" / "articles.parquet").height == 5
    before = (out / "extract" / "articles.parquet").read_bytes()
    assert [
        r["stage"] for r in pipeline(input_dir=str(raw_dir), output=str(out), stage="clean")
    ] == ["clean"]
    assert [
        r["stage"] for r in pipeline(input_dir=str(raw_dir), output=str(out), from_stage="dedup")
    ] == ["dedup", "extract"]
    assert (out / "extract" / "articles.parquet").read_bytes() == before


def test_flow_run_publishes_stage_table_and_markdown_summary_artifacts(harness, raw_dir, tmp_path):
    import json

    from prefect.artifacts import Artifact

    from flows.pipeline import pipeline

    pipeline(input_dir=str(raw_dir), output=str(tmp_path / "out"))
    table = Artifact.get("berita-stage-counts")
    summary = Artifact.get("berita-summary")
    assert table is not None and summary is not None
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert [r["stage"] for r in rows] == ["ingest", "clean", "dedup", "extract"]
    assert {"rows_in", "rows_out", "seconds", "quotes", "entities", "quarantined"} <= set(rows[0])
    assert all(set(r) == set(rows[0]) for r in rows)  # every column of every stage
    assert rows[0]["rows_out"] == 5 and isinstance(rows[3]["quotes"], int)  # numbers, not text
    assert (
        "**5 articles** from" in summary.data and "## Boilerplate removed, by rule" in summary.data
    )
    for stage in ("ingest", "clean", "dedup", "extract"):
        bar = Artifact.get(f"berita-progress-{stage}")
        assert bar is not None and float(bar.data) == 100.0, stage


def test_a_rerun_shows_its_unchanged_stages_as_skipped_task_runs(harness, raw_dir, tmp_path):
    from prefect import get_client

    from flows.pipeline import pipeline

    out = str(tmp_path / "out")
    pipeline(input_dir=str(raw_dir), output=out, workers=1)
    state = pipeline(input_dir=str(raw_dir), output=out, workers=1, return_state=True)
    results = state.result()
    assert [r["skipped"] for r in results] == [True] * 4
    with get_client(sync_client=True) as client:
        tasks = [
            t for t in client.read_task_runs() if t.flow_run_id == state.state_details.flow_run_id
        ]
    assert sorted(t.state.name for t in tasks) == ["Skipped"] * 4
    assert all(t.state.is_completed() for t in tasks)


def test_flow_on_a_dask_local_cluster_writes_the_same_data_as_the_serial_flow(
    harness, raw_dir, tmp_path
):
    from flows.pipeline import pipeline, run_on_dask

    (raw_dir / "banjir.txt").write_text(
        "Banjir Rendam Ratusan Rumah di Bekasi\n\nBEKASI, KOMPAS.com - Banjir merendam ratusan "
        "rumah di Bekasi Timur "
        "setelah hujan deras sejak Minggu malam.\n\n“Air masuk ke rumah sejak pukul dua dini "
        "hari,” kata warga bernama Siti Aminah.")
    serial, dask = tmp_path / "serial", tmp_path / "dask"
    pipeline(input_dir=str(raw_dir), output=str(serial))
    results = run_on_dask(n_workers=2, input_dir=str(raw_dir), output=str(dask), batch_size=2)
    assert [r["stage"] for r in results] == ["ingest", "clean", "dedup", "extract"]
    for rel in ("clean/paragraphs.parquet", "dedup/paragraphs.parquet", "dedup/articles.parquet",
                "extract/articles.parquet", "extract/quotes.parquet", "extract/entities.parquet"):
        # the same rows and values (row groups differ: the serial run streams them chunk by chunk)
        assert pl.read_parquet(serial / rel).equals(pl.read_parquet(dask / rel)), rel
