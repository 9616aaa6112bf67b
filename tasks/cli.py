"""`berita` command line: run the pipeline, inspect one article, corpus stats, SQL over the datasets."""

from __future__ import annotations

import os
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
    """One clear line for the user; the traceback goes to <output>/berita.log."""
    log = Path(output) / "berita.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as fh:
            fh.write("".join(traceback.format_exception(e)))
        where = f" (traceback in {log})"
    except OSError:
        where = ""
    parts = [ln.strip() for ln in str(e).splitlines() if ln.strip() and set(ln.strip()) != {"^"}]
    msg = " | ".join(parts) or type(e).__name__
    err.print(Text("error: ", style="bold red") + Text(f"{msg}{where}"), highlight=False)
    raise typer.Exit(1)


@app.command()
def run(
    input: Path = typer.Option(Path("data/raw"), "--input", "-i", help="Folder of raw articles (.txt, .html, .csv, .json, .jsonl, .xlsx)."),
    output: Path = typer.Option(Path("data/processed"), "--output", "-o", help="Folder the Parquet datasets are written to."),
    stage: Optional[str] = typer.Option(None, "--stage", help="Run only this stage (ingest, clean, dedup, extract), reading the previous stage's Parquet."),
    from_stage: Optional[str] = typer.Option(None, "--from", help="Run from this stage on."),
    wait: float = typer.Option(0.0, "--wait", help="Seconds to wait if another run holds the output folder."),
    no_prefect: bool = typer.Option(False, "--no-prefect", help="Run the same stage functions without Prefect (no API/server)."),
) -> None:
    """Run the pipeline (by default every stage, under Prefect's embedded temporary server)."""
    from tasks import io, stages

    try:
        todo = stages.resolve_stages(stage, from_stage)
        if no_prefect:
            results = []
            with io.run_lock(output, wait_s=wait):
                for s in todo:
                    console.print(f"[cyan]{s}[/] ...")
                    if s == "ingest":
                        results.append(stages.run_ingest(input, output))
                    else:
                        results.append(getattr(stages, f"run_{s}")(output))
        else:
            os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
            from flows.pipeline import pipeline

            results = pipeline(input_dir=str(input), output=str(output), stage=stage, from_stage=from_stage, lock_wait_s=wait)
    except Exception as e:  # every failure becomes one line; details in the log
        _fail(e, output)
        return
    t = RichTable(title=f"berita: {output}")
    for c in ("stage", "rows in", "rows out", "details", "seconds"):
        t.add_column(c)
    for r in results:
        details = ", ".join(f"{k}={v}" for k, v in r.items() if k not in ("stage", "rows_in", "rows_out", "seconds"))
        t.add_row(str(r["stage"]), str(r["rows_in"]), str(r["rows_out"]), details, str(r["seconds"]))
    console.print(t)


@app.command()
def show(article_id: str, output: Path = typer.Option(Path("data/processed"), "--output", "-o")) -> None:
    """Show one article: each line with removed parts struck through and the rule that removed them, then its fields."""
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
            extra = f"  (copy of {r['duplicate_of']}, sim {r['similarity']:.2f})" if r.get("duplicate_of") else ""
            console.print(Text(r["text"]) + Text(extra, style="magenta"))
        console.print()
    arts = io.read_table(output, schema.EXTRACT_ARTICLES, required=False)
    if arts is not None:
        a = arts.filter(pl.col("article_id") == rows["article_id"][0])
        if a.height:
            for k, v in a.drop("body").row(0, named=True).items():
                console.print(f"[bold]{k}[/]: {v}", highlight=False)


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


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
