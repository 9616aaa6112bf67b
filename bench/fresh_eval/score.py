"""Score the clean stage on the fresh held-out sample (bench/fresh_eval), side by side with jusText.

Gold: sample.jsonl (36 articles no earlier labelled set holds: 26 CLICK-ID, 10 PBA-news) +
labels.tsv (the boilerplate items, exact substrings of the raw text, labelled by hand before berita
was run on them; the body is the rest). Ours: each corpus ingested and cleaned whole, as an analyst
would (so the per-outlet rules see every article of the export), the body rows of the sampled
articles. jusText: the raw text as one HTML <p> per unit (lines; the comma-glued paragraphs of
CLICK-ID exports split at ",", as bench/clean_eval does).

    .venv/bin/python bench/fresh_eval/score.py
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.clean_scoring import (  # noqa: E402
    body_by_key,
    justext_body,
    labelled_sample,  # noqa: E402
    leaked_by_kind,
    print_table,
)
from bench.corpus import real_clean  # noqa: E402
from bench.pba_eval.score_clean import RAW as PBA_RAW  # noqa: E402
from bench.pba_eval.score_clean import ingest_clean  # noqa: E402
from tasks.clean.clean import clean_frame  # noqa: E402
from tasks.text import split_lines  # noqa: E402

HERE = Path(__file__).resolve().parent


def load_gold() -> list[dict]:
    """The sampled articles with gold_body (raw text minus the labelled spans) and gold_boiler (the
    spans)."""
    return labelled_sample(HERE / "sample.jsonl", HERE / "labels.tsv", lambda a: a["key"], "text")


def ours(sample: list[dict]) -> dict[str, str]:
    out: dict[str, str] = {}
    click = {
        (a["source_path"], a["source_row"]): a["key"] for a in sample if a["corpus"] == "clickid"
    }
    arts, _ = real_clean()
    out.update(body_by_key(arts, clean_frame(arts), click))
    pba = {(a["source_path"], a["source_row"]): a["key"] for a in sample if a["corpus"] == "pba"}
    arts, paras = ingest_clean(PBA_RAW)
    out.update(body_by_key(arts, paras, pba))
    return out


def jusText(sample: list[dict]) -> dict[str, str]:
    return justext_body({a["key"]: [t for _, t in split_lines(a["text"])] for a in sample})


def main() -> None:
    sample = load_gold()
    print(f"{len(sample)} hand-labelled fresh articles, {len({x['outlet'] for x in sample})} "
          "outlets; "
          "token-level body P/R/F1")
    pred_ours, pred_jt = ours(sample), jusText(sample)
    print_table(sample, pred_ours, pred_jt)
    kind = lambda art, b: art["kinds"][b]  # noqa: E731
    kinds, kinds_jt = leaked_by_kind(sample, pred_ours, kind), leaked_by_kind(sample, pred_jt, kind)
    print(
        "left in the body by kind (berita | jusText):",
        ", ".join(f"{k} {v[0]}/{v[1]} | {kinds_jt[k][0]}/{v[1]}" for k, v in sorted(kinds.items())),
    )
    if "-v" in sys.argv:
        for art in sample:
            body, gold = pred_ours[art["key"]], art["gold_body"][0]
            from bench.clean_scoring import is_leaked, squeeze
            left = [b for b in art["gold_boiler"]
                    if is_leaked(b, f" {squeeze(body)} ", f" {squeeze(gold)} ")]
            if left:
                print(art["key"], "left:", left)


if __name__ == "__main__":
    main()
