"""One console for `berita run`: Prefect's log lines printed by the rich console that draws the
progress bars.

Prefect's console handler owns a rich Console of its own, writing to the stderr it found when
logging was set up; while the progress bars are live, its lines land in the middle of them (bars
redrawn, lines glued to bars). Routed through the bars' console, each line is printed above the
bars. On that console a failure is its message only: the CLI prints the one-line error, the
traceback is in <output>/berita.log and in the UI.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console


class _NoTraceback(logging.Formatter):
    """The wrapped formatter's line for a copy of the record without its traceback."""

    def __init__(self, inner: logging.Formatter | None):
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        bare = logging.makeLogRecord(record.__dict__)
        bare.exc_info, bare.exc_text, bare.stack_info = None, None, None
        return self.inner.format(bare)


def _prefect_console_handlers() -> list[logging.Handler]:
    import prefect.main  # noqa: F401  (Prefect's logging is set up when its main module loads)
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *(lg for lg in logging.Logger.manager.loggerDict.values()
                                      if isinstance(lg, logging.Logger))]
    found: dict[int, logging.Handler] = {}
    for lg in loggers:
        for h in lg.handlers:
            if isinstance(h, PrefectConsoleHandler):
                found[id(h)] = h
    return list(found.values())


class _Lines:
    """What the handler prints through: `console`, taking each line as plain text (a path in
    brackets such as "[/tmp/x]" is not rich markup)."""

    def __init__(self, console: Console):
        self.console = console

    def print(self, message: str, **_: object) -> None:
        self.console.print(message, markup=False, highlight=False, soft_wrap=True)


@contextmanager
def prefect_logs_to(console: Console) -> Iterator[None]:
    """Inside the block, Prefect's console log lines go through `console`, without tracebacks."""
    saved = [(h, h.console, h.formatter) for h in _prefect_console_handlers()]  # type: ignore[attr-defined]
    for h, _, fmt in saved:
        h.console = _Lines(console)  # type: ignore[attr-defined]
        h.setFormatter(_NoTraceback(fmt))
        h.addFilter(_without_exception_reports)
    try:
        yield
    finally:
        for h, own, fmt in saved:
            h.console = own  # type: ignore[attr-defined]
            h.setFormatter(fmt)  # type: ignore[arg-type]
            h.removeFilter(_without_exception_reports)


def _without_exception_reports(record: logging.LogRecord) -> bool:
    """Drop the engine's "failed with exception" reports from the console (they carry the traceback,
    which the UI keeps; the CLI prints the error once); the "Finished in state Failed" lines
    stay."""
    return not (
        record.exc_info and record.name.startswith(("prefect.task_runs", "prefect.flow_runs"))
    )
