"""`berita` command line: run the pipeline, inspect one article, corpus stats, SQL over the
datasets."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import signal
import sys
import traceback
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text
from typer.core import TyperOption

from tasks import registry, schema


# typer 0.2x shows "<bool>" after every flag (--force <bool>): drop it
def _flags_without_type(self, ctx):
    return None if getattr(self, "is_flag", False) else _display_type_rich(self, ctx)


_display_type_rich = TyperOption.display_type_rich
TyperOption.display_type_rich = _flags_without_type  # type: ignore[method-assign]
DEFAULT_OUTPUT = Path("data/processed")

app = typer.Typer(help="berita: clean, deduplicate and extract Indonesian news articles into "
                       "Parquet.",
                  no_args_is_help=True, add_completion=False)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # soft_wrap: an error stays one line however long


def _examples(*lines: str) -> str:
    """An epilog of example command lines for --help (markup-escaped)."""
    from rich.markup import escape

    return "Examples:\n\n" + "\n".join(f"  {escape(ln)}" for ln in lines)


def _with_output(msg: str, output: Path) -> str:
    """Hints like `berita run --from clean` made to work as given: with the -o the user passed."""
    if Path(output) == DEFAULT_OUTPUT:
        return msg
    o = shlex.quote(str(output))

    def add(m: re.Match) -> str:
        hint = m.group().rstrip()
        return hint if re.search(r"\s(-o|--output)\s", hint + " ") else f"{hint} -o {o}"

    return re.sub(r"berita run\b[^`)|;,]*", add, msg)


def _need(output: Path, table: schema.Table) -> None:
    """Refuse, with a hint that works, when `table` (and what it is made from) does not exist in
    output."""
    output = Path(output)
    if (output / table.relpath).exists():
        return
    if not output.is_dir():
        raise FileNotFoundError(f"{output} does not exist or is not a folder: no berita datasets "
                                "there "
                                "(make them with `berita run -i INPUT_FOLDER -o "
                                f"{shlex.quote(str(output))}`)")
    stage_tables = {
        t.stage: t
        for t in (
            schema.INGEST_ARTICLES,
            schema.CLEAN_PARAGRAPHS,
            schema.DEDUP_ARTICLES,
            schema.EXTRACT_ARTICLES,
        )
    }
    for stage in registry.NAMES[:registry.NAMES.index(table.stage) + 1]:
        if not (output / stage_tables[stage].relpath).exists():
            fix = ("berita run -i INPUT_FOLDER" if stage == "ingest" else "berita run --from "
                                                                          f"{stage}")
            raise FileNotFoundError(f"{output / table.relpath} does not exist ({stage} has not run "
                                    f"in {output}): "
                                    f"run `{fix}`")
    raise FileNotFoundError(f"{output / table.relpath} does not exist: run `berita run --from "
                            f"{table.stage}`")


def _fail(e: BaseException, output: Path, *, log: bool = True) -> None:
    """One clear line for the user; with log, the traceback goes to <output>/berita.log (never
    through a symlink, and not at all for a run refused by the lock: the log belongs to the run
    holding it). Read-only commands pass log=False and write nothing; BERITA_DEBUG=1 prints the
    traceback on stderr instead."""
    from tasks.io import LockedError, append_text

    where = ""
    if log:
        logfile = Path(output) / "berita.log"
        chain = [e, e.__cause__, e.__context__]
        try:
            if any(isinstance(x, LockedError) for x in chain):
                raise OSError("refused by the lock")
            logfile.parent.mkdir(parents=True, exist_ok=True)
            append_text(logfile, "".join(traceback.format_exception(e)))
            where = f" (traceback in {logfile})"
        except OSError:
            where = ""
    elif os.environ.get("BERITA_DEBUG"):
        err.print(Text("".join(traceback.format_exception(e))), highlight=False)
    parts = [ln.strip() for ln in str(e).splitlines() if ln.strip() and set(ln.strip()) != {"^"}]
    msg = _with_output(" | ".join(parts) or type(e).__name__, output)
    err.print(Text("error: ", style="bold red") + Text(f"{msg}{where}"), highlight=False)
    raise typer.Exit(1)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so every `with`/`finally` of the run unwinds (temp files
    removed)."""


