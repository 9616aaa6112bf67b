"""The naive baseline the scale benchmark compares against: the obvious per-article implementation
of the pipeline's heavy steps, measured on the same corpus in the same run.

Per article: ftfy over the text, each line squashed and tried against every line rule with Python's
re, langdetect on the body, and a datasketch MinHash (48 permutations, character 5-grams) per
paragraph with a MinHashLSH index (threshold 0.8) queried and updated per paragraph. It does less
than berita (no dateline, quotes, fields, story clusters), so the ratio understates berita's
advantage.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import ftfy
from datasketch import MinHash, MinHashLSH
from langdetect import DetectorFactory, LangDetectException, detect

from tasks.clean.clean import match_line_rule
from tasks.text import split_lines, squash

DetectorFactory.seed = 0


def _shingles(text: str, k: int = 5) -> set[bytes]:
    t = " ".join(text.lower().split())
    return {t[i:i + k].encode() for i in range(max(1, len(t) - k + 1))}


def run(raw_dir: Path, limit: int) -> dict[str, float]:
    """Articles/s of the naive baseline over the first `limit` articles of the JSONL exports in
    raw_dir."""
    texts: list[str] = []
    for f in sorted(raw_dir.glob("*.jsonl")):
        for line in f.open(encoding="utf-8"):
            texts.append(json.loads(line)["content"])
            if len(texts) >= limit:
                break
        if len(texts) >= limit:
            break
    lsh = MinHashLSH(threshold=0.8, num_perm=48)
    copies = 0
    t0 = time.perf_counter()
    for a, raw in enumerate(texts):
        text = ftfy.fix_text(raw)
        body = []
        for _, ln in split_lines(text):
            line = squash(ln)
            if line and match_line_rule(line) is None:
                body.append(line)
        try:
            detect("\n".join(body)[:1200] or "x")
        except LangDetectException:
            pass
        for p, para in enumerate(body):
            m = MinHash(num_perm=48)
            m.update_batch(list(_shingles(para)))
            copies += bool(lsh.query(m))
            lsh.insert(f"{a}-{p}", m)
    secs = time.perf_counter() - t0
    return {
        "articles": len(texts),
        "seconds": secs,
        "articles_per_s": len(texts) / secs,
        "paragraph_copies": copies,
    }


if __name__ == "__main__":
    import sys

    print(run(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 2000))
