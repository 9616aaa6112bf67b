"""Build tasks/rules/background_df.tsv: document frequencies of words over a reference news corpus.

Story clustering weighs shared words by how rare they are in Indonesian news generally, so that a
corpus of a handful of articles about one event still clusters (their shared words are rare in the
background). Only word counts are stored, never text. Usage:
    python bench/build_background_df.py ../shared/realdata/clickid-2019/articles.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from tasks.text import norm_key

MIN_DF = 5


def main(path: str) -> None:
    df: Counter[str] = Counter()
    n = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            text = json.loads(line).get("text") or ""
            n += 1
            df.update({w for w in norm_key(text).split() if len(w) >= 4 and not w.isdigit()})
    out = Path(__file__).resolve().parents[1] / "tasks" / "rules" / "background_df.tsv"
    with out.open("w", encoding="utf-8") as fh:
        fh.write(f"# Document frequency of words in a reference corpus of {n} Indonesian news "
                 "articles "
                 f"(built by bench/build_background_df.py; words with df >= {MIN_DF}).\n")
        fh.write(f"word\tdf\n__docs__\t{n}\n")
        for w, c in sorted(df.items()):
            if c >= MIN_DF:
                fh.write(f"{w}\t{c}\n")
    print(f"{out}: {sum(1 for c in df.values() if c >= MIN_DF)} words from {n} documents")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/realdata/clickid-2019/articles.jsonl")
