"""`berita sql`, `show` and `stats` as an analyst scripts them: full values in CSV/JSON that parse
back to what DuckDB returns, ids refused when ambiguous, every value printed literally, read-only
commands that write nothing, help that shows what it says."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from tasks import registry, schema, stages
from tasks.cli import app
from tests.analyst_fixture import build_input

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cli")
    out, raw = root / "out", build_input(root / "raw")
    for stage in registry.NAMES:
        stages.run_stage(stage, raw, out)
    return out


def _direct(corpus: Path, q: str) -> pl.DataFrame:
    from tasks.duck import connect

    return connect(corpus).sql(q).pl()


Q = (
    "SELECT article_id, outlet, title, word_count, authors, published_at FROM articles ORDER BY "
    "article_id"
)


def test_sql_csv_through_a_pipe_to_head_gives_the_first_rows_in_full(corpus):
    cmd = f"{sys.executable} -m tasks.cli sql {Q!r:} -o {corpus} --format csv | head -n 3"
    r = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd.replace("'", '"', 0)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout)))
    want = _direct(corpus, Q)
    assert rows[0] == want.columns and len(rows) == 3
    for got, exp in zip(rows[1:], want.head(2).iter_rows(), strict=True):
        assert got[0] == exp[0] and got[2] == (exp[2] or "") and int(got[3]) == exp[3]
        assert json.loads(got[4]) == exp[4]  # lists as JSON arrays, never a Python repr


def test_sql_csv_and_json_parse_back_to_the_direct_query(corpus):
    want = _direct(corpus, Q)
    r = runner.invoke(app, ["sql", Q, "-o", str(corpus), "--format", "csv"])
    assert r.exit_code == 0, r.output
    got = pl.read_csv(
        io.StringIO(r.stdout), schema_overrides={"authors": pl.String, "published_at": pl.String}
    )
    assert got["article_id"].to_list() == want["article_id"].to_list()
    assert (
        got["title"].to_list() == want["title"].to_list()
        and got["word_count"].to_list() == want["word_count"].to_list()
    )
    for fmt in ("json", "jsonl"):
        r = runner.invoke(app, ["sql", Q, "-o", str(corpus), "--format", fmt])
        assert r.exit_code == 0, r.output
        rows = (
            json.loads(r.stdout)
            if fmt == "json"
            else [json.loads(ln) for ln in r.stdout.splitlines()]
        )
        assert [x["article_id"] for x in rows] == want["article_id"].to_list()
        assert [x["authors"] for x in rows] == want["authors"].to_list()
        assert [x["title"] for x in rows] == want["title"].to_list()
        stamps = [
            x["published_at"] and pl.Series([x["published_at"]]).str.to_datetime(time_zone="UTC")[0]
            for x in rows
        ]
        assert stamps == want["published_at"].to_list()


def test_sql_limit_parquet_out_and_table_fit_the_terminal(corpus, tmp_path):
    r = runner.invoke(app, ["sql", Q, "-o", str(corpus), "--format", "json", "--limit", "2"])
    assert len(json.loads(r.stdout)) == 2
    dest = tmp_path / "x.parquet"
    r = runner.invoke(app, ["sql", Q, "-o", str(corpus), "--format", "parquet", "--out", str(dest)])
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(dest).equals(_direct(corpus, Q))
    r = runner.invoke(
        app,
        ["sql", "SELECT * FROM articles", "-o", str(corpus), "--format", "table"],
        env={"COLUMNS": "80"},
    )
    assert r.exit_code == 0, r.output
    assert max(len(ln) for ln in r.stdout.splitlines()) <= 80 and "artic" in r.stdout
    r = runner.invoke(app, ["sql", Q, "-o", str(corpus), "--format", "parquet"])
    assert r.exit_code == 1 and "--out" in r.stderr


def test_sql_safe_mode_refuses_file_access_and_writes(corpus, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    ok = runner.invoke(
        app,
        [
            "sql",
            "SELECT count(*) AS n FROM articles",
            "-o",
            str(corpus),
            "--safe",
            "--format",
            "csv",
        ],
    )
    assert ok.exit_code == 0 and ok.stdout.splitlines()[1] != "0"
    for q in (f"SELECT * FROM read_csv('{secret}')", f"COPY articles TO '{tmp_path / 'x.csv'}'",
              f"ATTACH '{tmp_path / 'db.duckdb'}' AS x", "SET enable_external_access = true"):
        r = runner.invoke(app, ["sql", q, "-o", str(corpus), "--safe"])
        assert r.exit_code == 1 and r.stderr.startswith("error:"), (q, r.output)
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "db.duckdb").exists()
    r = runner.invoke(
        app, ["sql", f"SELECT * FROM read_csv('{secret}')", "-o", str(corpus), "--format", "csv"]
    )
    assert r.exit_code == 0  # without --safe, SQL has the user's file access (documented)


def test_the_duckdb_file_opens_in_any_client_with_views_and_column_comments(corpus):
    con = duckdb.connect(str(corpus / "berita.duckdb"), read_only=True)
    assert (
        con.sql("SELECT count(*) FROM articles").fetchall()[0][0]
        == _direct(corpus, "SELECT * FROM articles").height
    )
    comments = dict(con.sql("SELECT column_name, comment FROM duckdb_columns() WHERE table_name = "
                            "'quotes'")
                    .fetchall())
    assert comments["speaker"] == schema.EXTRACT_QUOTES.columns["speaker"][1]


def test_show_refuses_an_ambiguous_or_empty_id_and_lists_matches(corpus):
    ids = _direct(corpus, "SELECT article_id FROM articles")["article_id"].to_list()
    for n in range(1, 16):  # a prefix shared by two ids
        starts = [i[:n] for i in ids]
        shared = next((p for p in starts if starts.count(p) > 1), None)
        if shared is None:
            break
        prefix = shared
    r = runner.invoke(app, ["show", prefix, "-o", str(corpus)])
    assert r.exit_code == 1 and "several article ids" in r.stderr
    assert sum(i in r.stderr for i in ids if i.startswith(prefix)) >= 2 and "text" not in r.stdout
    r = runner.invoke(app, ["show", "", "-o", str(corpus)])
    assert r.exit_code == 1 and "empty article id" in r.stderr and not r.stdout


def test_show_prints_fields_as_text_with_quotes_entities_copies_and_story(corpus):
    row = _direct(corpus, "SELECT article_id, duplicate_of FROM articles WHERE duplicate_of IS NOT "
                          "NULL").row(0)
    copy_id, original = row
    r = runner.invoke(app, ["show", copy_id[:10], "-o", str(corpus)])
    assert r.exit_code == 0, r.output
    out = r.stdout
    assert f"copy of article {original}" in out and "same story" in out
    for repr_ in ("None", "[]", "['"):
        assert repr_ not in out
    r = runner.invoke(app, ["show", original, "-o", str(corpus)])
    assert f"copied by article {copy_id}" in r.stdout
    quoted = _direct(
        corpus, "SELECT article_id, speaker FROM quotes WHERE speaker IS NOT NULL"
    ).row(0)
    r = runner.invoke(app, ["show", quoted[0], "-o", str(corpus)])
    assert f"— {quoted[1]}" in r.stdout and "entities (" in r.stdout and "PERSON:" in r.stdout


def test_show_prints_markup_and_escape_sequences_in_values_literally(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (ROOT / "data" / "raw" / "001_d570b8d179dc85b6.txt").read_text(encoding="utf-8")
    # source_path "[/bold] [link=...]klik[/link] <OSC 8 hyperlink escape>.txt": folders make the
    # slashes
    path = raw / "[" / "bold] [link=https:evil.example]klik[" / "link] \x1b]8;;x\x1b\\.txt"
    path.parent.mkdir(parents=True)
    path.write_text(text.replace("Dia bersumpah", "[bold red]Dia[/] bersumpah"), encoding="utf-8")
    out = tmp_path / "out"
    for stage in registry.NAMES:
        stages.run_stage(stage, raw, out)
    aid = pl.read_parquet(out / "extract" / "articles.parquet")["article_id"][0]
    r = runner.invoke(app, ["show", aid, "-o", str(out)], color=True)
    assert r.exit_code == 0, r.output
    assert (
        "[/bold] [link=https:evil.example]klik[/link]" in r.stdout
        and "[bold red]Dia[/]" in r.stdout
    )
    # no terminal hyperlink: shown escaped
    assert "\x1b]8;;" not in r.stdout and "\\x1b]8;;x" in r.stdout


def test_stats_is_readable_and_does_not_count_a_missing_outlet(corpus):
    r = runner.invoke(app, ["stats", "-o", str(corpus)])
    assert r.exit_code == 0, r.output
    named = _direct(corpus, "SELECT count(DISTINCT outlet) n, count(*) FILTER (WHERE outlet IS "
                            "NULL) u "
                            "FROM articles").row(0)
    assert f"outlets: {named[0]} ({named[1]} article(s) without an outlet)" in r.stdout
    assert "[(" not in r.stdout and "None" not in r.stdout
    assert "punctuation residue" in r.stdout and "empty_punct" in r.stdout
    j = json.loads(runner.invoke(app, ["stats", "-o", str(corpus), "--format", "json"]).stdout)
    assert j["outlets"] == named[0] and "empty_punct" not in dict(j["top_rules"])


@pytest.mark.parametrize(
    "args",
    [
        ["show", "zz"],
        ["stats"],
        ["sql", "SELECT 1"],
        ["sql", "SELEC"],
        ["report", "--to", "{tmp}/r.html"],
        ["show", "{aid}"],
    ],
)
def test_read_only_commands_write_nothing_in_the_working_folder(
    args, corpus, tmp_path, monkeypatch
):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    aid = _direct(corpus, "SELECT article_id FROM articles")["article_id"][0]
    args = [a.format(tmp=tmp_path, aid=aid) for a in args]
    before = sorted(p.name for p in corpus.rglob("*"))
    runner.invoke(app, args)  # the default output (data/processed) does not exist here
    runner.invoke(app, [*args, "-o", str(corpus)])
    assert list(work.iterdir()) == []
    # no berita.log in the datasets either
    assert sorted(p.name for p in corpus.rglob("*")) == before


def test_errors_give_hints_that_work_as_given(tmp_path):
    out = tmp_path / "out"
    (out / "ingest").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "raw" / "000_c0fe9f79e18d2f47.txt", tmp_path / "a.txt")
    r = runner.invoke(app, ["report", "-o", str(out)])
    assert r.exit_code == 1 and "berita run -i INPUT_FOLDER -o" in r.stderr and str(out) in r.stderr
    stages.run_stage("ingest", ROOT / "data" / "raw", out)
    r = runner.invoke(app, ["stats", "-o", str(out)])
    assert f"berita run --from clean -o {out}" in r.stderr
    r = runner.invoke(app, ["show", "abc", "-o", str(tmp_path / "nope")])
    assert "does not exist" in r.stderr and not (tmp_path / "nope").exists()


def test_help_shows_brackets_examples_and_flags_without_types():
    r = runner.invoke(app, ["show", "--help"], env={"COLUMNS": "120"})
    assert (
        "[the rule that removed them]" in r.stdout
        and "Examples:" in r.stdout
        and "berita show" in r.stdout
    )
    for cmd in ("stats", "sql", "report"):
        h = runner.invoke(app, [cmd, "--help"], env={"COLUMNS": "120"}).stdout
        assert "Examples:" in h and "<bool>" not in h and "Folder of the datasets" in h
    run_help = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "120"}).stdout
    assert (
        "<bool>" not in run_help
        and "ingest, clean, dedup, extract" in run_help
        and "Examples:" in run_help
    )


def test_duckdb_spill_stays_out_of_the_working_folder(corpus, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from tasks.duck import connect

    spill = connect(corpus).sql("SELECT current_setting('temp_directory')").fetchall()[0][0]
    assert not spill.startswith(os.getcwd())


def test_the_readmes_show_example_is_an_article_of_the_sample(sample_output):
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ids = re.findall(r"berita show ([0-9a-f]{6,16})\b", readme)
    assert ids
    for prefix in ids:
        r = runner.invoke(app, ["show", prefix, "-o", str(sample_output)])
        assert r.exit_code == 0, (prefix, r.output)


def test_sql_formats_carry_types_polars_cannot_import(corpus):
    q = (
        "SELECT INTERVAL 1 DAY AS i, 'ab'::BLOB AS b, {'a': 1} AS s, [1, 2] AS l, 1.5::DECIMAL(4, "
        "2) AS d"
    )
    for fmt in ("csv", "json", "jsonl", "table"):
        r = runner.invoke(app, ["sql", q, "-o", str(corpus), "--format", fmt])
        assert r.exit_code == 0 and "1 day" in r.stdout, (fmt, r.output)
    row = json.loads(runner.invoke(app, ["sql", q, "-o", str(corpus), "--format", "json"]).stdout)[
        0
    ]
    assert row["s"] == {"a": 1} and row["l"] == [1, 2] and row["b"] == "ab"


def test_a_moved_output_gets_its_duckdb_views_repointed_by_the_next_skipped_run(tmp_path):
    first = tmp_path / "first"
    for stage in registry.NAMES:
        stages.run_stage(stage, ROOT / "data" / "raw", first)
    moved = tmp_path / "moved"
    first.rename(moved)
    results = [stages.run_stage(stage, ROOT / "data" / "raw", moved) for stage in registry.NAMES]
    assert all(r["skipped"] for r in results)
    con = duckdb.connect(str(moved / "berita.duckdb"), read_only=True)
    assert con.sql("SELECT count(*) FROM articles").fetchall()[0][0] == 5


def test_sql_writes_csv_by_default_when_piped(corpus):
    r = runner.invoke(
        app, ["sql", "SELECT article_id FROM articles ORDER BY 1 LIMIT 2", "-o", str(corpus)]
    )
    assert (
        r.exit_code == 0
        and r.stdout.splitlines()[0] == "article_id"
        and len(r.stdout.splitlines()) == 3
    )
