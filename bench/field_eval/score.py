"""Score field extraction against hand labels: outlet, title, published_at, dateline, authors per
article (bench/field_eval/fields.tsv, the 65 articles of bench/clean_eval/sample.jsonl), and the
precision of the extracted quotes with their speakers (bench/field_eval/quotes.tsv: a verdict, by
hand, for every quote the pipeline extracted from those articles).

    .venv/bin/python bench/field_eval/score.py                # per outlet: fields, quote
                                                              # precision; then the PBA-news,
                                                              # held-out and blind sets (fields,
                                                              # quote recall)
    .venv/bin/python bench/field_eval/score.py --set clickid  # this set only
    .venv/bin/python bench/field_eval/score.py --set blind    # the second blind set only
    .venv/bin/python bench/field_eval/score.py --quotes       # extracted quotes without a verdict
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tasks.clean.clean import clean_frame  # noqa: E402
from tasks.dedup.dedup import dedup  # noqa: E402
from tasks.extract.extract import extract  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "clean_eval" / "sample.jsonl"
WIB = timedelta(hours=7)
FIELDS = ("outlet", "title", "published_at", "dateline", "authors")


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    return [
        dict(zip(header, ln.split("\t") + [""] * (len(header) - len(ln.split("\t"))), strict=True))
        for ln in lines[1:]
    ]


def run_pipeline() -> tuple[pl.DataFrame, pl.DataFrame]:
    """extract/articles and extract/quotes for the sampled articles (ingested from the real
    corpus)."""
    from bench.corpus import real_clean

    arts, _ = real_clean()
    keys = {
        (s["source_path"], s["source_row"]): s["key"]
        for s in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())
    }
    sub = arts.filter(pl.struct("source_path", "source_row").map_elements(
        lambda r: (r["source_path"], r["source_row"]) in keys, return_dtype=pl.Boolean))
    paras = clean_frame(sub)
    p, a, _, _ = dedup(paras, sub, None)
    out, quotes, _ = extract(p, a, sub)
    key = pl.Series(
        [
            keys[(r["source_path"], r["source_row"])]
            for r in out.select("source_path", "source_row").iter_rows(named=True)
        ]
    )
    out = out.with_columns(key.alias("key"))
    quotes = quotes.join(out.select("article_id", "key"), on="article_id")
    return out, quotes


def field_ok(field: str, gold: str, pred: object) -> bool:
    if field == "published_at":
        if pred is None:
            return not gold
        if len(gold) == 10:  # a date alone: compare the Jakarta date
            return (pred + WIB).date().isoformat() == gold
        return pred == datetime.strptime(gold, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) - WIB
    if field == "authors":
        return sorted(pred or []) == sorted(a for a in gold.split(";") if a)
    if field == "title":
        return " ".join((pred or "").split()) == " ".join(gold.split())
    return (pred or "") == gold


def outlet_of(key: str, gold: dict[str, dict[str, str]]) -> str:
    return gold[key]["outlet"] if key in gold else key.split(":")[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quotes", action="store_true")
    ap.add_argument("--set", choices=("clickid", "blind", "all"), default="all",
                    help="clickid: this set only; blind: the second blind set only "
                         "(bench/blind_eval); all: also the PBA-news, held-out and blind sets "
                         "(fields and quote recall, bench/pba_eval/score_fields.py and "
                         "score_quotes.py)")
    args = ap.parse_args()
    if args.set == "blind":
        run_sets(("blind",))
        return
    out, quotes = run_pipeline()
    pred = {r["key"]: r for r in out.iter_rows(named=True)}
    gold = read_tsv(HERE / "fields.tsv")
    verdicts = {(v["key"], v["quote_start"]): v for v in read_tsv(HERE / "quotes.tsv")}
    if args.quotes:
        for q in quotes.sort("key", "paragraph_index").iter_rows(named=True):
            if (q["key"], q["quote"][:40]) not in verdicts:
                print(f"{q['key']}\t{q['quote'][:40]}\t?\t{q['speaker']}\t|| {q['quote'][:160]}")
        return
    by_key = {g["key"]: g for g in gold}
    hits: dict[tuple[str, str], int] = defaultdict(int)
    n: dict[str, int] = defaultdict(int)
    misses: dict[str, list[str]] = defaultdict(list)
    for g in gold:
        p = pred[g["key"]]
        n[g["outlet"]] += 1
        for f in FIELDS:
            if field_ok(f, g[f], p[f]):
                hits[(f, g["outlet"])] += 1
            else:
                misses[f].append(f"{g['key']}: gold {g[f]!r} got {p[f]!r}")
    q_ok: dict[str, int] = defaultdict(int)
    q_judged: dict[str, int] = defaultdict(int)
    unjudged = 0
    for q in quotes.iter_rows(named=True):
        v = verdicts.get((q["key"], q["quote"][:40]))
        if v is None:
            unjudged += 1
            continue
        o = outlet_of(q["key"], by_key)
        q_judged[o] += 1
        q_ok[o] += v["verdict"] == "ok" and (v["speaker"] or None) == q["speaker"]
    print(f"clickid: {len(gold)} hand-labelled articles from "
          f"{len({g['key'].split(':')[0] for g in gold})} exports, "
          "per outlet (quotes: precision with the right speaker, from hand verdicts; no recall "
          "labels here)")
    print(f"  {'outlet':24s}" + "".join(f"{f:>14s}" for f in FIELDS) + f"{'quotes':>16s}")
    for outlet in [*sorted(n), "ALL"]:
        outs = sorted(n) if outlet == "ALL" else [outlet]
        m = sum(n[o] for o in outs)
        cells = "".join(f"{sum(hits[(f, o)] for o in outs) / m:>14.2f}" for f in FIELDS)
        ok, judged = sum(q_ok[o] for o in outs), sum(q_judged[o] for o in outs)
        qcell = f"{ok / judged:.2f} ({judged})" if judged else "-"
        print(f"  {outlet + f' ({m})':24s}{cells}{qcell:>16s}")
    for f in FIELDS:
        for miss in misses[f][:6]:
            print(f"      miss {f}: {miss}")
    ok, judged = sum(q_ok.values()), sum(q_judged.values())
    print(f"  quotes        precision {ok / max(judged, 1):.3f}  ({ok}/{judged} extracted quotes "
          "correct: a real quote "
          f"with the right speaker; {unjudged} without a verdict)")
    if args.set == "all":
        run_sets(("pba", "heldout", "blind"))


def run_sets(names: tuple[str, ...]) -> None:
    """The fields, then the quotes (recall, precision, speakers) of the named labelled sets, per
    outlet, by bench/pba_eval/score_fields.py and score_quotes.py."""
    import subprocess

    for script in ("score_fields.py", "score_quotes.py"):
        for name in names:
            print(f"\n== bench/pba_eval/{script} --set {name}", flush=True)
            subprocess.run(
                [sys.executable, str(HERE.parent / "pba_eval" / script), "--set", name],
                check=True,
            )


if __name__ == "__main__":
    main()
