"""Dedup + stories at N and 2N articles: time per step, the 2N/N time ratio, and peak RSS (flow +
workers).

The corpora are bench/scale_bench.py's (`build_raw`: the real CLICK-ID articles, then new ones with
40% of their content words replaced, 10% of those wire copies), built under bench/out/scale of this
checkout, or read from an existing cache of them (--raw-cache, read only). Each size runs in a fresh
process: ingest and clean once (skipped by the manifest when already done), then the dedup stage
with --force, its steps timed by wrapping the functions dedup calls (no change to the stage):

- features: pass 1 (normalise, hash, sign the paragraphs; signatures on the workers);
- paragraph copies: LSH grouping and the copy decisions (dedup's memory peak);
- article copies: the paragraph rule (tasks/dedup/article_copies.py);
- sentence copies: the sentence rule over the sentence keys (tasks/dedup/sentence_copies.py); the
  keys themselves are cut and hashed in the output pass, beside the lead words (on the workers), so
  their cost is in that pass;
- story weights, story clusters: tasks/dedup/events.py's term weights and event_labels;
- output pass and rest: the dedup stage's time minus the above (writing dedup/paragraphs, lead
  words).

    .venv/bin/python bench/dedup_scale.py --sizes 20000,40000            # small, to check it works
    .venv/bin/python bench/dedup_scale.py --sizes 250000,500000,1000000  # the big run, on a quiet
    machine

Prints, per size, every step's seconds and the dedup stage's peak RSS (flow process, each worker,
and both sampled together), the sentence keys held (12 bytes each) per article, and the ratio of
each step's time between consecutive sizes (near-linear: 2x the data <= 2.2x the time).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scale_bench  # noqa: E402

OUT = ROOT / "bench" / "out" / "dedup_scale"
# timed for their peak only: their time is in the steps they hold or in "output pass and rest"
NESTED = {"output pass", "stories (weights + clusters)"}
STEPS = [
    "features",
    "paragraph copies",
    "article copies",
    "sentence copies",
    "story weights",
    "story clusters",
]


def find_raw(n: int, caches: list[Path]) -> Path:
    """The scale corpus of n articles: from a cache when one holds it complete, else built here."""
    name = f"raw_{n}_v{scale_bench.CORPUS_VERSION}"
    for c in caches:
        if (c / name / ".done").exists():
            return c / name
    scale_bench.OUT = ROOT / "bench" / "out" / "scale"
    return scale_bench.build_raw(n)


def _rss_mib() -> float:
    """This process's resident size now (MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Peaks:
    """Each step's own peak RSS in the flow process: the high-water mark is reset as a step starts
    (Linux clear_refs) and read as it ends; open outer steps and the whole run keep the maximum
    seen, so nesting (stories around event_labels) and the run's peak stay right."""

    def __init__(self) -> None:
        self.open: list[float] = [0.0]  # the run's, then each open step's, running maximum
        self.own: dict[str, int] = {}  # step -> its own peak (MiB), the largest over its calls
        self.start: dict[str, int] = {}  # step -> the resident size as it started (MiB)

    def enter(self, step: str) -> None:
        h = scale_bench._peak_mib()
        self.open = [max(m, h) for m in self.open]
        self.start.setdefault(step, round(_rss_mib()))
        scale_bench._reset_peak()
        self.open.append(0.0)

    def leave(self, step: str) -> None:
        p = max(self.open.pop(), scale_bench._peak_mib())
        self.open = [max(m, p) for m in self.open]
        self.own[step] = max(self.own.get(step, 0), round(p))

    def run_peak(self) -> float:
        return max(self.open[0], scale_bench._peak_mib())


OPEN: list[list[float]] = []  # the open timed calls' time spent in timed steps inside them


def timed(
    module: object, name: str, step: str, spent: dict[str, float], counts: dict[str, int],
    peaks: Peaks,
) -> None:
    """Wrap module.name so its calls add their wall time to spent[step] and its peak to peaks; a
    timed step called inside another (story weights, read by the story clustering as it goes) is
    counted in its own step only."""
    fn = getattr(module, name)

    def wrapper(*args, **kwargs):
        if name == "with_sentence_copies":  # the keys the output pass gathered (on the workers)
            counts["sentence_keys"] = counts.get("sentence_keys", 0) + sum(
                len(k) for k, _ in args[1]
            )
        t = time.perf_counter()
        peaks.enter(step)
        OPEN.append([0.0])
        try:
            out = fn(*args, **kwargs)
        finally:
            peaks.leave(step)
            inner = OPEN.pop()[0]
        took = time.perf_counter() - t
        if step not in NESTED:
            spent[step] = spent.get(step, 0.0) + took - inner
            if OPEN:
                OPEN[-1][0] += took
        return out

    setattr(module, name, wrapper)


