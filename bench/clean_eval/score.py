"""Score the clean stage against the hand-labelled sample, side by side with jusText.

Gold: bench/clean_eval/sample.jsonl (units of 65 real articles from 13 CLICK-ID exports) +
labels.tsv (which units or spans are boilerplate, labelled by hand). Ours: the clean stage run over
the whole real corpus (so the per-outlet repeated-line rule sees every article), body rows of the
sampled articles. jusText: each unit wrapped as an HTML <p>, Indonesian stoplist, default settings;
its non-boilerplate paragraphs are its body.

Token-level (bag of lower-cased words) precision/recall/F1 of the body, per outlet (micro) and
overall, and the share of labelled boilerplate items (units or spans) whose text is left inside the
body.

    .venv/bin/python bench/clean_eval/score.py
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.clean_scoring import WORD, body_by_key, justext_body, print_table, score, squeeze, tokens  # noqa: E402,F401
from bench.corpus import real_clean  # noqa: E402
from tasks.clean.clean import clean_frame  # noqa: E402

HERE = Path(__file__).resolve().parent
def load_gold() -> list[dict]:
    sample = [
        json.loads(line)
        for line in (HERE / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    labels: dict[str, dict[int, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for line in (HERE / "labels.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        labels[parts[0]][int(parts[1])].append((parts[2], parts[3] if len(parts) > 3 else ""))
    for art in sample:
        body, boiler = [], []
        for i, unit in enumerate(art["units"]):
            kept = unit
            for kind, span in labels[art["key"]].get(i, []):
                if kind == "X":
                    boiler.append(unit)
                    kept = ""
                else:
                    if span not in kept:
                        raise SystemExit(f"labels.tsv: span not found in {art['key']} unit {i}: "
                                         f"{span!r}")
                    boiler.append(span)
                    kept = kept.replace(span, " ", 1)
            if kept.strip():
                body.append(kept)
        art["gold_body"], art["gold_boiler"] = body, [b for b in boiler if WORD.search(b)]
        art["outlet"] = art["key"].split(":")[0]
    unknown = set(labels) - {a["key"] for a in sample}
    if unknown:
        raise SystemExit(f"labels.tsv: keys not in the sample: {sorted(unknown)}")
    return sample


def ours(sample: list[dict]) -> dict[str, str]:
    arts, _ = real_clean()
    return body_by_key(
        arts, clean_frame(arts), {(a["source_path"], a["source_row"]): a["key"] for a in sample}
    )


def jusText(sample: list[dict]) -> dict[str, str]:
    return justext_body({art["key"]: art["units"] for art in sample})


def main() -> None:
    sample = load_gold()
    print(f"{len(sample)} hand-labelled articles, {len({x['outlet'] for x in sample})} exports; "
          "token-level body precision/recall/F1")
    a, b = print_table(sample, ours(sample), jusText(sample), "export")
    behind = [k for k in a if k != "ALL" and a[k]["F1"] < b[k]["F1"]]
    print("exports where jusText's F1 is higher:", behind or "none")


if __name__ == "__main__":
    main()
