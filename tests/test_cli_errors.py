"""Errors a user sees are one line saying what and where; the traceback goes to
<output>/berita.log."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tasks.cli import app

runner = CliRunner()


def _one_line_error(result, *needles: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:") and "Traceback" not in result.output
    for n in needles:
        assert n in lines[0], lines[0]
    return lines[0]


def test_missing_input_dir_is_one_line_with_the_path_and_the_log_has_the_traceback(tmp_path):
    out = tmp_path / "out"
    r = runner.invoke(app, ["run", "--no-prefect", "-i", str(tmp_path / "nope"), "-o", str(out)])
    _one_line_error(r, "input directory", str(tmp_path / "nope"), "does not exist", "berita.log")
    assert "Traceback" in (out / "berita.log").read_text()


def test_corrupt_dataset_names_the_file_and_the_command_that_rebuilds_it(tmp_path, sample_output):
    out = tmp_path / "out"
    (out / "ingest").mkdir(parents=True)
    (out / "ingest" / "articles.parquet").write_bytes(b"PAR1 this is not really parquet")
    r = runner.invoke(app, ["run", "--no-prefect", "-o", str(out), "--stage", "clean"])
    _one_line_error(r, str(out / "ingest" / "articles.parquet"), "berita run --from ingest")


def test_stage_run_before_its_input_exists_says_which_stage_to_run(tmp_path):
    r = runner.invoke(app, ["run", "--no-prefect", "-o", str(tmp_path), "--stage", "dedup"])
    _one_line_error(r, "clean/paragraphs.parquet", "berita run --from clean")


@pytest.mark.parametrize("args,needle", [
    (["run", "--no-prefect", "--stage", "bogus"], "unknown stage 'bogus'"),
    (["show", "zzzz"], "no article with id starting 'zzzz'"),
    (["sql", "SELEC * FROM articles"], "syntax error"),
])
def test_bad_arguments_are_one_line(args, needle, sample_output: Path):
    r = runner.invoke(app, [*args, "-o", str(sample_output)])
    _one_line_error(r, needle)
