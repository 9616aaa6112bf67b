"""Clean and extract in batches (as on Dask workers) write the same tables as the serial run."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tasks import stages


def _local_map(output: Path):
    def run(stage: str, plan: list[tuple]) -> list:
        # any execution order, results in plan order
        return [stages.run_batch(stage, output, *args) for args in reversed(plan)][::-1]
    return run


def _tables(out: Path) -> dict[str, pl.DataFrame]:
    """Every dataset's rows (the serial run streams row groups, so the files' bytes differ, not the
    tables)."""
    return {
        p.relative_to(out).as_posix(): pl.read_parquet(p)
        for p in sorted(out.rglob("*.parquet"))
        if not p.relative_to(out).as_posix().startswith(".")
    }


def test_batched_clean_and_extract_equal_the_serial_run(raw_dir, tmp_path):
    # a story spanning batches
    (raw_dir / "copy.txt").write_text((raw_dir / "001_d570b8d179dc85b6.txt").read_text())
    (raw_dir / "banjir.txt").write_text(
        "Banjir Rendam Ratusan Rumah di Bekasi\n\nBEKASI, KOMPAS.com - Banjir merendam ratusan "
        "rumah di Bekasi Timur "
        "setelah hujan deras sejak Minggu malam.\n\n“Air masuk ke rumah sejak pukul dua dini "
        "hari,” kata warga bernama Siti Aminah.")
    (raw_dir / "pasar.txt").write_text(
        "Harga Cabai Naik Jelang Lebaran\n\nSURABAYA, KOMPAS.com - Harga cabai rawit di Pasar "
        "Keputran naik menjadi "
        "Rp 80.000 per kilogram.\n\n“Pasokan dari petani berkurang karena hujan,” ujar pedagang "
        "bernama Slamet Riyadi.")
    serial, batched = tmp_path / "serial", tmp_path / "batched"
    for s in stages.resolve_stages():
        stages.run_stage(s, raw_dir, serial)
        stages.run_stage(s, raw_dir, batched, map_batches=_local_map(batched), batch_size=2)
    from tasks.clean import stage as clean_stage
    from tasks.extract import stage as extract_stage

    plan = extract_stage.plan(batched, 2)
    assert len(plan) >= 2 and len(clean_stage.plan(batched, 2)) == 4
    # differs only by the ingested_at timestamp of two separate runs
    ingest = "ingest/articles.parquet"
    s, b = _tables(serial), _tables(batched)
    assert {k for k in s if k != ingest} == {k for k in b if k != ingest}
    assert all(s[k].equals(b[k]) for k in s if k != ingest)
    assert s[ingest].drop("ingested_at").equals(b[ingest].drop("ingested_at"))
    assert not list((batched / ".work").glob("*.parquet"))
