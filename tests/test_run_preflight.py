"""`berita run` answers bad input and all-skipped runs before it loads Prefect: the same one line
and exit code as `--no-prefect`, and no temporary server for a run with nothing to do."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tasks.cli import app

# the CLI in a fresh interpreter, reporting whether Prefect was imported (it boots a temporary
# server when run)
PROBE = ("import sys; from typer.testing import CliRunner; from tasks.cli import app; "
         "r = CliRunner().invoke(app, sys.argv[1:]); "
         "print(r.exit_code); print(r.stdout); print(r.stderr, file=sys.stderr); "
         "print('PREFECT-IMPORTED' if any(m == 'prefect' or m.startswith('prefect.') for m in "
         "sys.modules) else '')")


def _cli(*args: str) -> tuple[int, str, str, float]:
    t0 = time.perf_counter()
    p = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    code, _, out = p.stdout.partition("\n")
    return int(code), out, p.stderr.strip(), time.perf_counter() - t0


@pytest.mark.parametrize(
    "args",
    [
        ["-i", "{tmp}/no-such-folder"],
        ["--stage", "dedup"],  # clean/paragraphs.parquet missing
        ["--from", "clena"],
    ],
)
def test_bad_input_is_the_same_one_line_with_and_without_prefect_and_prefect_is_never_loaded(
    args, tmp_path
):
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    out = str(tmp_path / "out")
    code_p, stdout_p, err_p, _ = _cli("run", *args, "-o", out)
    code_n, _, err_n, _ = _cli("run", "--no-prefect", *args, "-o", out)
    assert code_p == code_n == 1
    assert "PREFECT-IMPORTED" not in stdout_p
    assert err_p == err_n and len(err_p.splitlines()) == 1 and err_p.startswith("error:"), err_p


def test_a_run_whose_every_stage_is_unchanged_is_answered_from_the_manifest_without_prefect(
    raw_dir, tmp_path
):
    out = tmp_path / "out"
    first = CliRunner().invoke(
        app, ["run", "--no-prefect", "-w", "1", "-i", str(raw_dir), "-o", str(out)]
    )
    assert first.exit_code == 0, first.output
    code, stdout, err, _ = _cli("run", "-i", str(raw_dir), "-o", str(out))
    assert code == 0, err
    assert "PREFECT-IMPORTED" not in stdout
    assert stdout.count("skipped: inputs unchanged") == 4, stdout
    # a changed input is not skipped: that run needs Prefect (here: no-prefect, to stay fast)
    (Path(raw_dir) / "baru.txt").write_text(
        "Judul Baru\n\nJAKARTA - Sebuah berita baru yang cukup "
        "panjang untuk "
        "dibaca sebagai artikel oleh berita hari ini.",
        encoding="utf-8",
    )
    again = CliRunner().invoke(
        app, ["run", "--no-prefect", "-w", "1", "-i", str(raw_dir), "-o", str(out)]
    )
    assert again.exit_code == 0 and again.stdout.count("skipped: inputs unchanged") == 0, (
        again.output
    )


def test_a_locked_output_is_refused_before_prefect_loads(tmp_path, raw_dir):
    from tasks import io

    out = tmp_path / "out"
    with io.run_lock(out):
        code, stdout, err, _ = _cli("run", "-i", str(raw_dir), "-o", str(out))
    assert code == 1 and "PREFECT-IMPORTED" not in stdout
    assert err.startswith("error: another berita run") and len(err.splitlines()) == 1, err
