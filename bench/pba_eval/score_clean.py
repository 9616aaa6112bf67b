"""Score the clean stage on the hand-labelled PBA-news sample, side by side with jusText.

Gold: bench/pba_eval/sample.jsonl (50 PBA-news articles, another scraper than CLICK-ID's, paragraph
breaks mostly lost) + clean_labels.tsv (the boilerplate items, each an exact substring of the raw
text, labelled by hand; the body is the rest). The unit does not depend on berita's line splitter.

Ours: the whole PBA-news export ingested and cleaned as an analyst would (so the per-outlet rules
see all 1,348 articles); the body rows of the sampled articles. jusText: the raw text as one HTML
<p> per line (these texts have few line breaks), Indonesian stoplist, default settings.

Token-level (bag of lower-cased words) precision/recall/F1 of the body, per outlet (micro) and
overall, and the share of labelled boilerplate items left in the body (bench/clean_eval/score.py's
measure).

    .venv/bin/python bench/pba_eval/score_clean.py [../shared/realdata/pba-news/raw]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.clean_scoring import (  # noqa: E402
    body_by_key,
    justext_body,
    labelled_sample,  # noqa: E402
    leaked_by_kind,
    print_table,
)
from tasks import io, schema, stages  # noqa: E402
from tasks.clean.clean import clean_frame  # noqa: E402

HERE = Path(__file__).resolve().parent
# ../shared/realdata beside the checkout (/work/main), or beside the folder of worktrees
# (/work/wt/<name>)
RAW = next(
    (
        p
        for p in (HERE.parents[k] / "shared" / "realdata" / "pba-news" / "raw" for k in (2, 3))
        if p.is_dir()
    ),
    HERE.parents[2] / "shared" / "realdata" / "pba-news" / "raw",
)


def load_gold() -> list[dict]:
    """The sampled articles with gold_body (raw text minus the labelled spans) and gold_boiler (the
    spans)."""
    sample = labelled_sample(HERE / "sample.jsonl", HERE / "clean_labels.tsv",
                             lambda a: f"{a['sumber']}:{a['row']}", "isi")
    for art in sample:
        art["outlet"] = art["sumber"]
    return sample


def ingest_clean(raw: Path = RAW) -> tuple:
    """(ingest/articles, clean/paragraphs) of the whole PBA-news export, as an analyst would run
    it."""
    with tempfile.TemporaryDirectory() as tmp:
        stages.run_ingest(raw, Path(tmp))
        arts = io.read_table(Path(tmp), schema.INGEST_ARTICLES)
    return arts, clean_frame(arts)


def ours(sample: list[dict], raw: Path = RAW) -> dict[str, str]:
    arts, paras = ingest_clean(raw)
    path = arts["source_path"][0]
    return body_by_key(arts, paras, {(path, int(a["row"])): a["key"] for a in sample})


def jusText(sample: list[dict]) -> dict[str, str]:
    return justext_body({a["key"]: [u for u in a["isi"].split("\n") if u.strip()] for a in sample})


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW
    if not raw.is_dir():
        sys.exit(f"error: {raw} not found (the PBA-news corpus lives in "
                 "../shared/realdata/pba-news/raw)")
    sample = load_gold()
    pred_ours, pred_jt = ours(sample, raw), jusText(sample)
    print(f"{len(sample)} hand-labelled PBA-news articles, {len({x['outlet'] for x in sample})} "
          "outlets; "
          "token-level body P/R/F1")
    print_table(sample, pred_ours, pred_jt)
    kind = lambda art, b: art["kinds"][b]  # noqa: E731
    kinds, kinds_jt = leaked_by_kind(sample, pred_ours, kind), leaked_by_kind(sample, pred_jt, kind)
    print(
        "left in the body by kind (berita | jusText):",
        ", ".join(f"{k} {v[0]}/{v[1]} | {kinds_jt[k][0]}/{v[1]}" for k, v in sorted(kinds.items())),
    )


if __name__ == "__main__":
    main()