def child(n: int, raw: Path, workers: int) -> None:
    from tasks import stages
    from tasks.dedup import dedup, events

    out = OUT / f"processed_{n}"
    for s in ("ingest", "clean"):
        stages.run_stage(s, raw, out, workers=workers)
    spent: dict[str, float] = {}
    counts: dict[str, int] = {}
    peaks = Peaks()
    for mod, name, step in [
        (dedup, "output_rows", "output pass"),
        (dedup, "stories", "stories (weights + clusters)"),
        (dedup, "scan_features", "features"),
        (dedup, "paragraph_copies", "paragraph copies"),
        (dedup, "article_copies", "article copies"),
        (dedup, "with_sentence_copies", "sentence copies"),
        (events, "term_weights", "story weights"),
        (events, "event_labels", "story clusters"),
    ]:
        if hasattr(mod, name):
            timed(mod, name, step, spent, counts, peaks)
    scale_bench._reset_peak()
    sampler = scale_bench.TotalRss()
    t = time.perf_counter()
    stats = stages.run_stage("dedup", raw, out, force=True, workers=workers)
    total = time.perf_counter() - t
    res = {
        "articles": n,
        "dedup": total,
        **spent,
        "output pass and rest": total - sum(spent.values()),
        "flow_peak_mib": peaks.run_peak(),
        "together_peak_mib": sampler.stop(),
        "worker_peak_mib": sampler.worker_peak_mib,
        "sentence_keys": counts.get("sentence_keys", 0),
        "step_peak_mib": peaks.own,
        "step_start_mib": peaks.start,
        "stats": {k: v for k, v in (stats or {}).items() if isinstance(v, int | float)},
    }
    from tasks.parallel import shutdown

    shutdown()
    print(json.dumps(res))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="20000,40000")
    ap.add_argument("--workers", type=int, default=0, help="worker processes (default: all CPUs)")
    ap.add_argument("--raw-cache", action="append", default=[],
                    help="a folder holding raw_<n>_v<version> corpora to read (never written); "
                         "repeatable")
    ap.add_argument("--child", type=int)
    ap.add_argument("--raw")
    args = ap.parse_args()
    from tasks.parallel import default_workers

    workers = args.workers or default_workers()
    if args.child:
        child(args.child, Path(args.raw), workers)
        return
    caches = [Path(c) for c in args.raw_cache] + [ROOT / "bench" / "out" / "scale"]
    results = []
    for n in (int(x) for x in args.sizes.split(",")):
        raw = find_raw(n, caches)
        r = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                str(n),
                "--raw",
                str(raw),
                "--workers",
                str(workers),
            ],
            capture_output=True,
            text=True,
        )
        if r.returncode:
            sys.exit(f"the {n:,}-article run failed:\n{r.stderr[-3000:]}")
        res = json.loads(r.stdout.strip().splitlines()[-1])
        results.append(res)
        steps = "  ".join(f"{s} {res.get(s, 0.0):.1f}s" for s in [*STEPS, "output pass and rest"])
        print(
            f"{n:>9,} articles, {workers} worker(s): dedup {res['dedup']:.1f}s | {steps}",
            flush=True,
        )
        print(
            f"{'':>9}  peak RSS: flow {res['flow_peak_mib']:.0f} MiB, each worker <= "
            f"{res['worker_peak_mib']:.0f} "
            f"MiB, together {res['together_peak_mib']:.0f} MiB; sentence keys "
            f"{res['sentence_keys']:,} "
            f"({12 * res['sentence_keys'] / n:.0f} bytes an article); {json.dumps(res['stats'])}",
            flush=True,
        )
        own = "  ".join(f"{s} {res['step_start_mib'][s]:,}->{v:,}"
                        for s, v in res.get("step_peak_mib", {}).items())
        print(f"{'':>9}  flow RSS (MiB) as each step starts -> its own peak: {own}", flush=True)
    for a, b in zip(results, results[1:], strict=False):
        x = b["articles"] / a["articles"]
        ratios = "  ".join(
            f"{s} x{b.get(s, 0) / a[s]:.2f}"
            for s in ["dedup", *STEPS, "output pass and rest"]
            if a.get(s)
        )
        print(
            f"{a['articles']:,} -> {b['articles']:,} (x{x:.1f} the articles): {ratios}", flush=True
        )


if __name__ == "__main__":
    main()
