from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "raw"
SHARED = ROOT.parent / "shared"
GOLD_PATH = SHARED / "seeds" / "gold.json"


@pytest.fixture(scope="session")
def gold() -> dict:
    if not GOLD_PATH.exists():
        pytest.skip("../shared/seeds/gold.json not present")
    return json.loads(GOLD_PATH.read_text(encoding="utf-8"))


def run_all(input_dir: Path, output: Path) -> list[dict]:
    from tasks import stages

    return [
        stages.run_ingest(input_dir, output),
        stages.run_clean(output),
        stages.run_dedup(output),
        stages.run_extract(output),
    ]


@pytest.fixture(scope="session")
def sample_output(tmp_path_factory) -> Path:
    """The sample (data/raw) run once through all stages without Prefect."""
    out = tmp_path_factory.mktemp("processed")
    run_all(SAMPLE, out)
    return out


@pytest.fixture()
def raw_dir(tmp_path) -> Path:
    d = tmp_path / "raw"
    shutil.copytree(SAMPLE, d)
    return d
