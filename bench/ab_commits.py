"""Two commits back to back on the same corpus: bench/stage_cpu.py run alternately in a checkout of
each (A B A B ...), so the VM's drift between hours falls on both alike. Prints each run's wall time
per stage, then per stage the median of each side and their ratio.

    .venv/bin/python bench/ab_commits.py 78dd5d9            # that commit against this checkout
    .venv/bin/python bench/ab_commits.py HEAD~1 --rounds 3  # this checkout against its parent

A is the given commit, in a temporary git worktree (removed at the end) that shares this checkout's
.venv and bench/out/scale (so the corpus is built once: bench/scale_bench.py --sizes N); B is this
checkout as it is on disk, uncommitted changes included. A commit whose stage_cpu.py differs is run
with its own.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINE = re.compile(r"^(\w+)\s+wall\s+([\d.]+)s")


def run_stage_cpu(checkout: Path, n: int) -> dict[str, float]:
    """Wall seconds per stage (and total) of one bench/stage_cpu.py run in checkout."""
    r = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "bench/stage_cpu.py", str(n)],
                       cwd=checkout, capture_output=True, text=True)
    if r.returncode:
        sys.exit(f"bench/stage_cpu.py failed in {checkout}:\n{r.stderr[-2000:]}")
    return {m.group(1): float(m.group(2)) for m in map(LINE.match, r.stdout.splitlines()) if m}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("commit", help="A: the commit to compare this checkout (B) with")
    ap.add_argument("--size", type=int, default=100_000, help="articles (the scale corpus)")
    ap.add_argument("--rounds", type=int, default=2, help="A B pairs")
    args = ap.parse_args()
    raw = ROOT / "bench" / "out" / "scale" / f"raw_{args.size}_v2"
    if not raw.is_dir():
        sys.exit(f"{raw} not found: build it with bench/scale_bench.py --sizes {args.size}")
    sha = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=ROOT,
                         capture_output=True, text=True)
    if sha.returncode:
        sys.exit(f"unknown commit {args.commit!r}")
    with tempfile.TemporaryDirectory(prefix="berita-ab-") as tmp:
        a = Path(tmp) / sha.stdout.strip()
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(a), args.commit],
                       cwd=ROOT, check=True)
        try:
            (a / ".venv").symlink_to(ROOT / ".venv")
            (a / "bench" / "out").mkdir(parents=True, exist_ok=True)
            (a / "bench" / "out" / "scale").symlink_to(ROOT / "bench" / "out" / "scale")
            runs: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
            for k in range(args.rounds):
                for side, checkout in (("A", a), ("B", ROOT)):
                    t = run_stage_cpu(checkout, args.size)
                    runs[side].append(t)
                    parts = "  ".join(f"{s} {v:.1f}s" for s, v in t.items())
                    print(f"round {k + 1} {side}: {parts}", flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(a)], cwd=ROOT)
    print(f"A = {args.commit} ({sha.stdout.strip()}), B = this checkout; medians of "
          f"{args.rounds} runs each, {args.size:,} articles:")
    for stage in runs["B"][0]:
        ma = statistics.median(r[stage] for r in runs["A"])
        mb = statistics.median(r[stage] for r in runs["B"])
        print(f"  {stage:8s} A {ma:7.1f}s  B {mb:7.1f}s  B/A {mb / ma:5.2f}")


if __name__ == "__main__":
    main()