_signalled: list[int] = []


def _on_sigterm(signum: int, frame: object) -> None:
    _signalled.append(signum)
    raise _Terminated()


def _stopped(e: BaseException, output: Path) -> None:
    """A run stopped by SIGINT (exit 130) or SIGTERM (exit 143): one line; its temp files are gone
    (each write removes its own as the stop unwinds it; this sweeps any left), the datasets as they
    were or fully rewritten."""
    from tasks import io

    io.remove_own_temp_files(output)
    code, name = (143, "SIGTERM") if isinstance(e, _Terminated) else (130, "SIGINT")
    err.print(
        Text("stopped: ", style="bold red")
        + Text(
            f"{name}; the datasets in {output} are as "
            "they were or "
            "fully rewritten (rerun to finish)"
        ),
        highlight=False,
    )
    raise typer.Exit(code)


class _progress_bars:
    """Rich progress bars on stderr, one per stage, fed by tasks.progress callbacks (drawn only on a
    terminal)."""

    def __enter__(self) -> _progress_bars:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

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


def _run_stages(
    todo: list[str],
    input: Path,
    output: Path,
    *,
    stage: str | None,
    from_stage: str | None,
    wait: float,
    no_prefect: bool,
    force: bool,
    dask: str | None,
    batch_size: int,
    workers: int,
    console_: Console,
) -> list[dict]:
    """The stages in todo: in this process without Prefect, or as a Prefect flow run (its log lines
    printed above the progress bars)."""
    from tasks import io, progress, stages

    if no_prefect:
        results = []
        with io.run_lock(output, wait_s=wait):
            for s in todo:
                console.print(f"[cyan]{s}[/] ...")
                results.append(
                    stages.run_stage(
                        s,
                        input,
                        output,
                        force=force,
                        progress=progress.for_stage(s),
                        workers=workers,
                    )
                )
        return results
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")  # no telemetry, no telemetry notice
    from flows.console import prefect_logs_to
    from flows.pipeline import pipeline, run_on_dask

    params = dict(
        input_dir=str(input),
        output=str(output),
        stage=stage,
        from_stage=from_stage,
        lock_wait_s=wait,
        force=force,
    )
    with prefect_logs_to(console_):
        if dask:
            return run_on_dask(None if dask == "local" else dask, batch_size=batch_size, **params)
        return pipeline(**params, workers=workers)


