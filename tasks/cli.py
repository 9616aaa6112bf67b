"""`berita` command line: run the pipeline, inspect one article, corpus stats, SQL over the datasets."""

from __future__ import annotations

import os
import signal
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from tasks import schema

app = typer.Typer(help="berita: clean, deduplicate and extract Indonesian news articles into Parquet.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # soft_wrap: an error stays one line however long


def _fail(e: BaseException, output: Path) -> None:
    """One clear line for the user; the traceback goes to <output>/berita.log (never through a symlink, and
    not at all for a run refused by the lock: the log belongs to the run holding it)."""
    from tasks.io import LockedError, append_text

    log = Path(output) / "berita.log"
    chain = [e, e.__cause__, e.__context__]
    try:
        if any(isinstance(x, LockedError) for x in chain):
            raise OSError("refused by the lock")
        log.parent.mkdir(parents=True, exist_ok=True)
        append_text(log, "".join(traceback.format_exception(e)))
        where = f" (traceback in {log})"
    except OSError:
        where = ""
    parts = [ln.strip() for ln in str(e).splitlines() if ln.strip() and set(ln.strip()) != {"^"}]
    msg = " | ".join(parts) or type(e).__name__
    err.print(Text("error: ", style="bold red") + Text(f"{msg}{where}"), highlight=False)
    raise typer.Exit(1)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so every `with`/`finally` of the run unwinds (temp files removed)."""


_signalled: list[int] = []


def _on_sigterm(signum: int, frame: object) -> None:
    _signalled.append(signum)
    raise _Terminated()


def _stopped(e: BaseException, output: Path) -> None:
    """A run stopped by SIGINT (exit 130) or SIGTERM (exit 143): one line; its temp files are gone (each write
    removes its own as the stop unwinds it; this sweeps any left), the datasets as they were or fully rewritten."""
    from tasks import io

    io.remove_own_temp_files(output)
    code, name = (143, "SIGTERM") if isinstance(e, _Terminated) else (130, "SIGINT")
    err.print(Text("stopped: ", style="bold red") + Text(f"{name}; the datasets in {output} are as they were or "
                                                          "fully rewritten (rerun to finish)"), highlight=False)
    raise typer.Exit(code)


class _progress_bars:
    """Rich progress bars on stderr, one per stage, fed by tasks.progress callbacks (drawn only on a terminal)."""

    def __enter__(self) -> _progress_bars:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(TextColumn("{task.description:>8}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=err, transient=False)
        self.bar.__enter__()
        self.ids: dict[str, object] = {}
        return self

    def __call__(self, stage: str):
        def update(done: int, total: int) -> None:
            if stage not in self.ids:
                self.ids[stage] = self.bar.add_task(stage, total=total)
            self.bar.update(self.ids[stage], completed=done, total=total)

        return update

    def __exit__(self, *exc: object) -> None:
        self.bar.__exit__(None, None, None)


@app.command()
def run(
    input: Path = typer.Option(Path("data/raw"), "--input", "-i", help="Folder of raw articles (.txt, .html, .csv, .json, .jsonl, .xlsx)."),
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help="Folder the Parquet datasets are written to."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Run only this stage (ingest, clean, dedup, extract), reading the previous stage's Parquet."),
    from_stage: Optional[str] = typer.Option(None, "--from", help="Run from this stage on."),
    wait: float = typer.Option(0.0, "--wait", help="Seconds to wait if another run holds the output folder."),
    no_prefect: bool = typer.Option(False, "--no-prefect", help="Run the same stage functions without Prefect (no API/server)."),
    force: bool = typer.Option(False, "--force", help="Rerun stages even when their inputs are unchanged since the last run."),
    dask: Optional[str] = typer.Option(None, "--dask", help="Run clean/extract batches on Dask: 'local' (a LocalCluster) or a scheduler address tcp://host:8786. Needs prefect-dask."),
    batch_size: int = typer.Option(2000, "--batch-size", help="Articles per batch with --dask."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, help="Local worker processes for ingest/clean/extract (default: BERITA_WORKERS or all CPUs; 1 = in-process)."),
) -> None:
    """Run the pipeline (by default every stage, under Prefect's embedded temporary server)."""
    from tasks import io, progress, stages
    from tasks.parallel import default_workers

    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding caller): its own signal handling stays
        pass
    try:
        todo = stages.resolve_stages(stage, from_stage)
        workers = workers or default_workers()
        with _progress_bars() as bars:
            progress.set_reporter(bars)
            if no_prefect:
                results = []
                with io.run_lock(output, wait_s=wait):
                    for s in todo:
                        console.print(f"[cyan]{s}[/] ...")
                        results.append(stages.run_stage(s, input, output, force=force, progress=progress.for_stage(s),
                                                        workers=workers))
            elif dask:
                os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
                from flows.pipeline import run_on_dask

                results = run_on_dask(None if dask == "local" else dask, input_dir=str(input), output=str(output),
                                      stage=stage, from_stage=from_stage, lock_wait_s=wait, force=force,
                                      batch_size=batch_size)
            else:
                os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
                from flows.pipeline import pipeline

                results = pipeline(input_dir=str(input), output=str(output), stage=stage, from_stage=from_stage,
                                   lock_wait_s=wait, force=force, workers=workers)
    except (KeyboardInterrupt, _Terminated) as e:
        _stopped(e, output)
    except Exception as e:  # every failure becomes one line; details in the log
        if _signalled:  # a signal the flow engine turned into another error
            _stopped(_Terminated() if _signalled[-1] == signal.SIGTERM else KeyboardInterrupt(), output)
        _fail(e, output)
        return
    except BaseException as e:
        if type(e).__name__ == "TerminationSignal":  # Prefect's own SIGTERM bridge
            _stopped(_Terminated(), output)
        raise
    finally:
        progress.set_reporter(None)
    t = RichTable(title=f"berita: {output}")
    for c in ("stage", "rows in", "rows out", "details", "seconds"):
        t.add_column(c)
    for r in results:
        details = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("stage", "rows_in", "rows_out", "seconds", "skipped"))
        if r.get("skipped"):
            details = "skipped: inputs unchanged (--force reruns) | " + details
        t.add_row(str(r["stage"]), str(r["rows_in"]), str(r["rows_out"]), details, str(r["seconds"]))
    console.print(t)


