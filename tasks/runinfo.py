"""What made the datasets in an output folder: per stage, when it last ran, over which input, with
which code.

Kept in `<output>/.berita-run.json` (a dot-file: never a dataset, never ingested), written under the
run lock when a stage finishes (a skipped stage keeps its entry). The report shows it; nothing else
depends on it.
"""

from __future__ import annotations

import json
import subprocess
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

RUN_INFO = ".berita-run.json"


@cache
def code_commit() -> str | None:
    """The git commit of the berita code in use (with '+dirty' when its files differ), or None
    outside git."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "status",
                "--porcelain",
                "--untracked-files=no",
                "--",
                "tasks",
                "flows",
            ],
            capture_output=True,
            text=True,
            timeout=5,
        )
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def load(output: Path) -> dict[str, dict]:
    """The recorded stages ({} when none, or when the file is unreadable)."""
    try:
        data = json.loads((Path(output) / RUN_INFO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def record_stage(
    stage: str, input_dir: Path | None, output: Path, *, now: datetime | None = None
) -> None:
    """Remember that `stage` just wrote its tables (atomic write; called under the run lock)."""
    entry: dict[str, object] = {
        "finished_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "commit": code_commit(),
    }
    if input_dir is not None:
        entry["input"] = str(Path(input_dir).resolve())
    record(output, stage, entry)


def record(output: Path, key: str, entry: dict[str, object]) -> None:
    """Set one entry of the file (atomic write; called under the run lock)."""
    data = load(output)
    data[key] = entry
    from tasks.io import atomic_write_bytes

    atomic_write_bytes(
        Path(output) / RUN_INFO, json.dumps(data, indent=1, sort_keys=True).encode("utf-8")
    )