@app.command(
    epilog=_examples(
        "berita run -i data/raw -o data/processed",
        "berita run --from dedup -o /data/out",
        "berita run --no-prefect --workers 1",
    )
)
def run(
    input: Path = typer.Option(
        Path("data/raw"),
        "--input",
        "-i",
        help="Folder of raw articles (.txt, .html, .csv, .json, .jsonl, .xlsx).",
    ),
    output: Path = typer.Option(
        Path("data/processed"), "--output", "-o", help="Folder the Parquet datasets are written to."
    ),
    stage: Optional[str] = typer.Option(
        None,
        "--stage",
        help="Run only this stage (ingest, clean, "
        "dedup, extract), reading the "
        "previous stage's Parquet.",
    ),
    from_stage: Optional[str] = typer.Option(
        None, "--from", help="Run from this stage on (ingest, clean, dedup, extract)."
    ),
    wait: float = typer.Option(
        0.0, "--wait", help="Seconds to wait if another run holds the output folder."
    ),
    no_prefect: bool = typer.Option(
        False, "--no-prefect", help="Run the same stage functions without Prefect (no API/server)."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Rerun stages even when their inputs are unchanged since the last run.",
    ),
    dask: Optional[str] = typer.Option(
        None,
        "--dask",
        help="Run clean/extract batches on Dask: "
        "'local' (a LocalCluster) or a "
        "scheduler address tcp://host:8786. "
        "Needs prefect-dask.",
    ),
    batch_size: int = typer.Option(2000, "--batch-size", help="Articles per batch with --dask."),
    workers: Optional[int] = typer.Option(
        None,
        "--workers",
        "-w",
        min=1,
        help="Local worker "
        "processes for "
        "ingest/clean/extract (default: BERITA_WORKERS or all CPUs; 1 = in-process).",
    ),
) -> None:
    """Run the pipeline (by default every stage, under Prefect's embedded temporary server)."""
    from tasks import preflight, progress

    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding caller): its own signal handling stays
        pass
    # checked before Prefect is loaded: bad input is one line in a second, an all-skipped run
    # needs no server
    try:
        todo = preflight.resolve_stages(stage, from_stage)
        from tasks.parallel import default_workers

        workers = workers or default_workers()
        if dask and importlib.util.find_spec("prefect_dask") is None:
            raise ModuleNotFoundError("--dask needs prefect-dask: pip install -c constraints.txt "
                                      "-e '.[dask]'")
        if "ingest" in todo and (warning := _empty_input_warning(input)):
            # an empty input still runs (exit 0): nothing to ingest
            err.print(Text(warning), style="yellow")
        results = preflight.prepare(todo, input, output, force=force, wait_s=wait)
        if results is None:
            with _progress_bars() as bars:
                progress.set_reporter(bars)
                results = _run_stages(
                    todo,
                    input,
                    output,
                    stage=stage,
                    from_stage=from_stage,
                    wait=wait,
                    no_prefect=no_prefect,
                    force=force,
                    dask=dask,
                    batch_size=batch_size,
                    workers=workers,
                    console_=bars.bar.console,
                )
    except (KeyboardInterrupt, _Terminated) as e:
        _stopped(e, output)
    except Exception as e:  # every failure becomes one line; details in the log
        if _signalled:  # a signal the flow engine turned into another error
            _stopped(
                _Terminated() if _signalled[-1] == signal.SIGTERM else KeyboardInterrupt(), output
            )
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
        details = ", ".join(
            f"{k}={v}"
            for k, v in r.items()
            if k not in ("stage", "rows_in", "rows_out", "seconds", "skipped")
        )
        if r.get("skipped"):
            details = "skipped: inputs unchanged (--force reruns) | " + details
        t.add_row(
            str(r["stage"]), str(r["rows_in"]), str(r["rows_out"]), details, str(r["seconds"])
        )
    console.print(t)


def _empty_input_warning(input: Path) -> str | None:
    from tasks.ingest.inputs import empty_input_warning

    return empty_input_warning(input) if Path(input).is_dir() else None


_OUTPUT_HELP = "Folder of the datasets (what `berita run -o` wrote)."


