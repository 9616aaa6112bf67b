"""Crash safety and concurrent runs, with real processes: a run killed mid-stage leaves the previous
datasets readable and intact and a rerun completes identically; a second run on the same output
waits or refuses."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from tasks import io, schema

from .conftest import ROOT, SAMPLE


def _corpus(raw: Path, n: int = 3000) -> None:
    """n distinct articles re-mixed from the sample's paragraphs, as one JSONL export
    (deterministic)."""
    rng = random.Random(7)
    paras = [
        p.strip()
        for f in sorted(SAMPLE.glob("*.txt"))
        for p in f.read_text().split("\n\n")
        if len(p.strip()) > 80
    ]
    towns = [
        "Bogor",
        "Depok",
        "Bekasi",
        "Garut",
        "Cirebon",
        "Tegal",
        "Kudus",
        "Blitar",
        "Jember",
        "Sorong",
    ]
    with open(raw / "export.jsonl", "w", encoding="utf-8") as fh:
        for i in range(n):
            body = rng.sample(paras, 6)
            body.insert(2, f"Warga {rng.choice(towns)} nomor {i} melaporkan {rng.randint(2, 900)} "
                           "kejadian serupa pekan ini.")
            fh.write(
                json.dumps(
                    {
                        "title": f"Berita nomor {i} dari {rng.choice(towns)}",
                        "content": "\n\n".join(body),
                        "url": f"https://contoh{i % 7}.co.id/read/{i}",
                        "date": f"{1 + i % 28} Juni 2024 10:{i % 60:02d} WIB",
                    }
                )
                + "\n"
            )


def _berita(*args: str) -> list[str]:
    return [sys.executable, "-u", "-c", "from tasks.cli import main; main()", *args]


def _digest(out: Path) -> dict[str, str]:
    return {
        t.relpath: hashlib.sha256((out / t.relpath).read_bytes()).hexdigest() for t in schema.TABLES
    }


def _start(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "COLUMNS": "200"}
    return subprocess.Popen(
        _berita(*args),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )


def _wait_for_line(proc: subprocess.Popen[str], needle: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if needle in line:
            return
        if not line and proc.poll() is not None:
            break
    pytest.fail(f"never saw {needle!r} (rc={proc.poll()})")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """The corpus and a complete, uninterrupted run of it (the 'previous good datasets')."""
    root = tmp_path_factory.mktemp("crash")
    raw = root / "raw"
    raw.mkdir()
    _corpus(raw)
    good = root / "good"
    r = subprocess.run(
        _berita("run", "--no-prefect", "-i", str(raw), "-o", str(good)),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    return raw, good, _digest(good)


@pytest.mark.parametrize("stage", ["dedup", "extract"])
def test_run_killed_mid_stage_leaves_previous_data_intact_and_rerun_matches(
    corpus, stage, tmp_path
):
    raw, good, digest = corpus
    out = tmp_path / "out"
    out.mkdir()
    for t in schema.TABLES:  # start from copies of the previous good datasets
        (out / t.relpath).parent.mkdir(parents=True, exist_ok=True)
        (out / t.relpath).write_bytes((good / t.relpath).read_bytes())
    proc = _start(["run", "--no-prefect", "-i", str(raw), "-o", str(out), "--from", "clean"])
    _wait_for_line(proc, f"{stage} ...")
    time.sleep(0.5)  # inside the stage now
    assert proc.poll() is None, "the run finished before it could be killed: make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    assert _digest(out) == digest  # every dataset still the previous good bytes, and readable:
    for t in schema.TABLES:
        assert io.read_table(out, t).columns == list(t.columns)

    r = subprocess.run(
        _berita("run", "--no-prefect", "-i", str(raw), "-o", str(out), "--from", "clean"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stdout + r.stderr  # the dead run's lock does not block it
    assert _digest(out) == digest
    assert not list(out.rglob("*.tmp"))


def test_second_run_refuses_then_waits_and_never_interleaves(corpus, tmp_path):
    raw, _, digest = corpus
    out = tmp_path / "out"
    first = _start(["run", "--no-prefect", "-i", str(raw), "-o", str(out)])
    _wait_for_line(first, "clean ...")
    refused = subprocess.run(
        _berita("run", "--no-prefect", "-i", str(raw), "-o", str(out)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert refused.returncode == 1
    msg = refused.stderr.strip()
    assert len(msg.splitlines()) == 1 and "another berita run" in msg and str(first.pid) in msg, msg
    assert "Traceback" not in refused.stdout + refused.stderr

    waited = subprocess.run(
        _berita("run", "--no-prefect", "-i", str(raw), "-o", str(out), "--wait", "300"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert first.wait() == 0
    assert waited.returncode == 0, waited.stdout + waited.stderr
    # differs from the fixture's run only by the ingested_at timestamp
    ingest = schema.INGEST_ARTICLES.relpath
    assert {k: v for k, v in _digest(out).items() if k != ingest} == {
        k: v for k, v in digest.items() if k != ingest
    }
    good = io.read_table(corpus[1], schema.INGEST_ARTICLES).drop("ingested_at")
    assert io.read_table(out, schema.INGEST_ARTICLES).drop("ingested_at").equals(good)


def test_stale_temp_files_of_a_killed_write_are_removed_by_the_next_run(tmp_path):
    (tmp_path / "clean").mkdir()
    stale = tmp_path / "clean" / ".paragraphs.parquet.12345.tmp"
    stale.write_bytes(b"PAR1 half written")
    with io.run_lock(tmp_path):
        assert not stale.exists()
    pl.scan_parquet(tmp_path / "clean")  # the dataset folder holds nothing but Parquet
