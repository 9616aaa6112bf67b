"""Full-pipeline scale benchmark: corpora of N articles built from the real CLICK-ID corpus (the
real articles, then new ones whose paragraphs have 40% of their content words replaced by other
corpus words, function words kept so the text still reads as Indonesian, 10% of those wire copies of
an earlier article), written as JSONL exports of 5,000 rows, then ingest -> clean -> dedup ->
extract in a fresh process per size. Prints per-stage articles/s, total wall time, peak RSS (the
flow process's, each worker's, and the sampled sum of the flow process and its workers), and the
time of an unchanged rerun.

    .venv/bin/python bench/scale_bench.py [--sizes 10000,50000]
"""

from __future__ import annotations

import argparse
import ast
import json
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

OUT = Path("bench/out/scale")
BASELINE_ARTICLES = 2000  # the baseline is slow: timed on the first articles of the same corpus
WORD = re.compile(r"\w+")


CORPUS_VERSION = 2  # bump when the corpus recipe changes (the raw folders are cached)


def build_raw(n: int) -> Path:
    raw = OUT / f"raw_{n}_v{CORPUS_VERSION}"
    if (raw / ".done").exists():  # a dot-file: ingest skips it
        return raw
    from bench.corpus import real_clean

    arts, _ = real_clean()
    rows = arts.select("raw_text", "title_hint", "url", "published_hint", "outlet_hint").to_dicts()
    rng = random.Random(5)
    from tasks import rules

    keep = rules.function_words("id") | rules.function_words("en")
    vocab = [
        w
        for w in WORD.findall(" ".join(r["raw_text"] for r in rows[:3000]))
        if len(w) > 3 and w.lower() not in keep
    ]
    raw.mkdir(parents=True, exist_ok=True)
    fh = None
    for i in range(n):
        if i % 5000 == 0:
            if fh:
                fh.close()
            fh = open(raw / f"part_{i // 5000:04d}.jsonl", "w", encoding="utf-8")
        src = dict(rows[i % len(rows)])
        if i >= len(rows):
            if rng.random() < 0.1:  # wire copy of an earlier article, one number changed
                src["raw_text"] = re.sub(
                    r"\d+", lambda m: str(int(m.group()) + 1), src["raw_text"], count=1
                )
            else:
                lines = src["raw_text"].split("\n")
                src["raw_text"] = "\n".join(
                    " ".join(
                        rng.choice(vocab) if w.lower() not in keep and rng.random() < 0.4 else w
                        for w in ln.split(" ")
                    )
                    for ln in lines
                )
            src["title_hint"] = f"{src['title_hint']} ({i})"
            src["url"] = f"{src['url']}?copy={i}"
        fh.write(
            json.dumps(
                {
                    "content": src["raw_text"],
                    "title": src["title_hint"],
                    "url": src["url"],
                    "date": src["published_hint"],
                    "source": src["outlet_hint"],
                },
                ensure_ascii=False,
            )
            + "\n"
        )
    if fh:
        fh.close()
    (raw / ".done").write_text("")
    return raw


def _reset_peak() -> None:
    """Reset this process's peak RSS (Linux: /proc/self/clear_refs), so each stage's own peak is
    measured."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _peak_mib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


class TotalRss:
    """Samples the RSS of this process plus its worker processes every 0.2 s: the machine memory the
    run needs at once (each process's own peak says less: the flow process and the workers peak at
    different times). Also keeps the largest worker high-water mark (VmHWM) seen. Not
    getrusage(RUSAGE_CHILDREN): a worker started while this process is big is counted at this
    process's size for the instant between its fork and its exec, though it shares those pages."""

    def __init__(self) -> None:
        import threading

        self.peak_mib = 0.0
        self.worker_peak_mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _status_mib(pid: str, field: str = "VmRSS:") -> float:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
        except OSError:
            pass
        return 0.0

    def _run(self) -> None:
        import multiprocessing

        while not self._stop.wait(0.2):
            workers = [str(p.pid) for p in multiprocessing.active_children()]
            total = self._status_mib("self") + sum(self._status_mib(w) for w in workers)
            self.peak_mib = max(self.peak_mib, total)
            self.worker_peak_mib = max(
                [self.worker_peak_mib, *(self._status_mib(w, "VmHWM:") for w in workers)]
            )

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mib