@app.command(epilog=_examples("berita show 9d4c1f0a", "berita show 9d4c1f0a2b3e4f56 -o /data/out"))
def show(
    article_id: str = typer.Argument(
        ...,
        help="Article id, or a unique prefix of it (ids: "
        "`berita sql "
        '"SELECT article_id, title FROM articles LIMIT 5"`, or '
        "the report).",
    ),
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help=_OUTPUT_HELP),
) -> None:
    """Show one article: its text with removed parts struck through and \\[the rule that removed
    them], its fields, quotes with speakers, entities, and its duplicates (the article it copies,
    its copies, the other articles of its story). Reads only that article's rows."""
    from tasks.show import article_view, plain, resolve_id, where

    try:
        if not (Path(output) / schema.DEDUP_PARAGRAPHS.relpath).exists():
            _need(output, schema.CLEAN_PARAGRAPHS)
        v = article_view(output, resolve_id(output, article_id))
    except Exception as e:
        _fail(e, output, log=False)
        return
    bold, dim = "bold", "dim"
    console.rule(Text(f"article {v.article_id}"))
    for r in v.paragraphs.iter_rows(named=True):
        if r["is_boilerplate"] or r.get("in_body") is False:
            rule = r["boilerplate_rule"] or r.get("duplicate_scope") or "removed"
            console.print(
                Text(f"[{plain(rule)}] ", style="bold yellow")
                + Text(plain(r["text"]), style="strike dim")
            )
        else:
            extra = (f"  [copy of paragraph {plain(r['duplicate_of'])}, similarity "
                     f"{plain(r['similarity'])}]"
                     if r.get("duplicate_of") else "")
            console.print(Text(plain(r["text"])) + Text(extra, style="magenta"))
        console.print()
    if v.fields is None:
        console.print(Text(_with_output("(no extract/articles row for this article: run `berita "
                                        "run --from extract`)",
                                        output), style=dim))
        return
    console.rule(Text("fields"))
    for k, val in v.fields.items():
        console.print(Text(f"{k}: ", style=bold) + Text(plain(val)))
    console.rule(Text(f"quotes ({0 if v.quotes is None else v.quotes.height})"))
    for q in ([] if v.quotes is None else v.quotes.iter_rows(named=True)):
        console.print(
            Text(f"¶{q['paragraph_index']} ", style=dim)
            + Text(f"“{plain(q['quote'])}”")
            + Text(f" — {plain(q['speaker'])}", style=bold)
            + Text(f" ({plain(q['verb'])})", style=dim)
        )
    if v.entities is not None:
        console.rule(Text(f"entities ({v.entities.height})"))
        for label, grp in v.entities.group_by("label", maintain_order=True):
            items = ", ".join(f"{plain(t)} ×{c}" for t, c in grp.select("text", "count").rows())
            console.print(Text(f"{plain(label[0])}: ", style=bold) + Text(items))
    console.rule(Text("duplicates"))
    if v.copy_of:
        console.print(Text("copy of article ") + Text(plain(v.copy_of["article_id"]), style=bold)
                      + Text(f"  {plain(v.copy_of.get('outlet'))}  ({where(v.copy_of)})"))
    for c in v.copied_by:
        console.print(Text("copied by article ") + Text(plain(c["article_id"]), style=bold)
                      + Text(f"  {plain(c.get('outlet'))}  ({where(c)})"))
    if not v.copy_of and not v.copied_by:
        console.print(Text("no article copies it and it copies none", style=dim))
    console.print(Text(f"same story ({plain(v.fields.get('story_id'))}): {v.story_size} other "
                       "article(s)"))
    for r in v.story_mates:
        console.print(Text(f"  {plain(r['article_id'])}  {plain(r['published_at'])[:16]}  "
                           f"{plain(r['outlet'])}  "
                           f"{plain(r['title'])}"))
    if v.story_size > len(v.story_mates):
        console.print(Text(f"  ... and {v.story_size - len(v.story_mates)} more", style=dim))


@app.command(epilog=_examples("berita stats", "berita stats -o /data/out --format json | jq "
                                              ".articles"))
