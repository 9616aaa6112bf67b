"""Score the clean stage on the hand-labelled PBA-news sample, side by side with jusText.

Gold: bench/pba_eval/sample.jsonl (50 PBA-news articles, another scraper than CLICK-ID's, paragraph breaks
mostly lost) + clean_labels.tsv (the boilerplate items, each an exact substring of the raw text, labelled by
hand; the body is the rest). The unit does not depend on berita's line splitter.

Ours: the whole PBA-news export ingested and cleaned as an analyst would (so the per-outlet rules see all
1,348 articles); the body rows of the sampled articles. jusText: the raw text as one HTML <p> per line
(these texts have few line breaks), Indonesian stoplist, default settings.

Token-level (bag of lower-cased words) precision/recall/F1 of the body, per outlet (micro) and overall, and the
share of labelled boilerplate items left in the body (bench/clean_eval/score.py's measure).

    .venv/bin/python bench/pba_eval/score_clean.py [../shared/realdata/pba-news/raw]
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections import Counter, defaultdict
from html import escape
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.clean_eval.score import WORD, score, squeeze  # noqa: E402
from tasks import io, schema, stages  # noqa: E402
from tasks.clean.clean import clean_frame  # noqa: E402

HERE = Path(__file__).resolve().parent
# ../shared/realdata beside the checkout (/work/main), or beside the folder of worktrees (/work/wt/<name>)
RAW = next((p for p in (HERE.parents[k] / "shared" / "realdata" / "pba-news" / "raw" for k in (2, 3)) if p.is_dir()),
           HERE.parents[2] / "shared" / "realdata" / "pba-news" / "raw")


def load_gold() -> list[dict]:
    """The sampled articles with gold_body (raw text minus the labelled spans) and gold_boiler (the spans)."""
    sample = [json.loads(line) for line in (HERE / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
    by_key = {f"{a['sumber']}:{a['row']}": a for a in sample}
    spans: dict[str, list[str]] = defaultdict(list)
    for line in (HERE / "clean_labels.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, kind, span = line.split("\t")
        if key not in by_key:
            raise SystemExit(f"clean_labels.tsv: key not in the sample: {key}")
        spans[key].append(span)
        by_key[key].setdefault("kinds", {})[span] = kind
    for key, art in by_key.items():
        body = art["isi"]
        for span in spans[key]:
            if span not in body:
                raise SystemExit(f"clean_labels.tsv: span not found in {key}: {span!r}")
            body = body.replace(span, " ", 1)
        art.update(key=key, outlet=art["sumber"], gold_body=[body],
                   gold_boiler=[s for s in spans[key] if WORD.search(s)])
    return sample


def ours(sample: list[dict], raw: Path = RAW) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        stages.run_ingest(raw, Path(tmp))
        arts = io.read_table(Path(tmp), schema.INGEST_ARTICLES)
    paras = clean_frame(arts)
    rows = {int(r): k for k, r in ((a["key"], a["row"]) for a in sample)}
    ids = {aid: rows[row] for aid, row in arts.select("article_id", "source_row").iter_rows() if row in rows}
    body = (paras.filter(pl.col("article_id").is_in(list(ids)) & ~pl.col("is_boilerplate"))
            .group_by("article_id", maintain_order=True).agg(pl.col("text").str.join("\n\n")))
    out = {k: "" for k in rows.values()}
    out.update({ids[a]: t for a, t in body.iter_rows()})
    return out


def jusText(sample: list[dict]) -> dict[str, str]:
    import justext

    stop = justext.get_stoplist("Indonesian")
    out = {}
    for art in sample:
        units = [u for u in art["isi"].split("\n") if u.strip()]
        html = "<html><body>" + "".join(f"<p>{escape(u)}</p>" for u in units) + "</body></html>"
        out[art["key"]] = "\n\n".join(p.text for p in justext.justext(html.encode(), stop) if not p.is_boilerplate)
    return out


def leaked_by_kind(sample: list[dict], pred: dict[str, str]) -> dict[str, list[int]]:
    """Per kind of labelled item (dateline, credit, related, ...): [left in the body, labelled]."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for art in sample:
        body = " " + squeeze(pred[art["key"]]) + " "
        gold = " " + squeeze(art["gold_body"][0]) + " "
        for b in art["gold_boiler"]:
            k = out[art["kinds"][b]]
            k[0] += body.count(f" {squeeze(b)} ") > gold.count(f" {squeeze(b)} ")
            k[1] += 1
    return out


def main() -> None:
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW
    if not raw.is_dir():
        sys.exit(f"error: {raw} not found (the PBA-news corpus lives in ../shared/realdata/pba-news/raw)")
    sample = load_gold()
    pred_ours, pred_jt = ours(sample, raw), jusText(sample)
    a, b = score(sample, pred_ours), score(sample, pred_jt)
    n = Counter(x["outlet"] for x in sample)
    print(f"{len(sample)} hand-labelled PBA-news articles, {len(n)} outlets; token-level body P/R/F1")
    print(f"{'outlet':16s} {'n':>3s} | {'berita P':>8s} {'R':>6s} {'F1':>6s} {'leak':>6s} | "
          f"{'jusText P':>9s} {'R':>6s} {'F1':>6s} {'leak':>6s}")
    for k in sorted(n) + ["ALL"]:
        x, y = a[k], b[k]
        print(f"{k:16s} {n.get(k, len(sample)):3d} | {x['P']:8.3f} {x['R']:6.3f} {x['F1']:6.3f} {x['leak']:6.1%} | "
              f"{y['P']:9.3f} {y['R']:6.3f} {y['F1']:6.3f} {y['leak']:6.1%}")
    print(f"labelled boilerplate items: {a['ALL']['n_boiler']}; 'leak' = share of them left inside the body")
    kinds, kinds_jt = leaked_by_kind(sample, pred_ours), leaked_by_kind(sample, pred_jt)
    print("left in the body by kind (berita | jusText):",
          ", ".join(f"{k} {v[0]}/{v[1]} | {kinds_jt[k][0]}/{v[1]}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