def child(n: int, workers: int) -> None:
    from tasks import stages

    raw, out = OUT / f"raw_{n}_v{CORPUS_VERSION}", OUT / f"processed_{n}"
    # a first run: no dedup index or manifest from an earlier benchmark
    shutil.rmtree(out, ignore_errors=True)
    res = {}
    t0 = time.perf_counter()
    for s in stages.resolve_stages():
        _reset_peak()
        sampler = TotalRss()
        t = time.perf_counter()
        stages.run_stage(s, raw, out, force=True, workers=workers)
        res[s] = time.perf_counter() - t
        res[f"{s}_peak_mib"] = _peak_mib()
        res[f"{s}_total_peak_mib"] = sampler.stop()
        res[f"{s}_worker_peak_mib"] = sampler.worker_peak_mib
    res["total"] = time.perf_counter() - t0
    t = time.perf_counter()
    for s in stages.resolve_stages():
        stages.run_stage(s, raw, out, workers=workers)
    res["rerun"] = time.perf_counter() - t
    from tasks.parallel import shutdown

    shutdown()
    # each stage's peak was measured after resetting the high-water mark, so the run's peak is the
    # largest
    res["peak_rss_mib"] = max(res[f"{s}_peak_mib"] for s in stages.resolve_stages())
    res["worker_peak_rss_mib"] = max(res[f"{s}_worker_peak_mib"] for s in stages.resolve_stages())
    res["total_peak_rss_mib"] = max(res[f"{s}_total_peak_mib"] for s in stages.resolve_stages())
    print(json.dumps(res))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--child", type=int)
    ap.add_argument("--workers", type=int, default=0, help="worker processes (default: all CPUs)")
    args = ap.parse_args()
    from tasks.parallel import default_workers

    workers = args.workers or default_workers()
    if args.child:
        child(args.child, workers)
        return
    try:  # the baseline's library, checked before a long run rather than after it
        import datasketch  # noqa: F401
    except ImportError:
        sys.exit("the naive baseline needs the bench extra: .venv/bin/pip install -c "
                 "constraints.txt -e '.[bench]'")
    for n in (int(x) for x in args.sizes.split(",")):
        build_raw(n)
        r = subprocess.run([sys.executable, __file__, "--child", str(n), "--workers", str(workers)],
                           capture_output=True, text=True)
        if r.returncode:
            sys.exit(f"the {n:,}-article run failed:\n{r.stderr[-3000:]}")
        res = json.loads(r.stdout.strip().splitlines()[-1])
        # kept even if the baseline fails
        print(f"{n:>9,} articles, raw figures: {json.dumps(res)}", flush=True)
        base = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.naive_baseline",
                str(build_raw(n)),
                str(min(n, BASELINE_ARTICLES)),
            ],
            capture_output=True,
            text=True,
        )
        if base.returncode:
            sys.exit(f"the naive baseline failed:\n{base.stderr[-3000:]}")
        b = ast.literal_eval(base.stdout.strip().splitlines()[-1])
        stages_txt = "  ".join(f"{s} {res[s]:.1f}s ({n / res[s]:.0f}/s, peak "
                               f"{res[s + '_peak_mib']:.0f} MiB, "
                               f"with workers {res[s + '_total_peak_mib']:.0f} MiB)"
                               for s in ("ingest", "clean", "dedup", "extract"))
        print(f"{n:>9,} articles, {workers} worker(s): total {res['total']:.1f}s "
              f"({n / res['total']:.0f} articles/s), peak RSS "
              f"{res['peak_rss_mib']:.0f} MiB (each worker <= {res['worker_peak_rss_mib']:.0f} "
              "MiB; flow process + workers "
              f"together <= {res['total_peak_rss_mib']:.0f} MiB), unchanged rerun "
              f"{res['rerun']:.1f}s | {stages_txt}", flush=True)
        print(f"{'':>9}  naive baseline (bench/naive_baseline.py, first {b['articles']:,} "
              "articles, 1 process): "
              f"{b['articles_per_s']:.0f} articles/s -> berita is "
              f"x{n / res['total'] / b['articles_per_s']:.1f}", flush=True)


if __name__ == "__main__":
    main()
