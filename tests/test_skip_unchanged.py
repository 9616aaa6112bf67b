"""A rerun skips the stages whose inputs did not change, and reruns exactly the ones a change
affects."""

from __future__ import annotations

from pathlib import Path

from tasks import manifest, stages

STAGES = ["ingest", "clean", "dedup", "extract"]


def _run(raw: Path, out: Path, force: bool = False) -> dict[str, bool]:
    return {s: bool(stages.run_stage(s, raw, out, force=force)["skipped"]) for s in STAGES}


def _bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.parquet")}


def test_unchanged_rerun_skips_every_stage_and_keeps_the_data(raw_dir, tmp_path):
    out = tmp_path / "out"
    assert _run(raw_dir, out) == dict.fromkeys(STAGES, False)
    before = _bytes(out)
    assert _run(raw_dir, out) == dict.fromkeys(STAGES, True)
    assert _bytes(out) == before
    assert _run(raw_dir, out, force=True) == dict.fromkeys(STAGES, False)
    assert _bytes(out) == before


def test_a_changed_raw_file_reruns_ingest_and_what_follows(raw_dir, tmp_path):
    out = tmp_path / "out"
    _run(raw_dir, out)
    f = sorted(raw_dir.glob("*.txt"))[0]
    f.write_text(f.read_text() + "\n\nParagraf tambahan yang baru saja ditulis redaksi.")
    assert _run(raw_dir, out) == dict.fromkeys(STAGES, False)


def test_an_unrecognised_output_file_makes_its_stage_run_again(raw_dir, tmp_path):
    out = tmp_path / "out"
    _run(raw_dir, out)
    (out / "extract" / "quotes.parquet").unlink()
    assert _run(raw_dir, out) == {"ingest": True, "clean": True, "dedup": True, "extract": False}


def test_a_changed_rule_table_changes_the_code_fingerprint(monkeypatch, raw_dir, tmp_path):
    out = tmp_path / "out"
    _run(raw_dir, out)
    monkeypatch.setattr(manifest, "code_version", lambda stage: f"{stage}-rules-edited")
    assert _run(raw_dir, out) == dict.fromkeys(STAGES, False)