def stats(output: Path = typer.Option(Path("data/processed"), "--output", "-o", help=_OUTPUT_HELP),
          fmt: str = typer.Option("text", "--format", "-f", help="text (for reading) or json (for "
                                                                 "scripts).")
          ) -> None:
    """Corpus numbers: articles, outlets, duplicates, stories, paragraphs, top outlets and
    boilerplate rules (lone-punctuation residue apart)."""
    import json

    from tasks.report import corpus_stats

    try:
        if fmt not in ("text", "json"):
            raise ValueError(f"unknown --format {fmt!r}: choose text or json")
        _need(output, schema.EXTRACT_ARTICLES)
        s = corpus_stats(output)
    except Exception as e:
        _fail(e, output, log=False)
        return
    if fmt == "json":
        sys.stdout.write(json.dumps(s, default=str, ensure_ascii=False, indent=1) + "\n")
        return
    n = max(1, int(s["articles"]))

    def line(k: str, v: str) -> None:
        console.print(Text(f"{k}: ", style="bold") + Text(v), highlight=False)

    line("articles", f"{s['articles']:,}")
    line("outlets", f"{s['outlets']:,}" + (f" ({s['unknown_outlet']:,} article(s) without an "
                                           "outlet)"
                                           if s["unknown_outlet"] else ""))
    line("duplicate articles", f"{s['article_duplicates']:,} "
                               f"({100 * s['article_duplicates'] / n:.1f}%)")
    line("stories", f"{s['stories']:,} ({s['stories_with_several_articles']:,} with more than one "
                    "article)")
    span = (f"{str(s['first_published'])[:10]} to {str(s['last_published'])[:10]} (UTC)"
            if s["first_published"] else "none")
    line("published", span + (f", {s['undated']:,} undated" if s["undated"] else ""))
    if "paragraphs" in s:
        line("paragraph rows", f"{s['paragraphs']:,} ({s['body_paragraphs']:,} in bodies)")
        line("boilerplate removed", f"{s['boilerplate_rows']:,} rows; punctuation residue (apart): "
             f"{s['residue_rows']:,} rows")
        line("paragraph copies", f"{s['paragraph_copies']:,} across articles, "
                                 f"{s['within_article_repeats']:,} "
             "repeats inside an article")
    for k in ("quotes", "entities", "quarantined"):
        if k in s:
            line(k, f"{s[k]:,}")
    for title, rows in (
        ("top outlets", s["top_outlets"]),
        ("top boilerplate rules", s.get("top_rules", [])),
        ("punctuation residue rules", s.get("residue_rules", [])),
    ):
        if rows:
            t = RichTable(
                title=title, title_justify="left", show_edge=False, box=None, padding=(0, 2)
            )
            t.add_column("name")
            t.add_column("rows" if "rule" in title else "articles", justify="right")
            for name, c in rows:
                t.add_row(Text(str(name)), f"{c:,}")
            console.print()
            console.print(t)


@app.command(
    epilog=_examples(
        'berita sql "SELECT outlet, count(*) AS n FROM articles GROUP BY 1 ORDER BY 2 DESC"',
        'berita sql "SELECT * FROM quotes" --format csv > quotes.csv',
        'berita sql "SELECT article_id, title FROM articles" --format jsonl | head',
        'berita sql "SELECT * FROM paragraphs WHERE is_boilerplate" --format parquet --out '
        "removed.parquet",
        "berita sql \"SELECT column_name, comment FROM duckdb_columns() WHERE table_name = "
        "'articles'\"",
    )
)
def sql(
    query: str = typer.Argument(
        ...,
        help="DuckDB SQL; views: articles, paragraphs, quotes, "
        "quotations, entities, raw, "
        "quarantine (column comments from the data dictionary).",
    ),
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help=_OUTPUT_HELP),
    fmt: Optional[str] = typer.Option(
        None,
        "--format",
        "-f",
        help="table | csv | json (one "
        "array) | "
        "jsonl (one object a line) | parquet. Default: table on "
        "a terminal, "
        "csv when piped.",
    ),
    limit: Optional[int] = typer.Option(
        None,
        "--limit",
        "-n",
        min=0,
        help="At most N rows (default: all; a terminal table shows 50).",
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Write to this file instead of stdout (needed for parquet)."
    ),
    safe: bool = typer.Option(
        False,
        "--safe",
        help="For untrusted queries: only SELECT, and "
        "no file "
        "access beyond the datasets (without it, SQL can read and write "
        "any file "
        "you can).",
    ),
) -> None:
    """Run DuckDB SQL over the datasets and print the result as a table, CSV, JSON or Parquet."""
    from tasks import sqlout
    from tasks.duck import VIEWS, check_safe, connect

    fmt = fmt or ("table" if out is None and sys.stdout.isatty() else "csv")
    try:
        if fmt not in sqlout.FORMATS:
            raise ValueError(f"unknown --format {fmt!r}: choose one of {', '.join(sqlout.FORMATS)}")
        if fmt == "parquet" and out is None:
            raise ValueError("--format parquet needs --out FILE")
        if not Path(output).is_dir() or not any(
            (Path(output) / t.relpath).exists() for t in VIEWS.values()
        ):
            _need(output, schema.EXTRACT_ARTICLES)
        con = connect(output, safe=safe)
        if safe:
            check_safe(con, query)
        rel = con.sql(query)
        if rel is None:
            return
        if fmt == "parquet":
            sqlout.write_parquet(rel, out, limit)
            return
        fh = open(out, "w", encoding="utf-8", newline="") if out else sys.stdout
        try:
            if fmt == "csv":
                sqlout.write_csv(rel, fh, limit)
            elif fmt in ("json", "jsonl"):
                sqlout.write_json(rel, fh, limit, lines=fmt == "jsonl")
            else:
                _print_table(rel, limit, Console(file=fh, soft_wrap=False) if out else console)
            fh.flush()
        finally:
            if out:
                fh.close()
    except BrokenPipeError:  # `| head` closed the pipe: not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0) from None
    except Exception as e:
        _fail(e, output, log=False)


