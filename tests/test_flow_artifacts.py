"""The run's artifacts as built for the Prefect UI (plain functions, no Prefect server)."""

from __future__ import annotations

import os
import time

from flows.artifacts import ProgressArtifact, report_link, stage_table


def test_stage_table_has_every_column_of_every_stage_with_numbers_kept_as_numbers():
    results = [
        {
            "stage": "ingest",
            "rows_in": 5,
            "rows_out": 5,
            "quarantined": 0,
            "seconds": 0.5,
            "skipped": False,
        },
        {
            "stage": "dedup",
            "rows_in": 77,
            "rows_out": 77,
            "stories": 1,
            "seconds": 3.2,
            "skipped": True,
        },
        {
            "stage": "extract",
            "rows_in": 5,
            "rows_out": 5,
            "quotes": 9,
            "entities": 78,
            "seconds": 0.2,
            "skipped": False,
            "by_outlet": {"kompas": 5},
        },
    ]
    rows = stage_table(results)
    assert list(rows[0])[:5] == ["stage", "skipped", "rows_in", "rows_out", "seconds"]
    assert all(set(r) == set(rows[0]) for r in rows)
    assert {"quarantined", "stories", "quotes", "entities", "by_outlet"} <= set(rows[0])
    assert rows[2]["quotes"] == 9 and rows[2]["entities"] == 78 and rows[0]["quotes"] is None
    assert rows[1]["skipped"] is True and rows[1]["seconds"] == 3.2
    assert rows[2]["by_outlet"] == "{'kompas': 5}"


def test_report_link_only_when_the_report_exists_and_says_when_it_is_older_than_the_data(tmp_path):
    assert report_link(tmp_path) is None
    (tmp_path / "report.html").write_text("<html></html>")
    url, text = report_link(tmp_path)
    assert url == (tmp_path / "report.html").resolve().as_uri() and text == "HTML report"
    arts = tmp_path / "extract" / "articles.parquet"
    arts.parent.mkdir()
    arts.write_bytes(b"x")
    old = time.time() - 60
    os.utime(tmp_path / "report.html", (old, old))
    assert "older than these datasets" in report_link(tmp_path)[1]


def test_progress_artifact_updates_are_throttled_and_end_at_100(monkeypatch):
    sent: list[float] = []
    bar = ProgressArtifact("clean", every_s=3600, step_pct=5)
    monkeypatch.setattr(bar, "_publish", lambda pct: sent.append(pct))
    for done in range(0, 1001):
        bar(done, 1000)
    assert sent[0] == 0 and sent[-1] == 100 and 20 <= len(sent) <= 22
    assert all(b - a >= 5 for a, b in zip(sent, sent[1:-1], strict=False))


def test_prefect_log_lines_go_through_the_progress_console_as_plain_lines_without_tracebacks():
    import io
    import logging

    from rich.console import Console

    from flows.console import _prefect_console_handlers, prefect_logs_to

    handlers = _prefect_console_handlers()
    assert handlers, "Prefect's console handler is installed when prefect is imported"
    before = [(h.console, h.formatter) for h in handlers]
    buf = io.StringIO()
    log = logging.getLogger("prefect.berita-test")
    with prefect_logs_to(Console(file=buf, width=200)):
        try:
            raise ValueError("disk full")
        except ValueError:
            log.error("stage failed in [/tmp/out] [bold]", exc_info=True)
            import sys

            report = logging.LogRecord("prefect.task_runs", logging.ERROR, __file__, 0,
                                       "Task run failed with exception", None, sys.exc_info())
            # as the engine's report reaches the console (its API handler left out)
            for h in handlers:
                h.handle(report)
    assert "stage failed in [/tmp/out] [bold]" in buf.getvalue()
    assert "Traceback" not in buf.getvalue() and "disk full" not in buf.getvalue()
    assert "Task run failed with exception" not in buf.getvalue()  # the CLI prints the error once
    assert [(h.console, h.formatter) for h in handlers] == before


def test_flow_parameters_are_typed_with_the_stage_names_and_described_from_the_docstring():
    from prefect.utilities.callables import parameter_schema

    from flows.pipeline import pipeline

    props = parameter_schema(pipeline.fn).model_dump()["properties"]
    for name in ("stage", "from_stage"):
        assert props[name]["anyOf"][0]["enum"] == ["ingest", "clean", "dedup", "extract"]
    assert all(p.get("description") for p in props.values()), [
        k for k, p in props.items() if not p.get("description")
    ]
    assert props["lock_wait_s"]["default"] > 0  # overlapping runs wait instead of failing
