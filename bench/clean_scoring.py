"""Shared scoring for the hand-labelled cleaning sets (bench/clean_eval, bench/pba_eval,
bench/fresh_eval).

Each set gives a list of articles with `key`, `outlet`, `gold_body` (list of body texts) and
`gold_boiler` (the labelled boilerplate items). This module has what the three scorers share:
berita's body per key (clean stage rows that are not boilerplate, joined), jusText's body per key
(one HTML <p> per unit, Indonesian stoplist, default settings), the token-level score and the
per-outlet table printed side by side.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path

import polars as pl

WORD = re.compile(r"\w+")


def tokens(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def squeeze(text: str) -> str:
    return " ".join(w.lower() for w in WORD.findall(text))


def body_by_key(
    arts: pl.DataFrame, paras: pl.DataFrame, keys: dict[tuple[str, int], str]
) -> dict[str, str]:
    """berita's body per sample key: the non-boilerplate rows of clean/paragraphs, joined by blank
    lines.

    `keys` maps (source_path, source_row) of the ingested article to the sample key; a sampled
    article with no body row gets "".
    """
    ids = {r["article_id"]: keys[(r["source_path"], r["source_row"])]
           for r in arts.select("article_id", "source_path", "source_row").iter_rows(named=True)
           if (r["source_path"], r["source_row"]) in keys}
    body = (paras.filter(pl.col("article_id").is_in(list(ids)) & ~pl.col("is_boilerplate"))
            .group_by("article_id", maintain_order=True).agg(pl.col("text").str.join("\n\n")))
    out = {k: "" for k in keys.values()}
    out.update({ids[a]: t for a, t in body.iter_rows()})
    return out


def justext_body(units_by_key: dict[str, Iterable[str]]) -> dict[str, str]:
    """jusText's body per key: each unit as one <p>, Indonesian stoplist, default settings."""
    import justext

    stop = justext.get_stoplist("Indonesian")
    out = {}
    for key, units in units_by_key.items():
        html = "<html><body>" + "".join(f"<p>{escape(u)}</p>" for u in units) + "</body></html>"
        out[key] = "\n\n".join(
            p.text for p in justext.justext(html.encode(), stop) if not p.is_boilerplate
        )
    return out


def is_leaked(item: str, body: str, gold_body: str) -> bool:
    """An item is left in the body when its words occur there more often than in the true body
    ("Jakarta -" is removed even though "Jakarta" occurs later in the text). Both texts squeezed,
    padded."""
    s = f" {squeeze(item)} "
    return body.count(s) > gold_body.count(s)


def score(sample: list[dict], pred: dict[str, str]) -> dict[str, dict[str, float]]:
    """Per outlet and "ALL": token precision, recall, F1 of the body, and the share of boilerplate
    left."""
    # tp, pred, gold, leaked, boiler items
    acc: dict[str, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for art in sample:
        g = tokens("\n".join(art["gold_body"]))
        p = tokens(pred[art["key"]])
        body = " " + squeeze(pred[art["key"]]) + " "
        gold_body = " " + squeeze("\n".join(art["gold_body"])) + " "
        leaked = sum(is_leaked(b, body, gold_body) for b in art["gold_boiler"])
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
        res[k] = {"P": prec, "R": rec, "F1": 2 * prec * rec / max(prec + rec, 1e-9),
                  "leak": leaked / max(nb, 1), "n_boiler": nb, "n_leaked": leaked}
    return res


def leaked_by_kind(sample: list[dict], pred: dict[str, str], kind: Callable[[dict, str], str]
                   ) -> dict[str, list[int]]:
    """Per kind of labelled item (dateline, credit, related, ...): [left in the body, labelled]."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for art in sample:
        body = " " + squeeze(pred[art["key"]]) + " "
        gold = " " + squeeze("\n".join(art["gold_body"])) + " "
        for b in art["gold_boiler"]:
            k = out[kind(art, b)]
            k[0] += is_leaked(b, body, gold)
            k[1] += 1
    return out


def print_table(
    sample: list[dict], ours: dict[str, str], theirs: dict[str, str], label: str = "outlet"
) -> tuple[dict, dict]:
    """Print berita beside jusText per outlet and overall; returns both score dicts."""
    a, b = score(sample, ours), score(sample, theirs)
    n = Counter(x["outlet"] for x in sample)
    print(f"{label:22s} {'n':>3s} | {'berita P':>8s} {'R':>6s} {'F1':>6s} {'leak':>6s} | "
          f"{'jusText P':>9s} {'R':>6s} {'F1':>6s} {'leak':>6s}")
    for k in sorted(n) + ["ALL"]:
        x, y = a[k], b[k]
        print(f"{k:22s} {n.get(k, len(sample)):3d} | {x['P']:8.3f} {x['R']:6.3f} {x['F1']:6.3f} "
              f"{x['leak']:6.1%} | {y['P']:9.3f} {y['R']:6.3f} {y['F1']:6.3f} {y['leak']:6.1%}")
    print(f"labelled boilerplate items: {a['ALL']['n_boiler']} (berita left "
          f"{a['ALL']['n_leaked']}, "
          f"jusText {b['ALL']['n_leaked']}); 'leak' = share of them left inside the body")
    return a, b


def labelled_sample(
    sample_path: Path, labels_path: Path, key: Callable[[dict], str], text: str
) -> list[dict]:
    """The sampled articles (JSONL) with their hand labels (TSV: key, kind, span): each article gets
    `key`, `kinds` (span -> kind), gold_body (its `text` field minus the labelled spans) and
    gold_boiler (the spans holding a word). A key or span the sample lacks stops the run."""
    sample = [json.loads(line) for line in sample_path.read_text(encoding="utf-8").splitlines()]
    by_key = {key(a): a for a in sample}
    spans: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        k, kind, span = line.split("\t")
        if k not in by_key:
            raise SystemExit(f"{labels_path.name}: key not in the sample: {k}")
        spans[k].append((kind, span))
    for k, art in by_key.items():
        body = art[text]
        for _, span in spans[k]:
            if span not in body:
                raise SystemExit(f"{labels_path.name}: span not found in {k}: {span!r}")
            body = body.replace(span, " ", 1)
        art.update(key=k, kinds={s: kind for kind, s in spans[k]}, gold_body=[body],
                   gold_boiler=[s for _, s in spans[k] if WORD.search(s)])
    return sample


def write_sample(path: Path, records: list[dict]) -> None:
    """Write a sample as JSONL (one article per line, text as written) and say how many."""
    with open(path, "w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} articles to {path}")