NUMERIC_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "UHUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
}


def _print_table(rel, limit: int | None, con_out: Console) -> None:
    """A table that fits the console: columns narrowed (widest first, values cut with …), newlines
    shown as ⏎, and columns that cannot fit at all left out with a note."""
    from tasks.show import plain
    from tasks.sqlout import TABLE_ROWS, batches, cell

    shown = TABLE_ROWS if limit is None else limit
    rows = [r for df in batches(rel, shown + 1) for r in df.rows()]
    names = [plain(c) for c in rel.columns]
    cells = [
        [plain(cell(v)).replace("\n", " ⏎ ") if v is not None else "null" for v in r]
        for r in rows[:shown]
    ]
    widths = [min(40, max([len(n), *(len(r[i]) for r in cells)])) for i, n in enumerate(names)]
    avail = con_out.width - 1
    keep = len(names)
    while keep > 1 and sum(min(w, 6) for w in widths[:keep]) + 3 * keep > avail:
        keep -= 1
    while sum(widths[:keep]) + 3 * keep > avail:
        i = max(range(keep), key=lambda k: widths[k])
        widths[i] -= 1
    t = RichTable(show_lines=False, header_style="bold")
    for i in range(keep):
        numeric = str(rel.types[i]).split("(")[0].upper() in NUMERIC_TYPES
        t.add_column(Text(names[i]), overflow="ellipsis", no_wrap=True, width=widths[i],
                     justify="right" if numeric else "left")
    for r, raw in zip(cells, rows, strict=False):
        t.add_row(
            *(
                Text(c, style="dim" if v is None else "")
                for c, v in zip(r[:keep], raw, strict=False)
            )
        )
    con_out.print(t)
    if keep < len(names):
        err.print(Text(f"({len(names) - keep} column(s) do not fit: {', '.join(names[keep:])}; "
                       "select fewer "
                       "or use --format csv|json)", style="dim"))
    if len(rows) > shown and limit is None:
        err.print(Text(f"(first {shown} rows shown: --limit N for more, --format csv|json for "
                       "every row "
                       "and full values)", style="dim"))


@app.command(epilog=_examples("berita report", "berita report -o /data/out --to /tmp/report.html "
                                               "--no-titles"))
def report(
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help=_OUTPUT_HELP),
    dest: Optional[Path] = typer.Option(None, "--to", help="Where to write the HTML (default "
                                                           "<output>/report.html)."),
    titles: bool = typer.Option(True, "--titles/--no-titles", help="Show article titles "
                                                                   "(--no-titles: leave "
                                "the outlets' text out, e.g. for a screenshot)."),
) -> None:
    """Write a self-contained HTML report (no scripts, no network): corpus coverage, outlets, days,
    boilerplate rules, duplicates and who copies whom, stories, speakers, entities, sources,
    quarantine, run metadata."""
    from tasks.html_report import write_report

    try:
        _need(output, schema.EXTRACT_ARTICLES)
        path = write_report(output, dest, titles=titles)
    except Exception as e:
        _fail(e, output, log=False)
        return
    console.print(Text("report written to ") + Text(str(path), style="bold"), highlight=False)


# docstrings wrap at 100 columns; help shows each as one paragraph
for _cmd in app.registered_commands:
    if _cmd.help is None and _cmd.callback is not None and _cmd.callback.__doc__:
        _cmd.help = " ".join(_cmd.callback.__doc__.split())


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
