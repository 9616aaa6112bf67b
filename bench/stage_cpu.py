"""Where a pipeline run's time goes: per stage, the wall time, the CPU time of the flow process (the
one running the stages) and the whole machine's busy CPU time (flow process + workers + anything
else running), over the scale corpus of N articles that bench/scale_bench.py built. A stage whose
flow CPU is close to its wall time is bound by the flow process; one whose machine CPU is twice its
wall time uses both cores.

    .venv/bin/python bench/scale_bench.py --sizes 100000   # builds bench/out/scale/raw_100000_v2
    first .venv/bin/python bench/stage_cpu.py 100000
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _busy_seconds() -> float:
    """CPU seconds the machine has spent not idle since boot (Linux /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    from tasks import stages
    from tasks.parallel import default_workers, shutdown

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    raw, out = Path(f"bench/out/scale/raw_{n}_v2"), Path(f"bench/out/scale/stage_cpu_{n}")
    if not raw.is_dir():
        sys.exit(f"{raw} not found: build it with bench/scale_bench.py --sizes {n}")
    shutil.rmtree(out, ignore_errors=True)
    workers = default_workers()
    start = time.perf_counter()
    for stage in stages.resolve_stages():
        t, cpu, busy = time.perf_counter(), _own_cpu(), _busy_seconds()
        stages.run_stage(stage, raw, out, force=True, workers=workers)
        print(f"{stage:8s} wall {time.perf_counter() - t:7.1f}s  flow process CPU "
              f"{_own_cpu() - cpu:7.1f}s  "
              f"machine busy CPU {_busy_seconds() - busy:7.1f}s", flush=True)
    print(f"total    wall {time.perf_counter() - start:7.1f}s ({workers} workers)")
    shutdown()


if __name__ == "__main__":  # workers are spawned: they import this module
    main()
