"""Score berita's fields (dateline, authors, editors, published date, title) against hand labels,
per outlet and overall, beside naive baselines, on two sets:

- pba: the 50 PBA-news articles of bench/pba_eval/sample.jsonl, labelled in
  bench/pba_eval/fields.tsv (another scraper than CLICK-ID's; 2015; texts keep their datelines, no
  author column);
- heldout / blind: bench/heldout_eval and bench/blind_eval (PBA-news and CLICK-ID articles in one
  JSONL export each, labelled before berita ran on them);
- clickid: the 65 CLICK-ID articles of bench/clean_eval/sample.jsonl, labelled in
  bench/field_eval/fields.tsv (needs ../shared/realdata; skipped with a message when it is absent).

Baselines: dateline = the first token before " - " (or ", ") when it is a capitalised word; authors
= the names after a "Penulis:"/"Reporter:" anywhere in the text; published = the export's date
column parsed as is.

    .venv/bin/python bench/pba_eval/score_fields.py [--misses]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tasks.clean.clean import clean_frame  # noqa: E402
from tasks.dedup.dedup import dedup  # noqa: E402
from tasks.extract.dates import parse_datetime  # noqa: E402
from tasks.extract.extract import extract  # noqa: E402
from tasks.ingest.ingest import records_frame, records_from_rows  # noqa: E402

HERE = Path(__file__).resolve().parent
WIB = timedelta(hours=7)
FIELDS = ("dateline", "authors", "editors", "published_at", "title")


def read_tsv(path: Path) -> list[dict[str, str]]:
    lines = [
        ln
        for ln in path.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    header = lines[0].split("\t")
    return [
        dict(zip(header, (ln.split("\t") + [""] * len(header))[: len(header)], strict=True))
        for ln in lines[1:]
    ]


def run_berita(ingest: pl.DataFrame) -> pl.DataFrame:
    paras = clean_frame(ingest)
    p, a, _, _ = dedup(paras, ingest, None)
    out, _, _ = extract(p, a, ingest)
    return out


def pba_set() -> tuple[list[dict[str, str]], dict[str, dict], dict[str, dict]]:
    """(gold rows, key -> berita's extract row, key -> raw export row) for the PBA sample."""
    from datetime import UTC, datetime

    raw = [
        json.loads(ln) for ln in (HERE / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rows = [{k: v for k, v in r.items() if k != "row"} for r in raw]
    res = records_from_rows(iter(enumerate(rows)), "pba/sample.jsonl", "jsonl")
    ingest = records_frame(res.records, None, datetime(2026, 1, 1, tzinfo=UTC))
    out = run_berita(ingest)
    by_row = {r["source_row"]: r for r in out.iter_rows(named=True)}
    pred = {str(raw[i]["row"]): by_row[i] for i in range(len(raw)) if i in by_row}
    src = {
        str(r["row"]): {"text": r["isi"], "date": r["tanggal"], "outlet": r["sumber"]} for r in raw
    }
    gold = read_tsv(HERE / "fields.tsv")
    for g in gold:
        g["key"] = g["row"]
    return gold, pred, src


def heldout_set(name: str = "heldout") -> tuple[list[dict[str, str]], dict[str, dict],
                                                dict[str, dict]]:
    """(gold rows, key -> berita's extract row, key -> raw export row) for a set written as one
    JSONL export with `id`s: the fresh held-out set (bench/heldout_eval: 15 PBA-news and 13
    CLICK-ID articles, labelled before any run) or the second blind one (bench/blind_eval: 15
    PBA-news and 26 CLICK-ID articles)."""
    from datetime import UTC, datetime

    where = HERE.parent / f"{name}_eval"
    raw = [
        json.loads(ln) for ln in (where / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    res = records_from_rows(iter(enumerate(raw)), f"{name}/sample.jsonl", "jsonl")
    ingest = records_frame(res.records, None, datetime(2026, 1, 1, tzinfo=UTC))
    out = run_berita(ingest)
    by_row = {r["source_row"]: r for r in out.iter_rows(named=True)}
    pred = {raw[i]["id"]: by_row[i] for i in range(len(raw)) if i in by_row}
    src = {r["id"]: {"text": r["isi"], "date": r["tanggal"], "outlet": r["sumber"]} for r in raw}
    gold = read_tsv(where / "fields.tsv")
    for g in gold:
        g["key"] = g["id"]
    return gold, pred, src


def clickid_set() -> tuple[list[dict[str, str]], dict[str, dict], dict[str, dict]] | None:
    try:
        from bench.field_eval.score import run_pipeline
        out, _ = run_pipeline()
    except SystemExit as e:
        print(f"clickid set skipped: {e}")
        return None
    pred = {r["key"]: r for r in out.iter_rows(named=True)}
    sample = {s["key"]: s for s in map(json.loads, (HERE.parent / "clean_eval" / "sample.jsonl")
                                       .read_text(encoding="utf-8").splitlines())}
    # the sample keeps no date column
    src = {k: {"text": "\n".join(s.get("units") or []), "date": None,
               "outlet": k.split(":")[0]} for k, s in sample.items()}
    gold = read_tsv(HERE.parent / "field_eval" / "fields.tsv")
    for g in gold:
        g.setdefault("editors", "")
    return gold, pred, src


def same(field: str, gold: str, got: object) -> bool:
    from datetime import UTC, datetime

    if field == "published_at":
        if got is None:
            return not gold
        if len(gold) == 10:
            return (got + WIB).date().isoformat() == gold
        return got == datetime.strptime(gold, "%Y-%m-%d %H:%M").replace(tzinfo=UTC) - WIB
    if field in ("authors", "editors"):
        return sorted(got or []) == sorted(a for a in gold.split(";") if a)
    if field == "title":
        return " ".join((got or "").split()) == " ".join(gold.split())
    return (got or "") == gold


_BASE_DATELINE = re.compile(r"^\s*([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)\s*(?: -|,)")
_BASE_AUTHOR = re.compile(r"(?:Penulis|Reporter)\s*:\s*([A-Z][\w.]*(?: [A-Z][\w.]*){0,3})")


def baseline(field: str, src: dict) -> object:
    text = src["text"] or ""
    if field == "dateline":
        m = _BASE_DATELINE.match(text)
        return " ".join(w.capitalize() for w in m.group(1).split()) if m else None
    if field == "authors":
        return _BASE_AUTHOR.findall(text)
    if field == "editors":
        return []
    if field == "published_at":
        return parse_datetime(src["date"])
    return None


def score(name: str, gold: list[dict[str, str]], pred: dict[str, dict], src: dict[str, dict],
          show_misses: bool) -> None:
    fields = [f for f in FIELDS if f in gold[0]]
    hits: dict[tuple[str, str, str], int] = defaultdict(int)
    n: dict[str, int] = defaultdict(int)
    misses: list[str] = []
    for g in gold:
        outlet = g["outlet"]
        n[outlet] += 1
        p = pred.get(g["key"], {})
        for f in fields:
            if f == "title" and not g[f]:
                hits[("berita", f, outlet)] += 1  # no usable title label (see the TSV): not scored
                hits[("baseline", f, outlet)] += 1
                continue
            if same(f, g[f], p.get(f)):
                hits[("berita", f, outlet)] += 1
            else:
                misses.append(f"{g['key']} {f}: gold {g[f]!r} got {p.get(f)!r}")
            if f == "published_at" and not src[g["key"]]["date"]:
                hits[("no_baseline", f, outlet)] += 1
            elif f != "title" and same(f, g[f], baseline(f, src[g["key"]])):
                hits[("baseline", f, outlet)] += 1
    total = sum(n.values())
    print(f"\n{name}: {total} hand-labelled articles, {len(n)} outlets (berita / baseline)")
    print(f"  {'outlet':22s}" + "".join(f"{f:>20s}" for f in fields))
    for outlet in [*sorted(n), "ALL"]:
        outs = sorted(n) if outlet == "ALL" else [outlet]
        m = sum(n[o] for o in outs)
        cells = []
        for f in fields:
            b = sum(hits[("berita", f, o)] for o in outs) / m
            no_base = f == "title" or sum(hits[("no_baseline", f, o)] for o in outs) == m
            base = "  -  " if no_base else f"{sum(hits[('baseline', f, o)] for o in outs) / m:.2f}"
            cells.append(f"{b:.2f} / {base}".rjust(20))
        print(f"  {outlet + f' ({m})':22s}" + "".join(cells))
    if show_misses:
        for line in misses:
            print("    miss", line)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--misses", action="store_true", help="list every article a field is wrong for")
    ap.add_argument("--set", choices=("pba", "clickid", "heldout", "blind", "both", "all"),
                    default="both")
    args = ap.parse_args()
    if args.set in ("heldout", "all"):
        score("heldout", *heldout_set(), args.misses)
    if args.set in ("blind", "all"):
        score("blind", *heldout_set("blind"), args.misses)
    if args.set in ("pba", "both", "all"):
        score("pba", *pba_set(), args.misses)
    if args.set in ("clickid", "both", "all"):
        got = clickid_set()
        if got:
            score("clickid", *got, args.misses)


if __name__ == "__main__":
    main()
