"""Score the clean stage against the hand-labelled sample, side by side with jusText.

Gold: bench/clean_eval/sample.jsonl (units of 65 real articles from 13 CLICK-ID exports) + labels.tsv (which units
or spans are boilerplate, labelled by hand). Ours: the clean stage run over the whole real corpus (so the
per-outlet repeated-line rule sees every article), body rows of the sampled articles. jusText: each unit wrapped
as an HTML <p>, Indonesian stoplist, default settings; its non-boilerplate paragraphs are its body.

Token-level (bag of lower-cased words) precision/recall/F1 of the body, per outlet (micro) and overall, and the
share of labelled boilerplate items (units or spans) whose text is left inside the body.

    .venv/bin/python bench/clean_eval/score.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from html import escape
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.corpus import real_clean  # noqa: E402
from tasks.clean.clean import clean_frame  # noqa: E402

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def squeeze(text: str) -> str:
    return " ".join(w.lower() for w in WORD.findall(text))


def load_gold() -> list[dict]:
    sample = [json.loads(line) for line in (HERE / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
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
                        raise SystemExit(f"labels.tsv: span not found in {art['key']} unit {i}: {span!r}")
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
    paras = clean_frame(arts)
    keys = {(a["source_path"], a["source_row"]): a["key"] for a in sample}
    ids = {r["article_id"]: keys[(r["source_path"], r["source_row"])]
           for r in arts.select("article_id", "source_path", "source_row").iter_rows(named=True)
           if (r["source_path"], r["source_row"]) in keys}
    body = (paras.filter(pl.col("article_id").is_in(list(ids)) & ~pl.col("is_boilerplate"))
            .group_by("article_id", maintain_order=True).agg(pl.col("text").str.join("\n\n")))
    out = {k: "" for k in keys.values()}
    out.update({ids[a]: t for a, t in body.iter_rows()})
    return out


def jusText(sample: list[dict]) -> dict[str, str]:
    import justext

    stop = justext.get_stoplist("Indonesian")
    out = {}
    for art in sample:
        html = "<html><body>" + "".join(f"<p>{escape(u)}</p>" for u in art["units"]) + "</body></html>"
        out[art["key"]] = "\n\n".join(p.text for p in justext.justext(html.encode(), stop) if not p.is_boilerplate)
    return out


def score(sample: list[dict], pred: dict[str, str]) -> dict[str, dict[str, float]]:
    acc: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # tp, pred, gold, leaked, boiler items
    for art in sample:
        g = tokens("\n".join(art["gold_body"]))
        p = tokens(pred[art["key"]])
        body = " " + squeeze(pred[art["key"]]) + " "
        gold_body = " " + squeeze("\n".join(art["gold_body"])) + " "
        # an item is left in the body when its words occur there more often than in the true body
        # ("Jakarta -" is removed even though "Jakarta" occurs later in the text)
        leaked = sum(body.count(f" {squeeze(b)} ") > gold_body.count(f" {squeeze(b)} ") for b in art["gold_boiler"])
        for k in (art["outlet"], "ALL"):
            a = acc[k]
            a[0] += sum((g & p).values())
            a[1] += sum(p.values())
            a[2] += sum(g.values())
            a[3] += leaked
            a[4] += len(art["gold_boiler"])
    res = {}
    for k, (tp, np_, ng, leaked, nb) in acc.items():
        prec, rec = tp / max(np_, 1), tp / max(ng, 1)
        res[k] = {"P": prec, "R": rec, "F1": 2 * prec * rec / max(prec + rec, 1e-9), "leak": leaked / max(nb, 1), "n_boiler": nb}
    return res


def main() -> None:
    sample = load_gold()
    a, b = score(sample, ours(sample)), score(sample, jusText(sample))
    n = Counter(x["outlet"] for x in sample)
    print(f"{len(sample)} hand-labelled articles, {len(n)} exports; token-level body precision/recall/F1")
    print(f"{'export':18s} {'n':>3s} | {'berita P':>8s} {'R':>6s} {'F1':>6s} {'leak':>6s} | {'jusText P':>9s} {'R':>6s} {'F1':>6s} {'leak':>6s}")
    for k in sorted(n) + ["ALL"]:
        x, y = a[k], b[k]
        print(f"{k:18s} {n.get(k, len(sample)):3d} | {x['P']:8.3f} {x['R']:6.3f} {x['F1']:6.3f} {x['leak']:6.1%} | "
              f"{y['P']:9.3f} {y['R']:6.3f} {y['F1']:6.3f} {y['leak']:6.1%}")
    print(f"labelled boilerplate items: {a['ALL']['n_boiler']}; 'leak' = share of them left inside the body")
    behind = [k for k in n if a[k]["F1"] < b[k]["F1"]]
    print("exports where jusText's F1 is higher:", behind or "none")


if __name__ == "__main__":
    main()