@app.command()
def show(article_id: str = typer.Argument(..., help="Article id, or a unique prefix of it (see `berita sql`)."),
         output: Path = typer.Option(Path("data/processed"), "--output", "-o")) -> None:
    """Show one article: its text with removed parts struck through and [the rule that removed them], its fields,
    and its duplicates (the article it copies, its copies, the other articles of its story)."""
    import polars as pl

    from tasks import io

    try:
        paras = io.read_table(output, schema.DEDUP_PARAGRAPHS, required=False)
        if paras is None:
            paras = io.read_table(output, schema.CLEAN_PARAGRAPHS)
        rows = paras.filter(pl.col("article_id").str.starts_with(article_id)).sort("article_id", "paragraph_index")
        if rows.is_empty():
            raise KeyError(f"no article with id starting {article_id!r} in {output}")
    except Exception as e:
        _fail(e, output)
        return
    for r in rows.iter_rows(named=True):
        if r["is_boilerplate"] or r.get("in_body") is False:
            console.print(Text(f"[{r['boilerplate_rule']}] ", style="bold yellow") + Text(r["text"], style="strike dim"))
        else:
            extra = (f"  [copy of paragraph {r['duplicate_of']}, similarity {r['similarity']:.2f}]"
                     if r.get("duplicate_of") else "")
            console.print(Text(r["text"]) + Text(extra, style="magenta"))
        console.print()
    arts = io.read_table(output, schema.EXTRACT_ARTICLES, required=False)
    if arts is None:
        return
    aid = rows["article_id"][0]
    a = arts.filter(pl.col("article_id") == aid)
    if not a.height:
        return
    fields = a.drop("body").row(0, named=True)
    for k, v in fields.items():
        console.print(Text(f"{k}: ", style="bold") + Text(str(v)))
    where = {r["article_id"]: f"{r['source_path']}" + (f" row {r['source_row']}" if r["source_row"] is not None else "")
             for r in arts.select("article_id", "source_path", "source_row").iter_rows(named=True)}
    console.rule("duplicates")
    if fields["duplicate_of"]:
        console.print(f"copy of article {fields['duplicate_of']} ({where.get(fields['duplicate_of'])})", highlight=False)
    for c in arts.filter(pl.col("duplicate_of") == aid)["article_id"].to_list():
        console.print(f"copied by article {c} ({where.get(c)})", highlight=False)
    story = arts.filter((pl.col("story_id") == fields["story_id"]) & (pl.col("article_id") != aid))
    console.print(f"same story ({fields['story_id']}): {story.height} other article(s)", highlight=False)
    for r in story.head(20).iter_rows(named=True):
        console.print(Text(f"  {r['article_id']}  {r['outlet'] or '?'}  {r['title'] or ''}"))


@app.command()
def stats(output: Path = typer.Option(Path("data/processed"), "--output", "-o")) -> None:
    """Corpus numbers: articles, outlets, duplicates, stories, top boilerplate rules."""
    from tasks.report import corpus_stats

    s = corpus_stats(output)
    if not s:
        _fail(FileNotFoundError(f"no extract datasets under {output}: run `berita run` first"), output)
    for k, v in s.items():
        console.print(f"[bold]{k}[/]: {v}", highlight=False)


@app.command()
def sql(query: str, output: Path = typer.Option(Path("data/processed"), "--output", "-o")) -> None:
    """Run DuckDB SQL over the datasets; views: articles, paragraphs, quotes, entities, raw, quarantine."""
    from tasks.duck import connect

    try:
        con = connect(output)
        rel = con.sql(query)
        if rel is None:
            return
        console.print(rel.pl())
    except Exception as e:
        _fail(e, output)


@app.command()
def report(
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help="Folder of the datasets."),
    dest: Optional[Path] = typer.Option(None, "--to", help="Where to write the HTML (default <output>/report.html)."),
) -> None:
    """Write a self-contained HTML report with charts (outlets, days, boilerplate rules, duplicates, stories, speakers)."""
    from tasks.html_report import write_report

    try:
        path = write_report(output, dest)
    except Exception as e:
        _fail(e, output)
        return
    console.print(f"report written to [bold]{path}[/]", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
