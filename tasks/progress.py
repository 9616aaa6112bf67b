"""Progress reporting for long stages, decoupled from how it is shown.

Stage functions take a `progress(done, total)` callback. Who shows it is chosen once per process:
the CLI installs rich progress bars; otherwise (a Prefect deployment, a notebook) progress goes to
the log every 10%, which Prefect shows in the flow run's logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

ProgressFn = Callable[[int, int], None]
Reporter = Callable[[str], ProgressFn]

_reporter: Reporter | None = None


def set_reporter(reporter: Reporter | None) -> None:
    global _reporter
    _reporter = reporter


def _log_reporter(stage: str) -> ProgressFn:
    try:  # inside a Prefect task run, log where the UI shows it
        from prefect import get_run_logger

        log: logging.Logger | logging.LoggerAdapter = get_run_logger()
    except Exception:
        log = logging.getLogger("berita")
    last = [-1]

    def report(done: int, total: int) -> None:
        decile = 10 * done // max(total, 1)
        if decile != last[0]:
            last[0] = decile
            log.info("%s: %d/%d (%d%%)", stage, done, total, 100 * done // max(total, 1))

    return report


def for_stage(stage: str) -> ProgressFn:
    """The progress callback a stage should call (rich bar under the CLI, log lines otherwise)."""
    return (_reporter or _log_reporter)(stage)
