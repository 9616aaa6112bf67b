"""What a flow run shows in the Prefect UI besides its logs: the stage table, a progress bar per
stage, a link to the HTML report. The table and link are built by plain functions (tested without
Prefect); only the publishing calls touch the Prefect API, and they are imported when called.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

ProgressFn = Callable[[int, int], None]
# first, in this order; then the rest
STAGE_COLUMNS = ("stage", "skipped", "rows_in", "rows_out", "seconds")


def stage_table(results: list[dict[str, object]]) -> list[dict[str, object]]:
    """One row per stage result, with every column any stage has (missing ones None), values kept as
    numbers and booleans (anything else, e.g. a nested dict, as its text)."""
    keys = [k for k in STAGE_COLUMNS if any(k in r for r in results)]
    for r in results:
        keys += [k for k in r if k not in keys]
    return [{k: _cell(r.get(k)) for k in keys} for r in results]


def _cell(v: object) -> object:
    if v is None or isinstance(v, bool | int | float | str):
        return v
    return str(v)


def report_link(output: Path) -> tuple[str, str] | None:
    """(file URL, link text) of <output>/report.html when it exists; the text says how old it is
    against the extract datasets (a report written before this run's outputs is marked as such)."""
    report = Path(output) / "report.html"
    if not report.is_file():
        return None
    arts = Path(output) / "extract" / "articles.parquet"
    stale = arts.exists() and arts.stat().st_mtime > report.stat().st_mtime
    text = "HTML report" + (
        " (older than these datasets: `berita report` rewrites it)" if stale else ""
    )
    return report.resolve().as_uri(), text


class ProgressArtifact:
    """A stage's progress as a Prefect progress artifact, created at its first report, updated at
    most once a second or every 5% (each update is one API call), and set to 100% by `finish`."""

    def __init__(self, stage: str, every_s: float = 1.0, step_pct: float = 5.0):
        self.stage, self.every_s, self.step_pct = stage, every_s, step_pct
        self.id = None
        self.last_pct = -100.0
        self.last_t = 0.0
        self.failed = False

    def __call__(self, done: int, total: int) -> None:
        pct = 100.0 * done / total if total else 100.0
        now = time.monotonic()
        if pct < 100 and pct - self.last_pct < self.step_pct and now - self.last_t < self.every_s:
            return
        self._publish(pct)
        self.last_pct, self.last_t = pct, now

    def finish(self) -> None:
        if self.id is not None and self.last_pct < 100:
            self._publish(100.0)

    def _publish(self, pct: float) -> None:
        if self.failed:
            return
        try:
            from prefect.artifacts import create_progress_artifact, update_progress_artifact

            if self.id is None:
                self.id = create_progress_artifact(
                    progress=round(pct, 1),
                    key=f"berita-progress-{self.stage}",
                    description=f"{self.stage}: share of articles done",
                )
            else:
                update_progress_artifact(self.id, progress=round(pct, 1))
        except Exception as e:  # the UI's progress bar must never fail a run
            self.failed = True
            import logging

            logging.getLogger("berita").warning(
                "progress artifact for %s not updated: %s", self.stage, e
            )


def both(*fns: ProgressFn) -> ProgressFn:
    """One progress callback feeding several (the terminal's bar or the log, and the UI's
    artifact)."""
    def update(done: int, total: int) -> None:
        for f in fns:
            f(done, total)
    return update
