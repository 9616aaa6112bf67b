"""Score berita's direct quotes and speakers against the hand labels of the PBA-news sample.

bench/pba_eval/quotes.tsv holds every direct quote of the 50 articles of sample.jsonl with its
speaker's fullest name, written by hand from the raw text. This script runs ingest, clean, dedup and
extract on the sample and a naive baseline beside it, matches extracted quotes to gold quotes by
token overlap and prints, per outlet and overall: quote recall, precision, and for matched quotes
the speaker's exact full name, the last name, and containment (one name holds the other).

A gold quote is matched by an extracted quote of the same article when at least MATCH_SHARE of the
gold quote's tokens (the labelled opening words) are in the extracted quote; each gold quote is
matched once and each extracted quote matches at most one gold quote, the pairs sharing most first.
Precision counts extracted quotes of more than MIN_WORDS words that are matched (to a gold quote,
marked or not): a quote extracted twice counts once right and once wrong. Recall is given on the
quotes inside quote marks (`marked` = 1) and on all of them.

    .venv/bin/python bench/pba_eval/score_quotes.py            # the tables
    .venv/bin/python bench/pba_eval/score_quotes.py --list     # every miss and false quote too
    .venv/bin/python bench/pba_eval/score_quotes.py --set heldout   # the fresh held-out set instead
    .venv/bin/python bench/pba_eval/score_quotes.py --set blind     # the second blind set
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample.jsonl"
GOLD = HERE / "quotes.tsv"
MATCH_SHARE = 0.5
MIN_WORDS = 4
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Gold:
    article: str
    outlet: str
    marked: bool
    speaker: str
    quote: str


@dataclass(frozen=True)
class Found:
    article: str
    quote: str
    speaker: str | None


def read_gold(path: Path = GOLD) -> list[Gold]:
    rows = [ln.split("\t") for ln in path.read_text(encoding="utf-8").splitlines()
            if ln.strip() and not ln.startswith("#")]
    header, body = rows[0], rows[1:]
    assert header == ["id", "outlet", "marked", "speaker", "quote"], header
    return [Gold(i, o, m == "1", s, q) for i, o, m, s, q in body]


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    return [json.loads(ln) for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


def overlap(gold: str, found: str) -> float:
    """Share of the gold quote's tokens found in the extracted quote (as a multiset)."""
    g, f = tokens(gold), tokens(found)
    if not g:
        return 0.0
    pool: dict[str, int] = defaultdict(int)
    for t in f:
        pool[t] += 1
    hit = 0
    for t in g:
        if pool[t]:
            pool[t] -= 1
            hit += 1
    return hit / len(g)


def norm_name(name: str | None) -> str:
    return " ".join((name or "").casefold().replace(".", " ").split())


def speaker_scores(gold: str, found: str | None) -> tuple[bool, bool, bool]:
    """(exact full name, same last word, one contains the other as whole words)."""
    g, f = norm_name(gold), norm_name(found)
    if not f:
        return False, False, False
    exact = g == f
    last = g.split()[-1] == f.split()[-1]
    contain = f" {g} " in f" {f} " or f" {f} " in f" {g} "
    return exact, last, contain


def match(gold: list[Gold], found: list[Found]) -> list[tuple[Gold, Found | None]]:
    """Each gold quote with the extracted quote of its article it shares most with (>= MATCH_SHARE),
    or None; one-to-one, best pairs first (so a gold quote listed earlier never takes another's
    better match)."""
    by_article: dict[str, list[Found]] = defaultdict(list)
    for f in found:
        by_article[f.article].append(f)
    pairs = sorted(
        (
            (overlap(g.quote, f.quote), -gi, -fi, gi, f)
            for gi, g in enumerate(gold)
            for fi, f in enumerate(by_article.get(g.article, []))
        ),
        key=lambda p: p[:3],
        reverse=True,
    )
    got: dict[int, Found] = {}
    used: set[int] = set()
    for share, _, _, gi, f in pairs:
        if share >= MATCH_SHARE - 1e-9 and gi not in got and id(f) not in used:
            got[gi] = f
            used.add(id(f))
    return [(g, got.get(gi)) for gi, g in enumerate(gold)]


def score(
    gold: list[Gold], found: list[Found], outlets: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Per outlet and 'all': recall (marked, all), precision, speaker exact/last/contain, counts."""
    pairs = match(gold, found)
    table: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for g, f in pairs:
        for key in (g.outlet, "all"):
            t = table[key]
            t["recall_all"][0] += f is not None
            t["recall_all"][1] += 1
            if g.marked:
                t["recall_marked"][0] += f is not None
                t["recall_marked"][1] += 1
            if f is not None:
                for name, ok in zip(
                    ("exact", "last", "contain"), speaker_scores(g.speaker, f.speaker), strict=True
                ):
                    t[name][0] += ok
                    t[name][1] += 1
    matched = {id(f) for _, f in pairs if f is not None}
    for f in found:
        if len(f.quote.split()) <= MIN_WORDS:
            continue
        ok = id(f) in matched  # a second copy of a matched quote is a false one
        for key in (outlets[f.article], "all"):
            table[key]["precision"][0] += ok
            table[key]["precision"][1] += 1
    return {
        k: {m: (a / b if b else float("nan")) for m, (a, b) in v.items()}
        | {"n": v["recall_all"][1]}
        for k, v in table.items()
    }


def run_berita(sample: list[dict[str, str]]) -> list[Found]:
    """ingest -> clean -> dedup -> extract on the sample, written as one JSONL export."""
    from tasks.clean.clean import clean_frame
    from tasks.dedup.dedup import dedup
    from tasks.extract.extract import extract
    from tasks.ingest.ingest import ingest_dir

    with tempfile.TemporaryDirectory() as tmp:
        with open(Path(tmp) / "sample.jsonl", "w", encoding="utf-8") as fh:
            for r in sample:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        arts, _ = ingest_dir(Path(tmp))
    paras = clean_frame(arts)
    p, a, _, _ = dedup(paras, arts, None)
    out, quotes, _ = extract(p, a, arts)
    row_of = dict(zip(arts["article_id"].to_list(), arts["source_row"].to_list(), strict=True))
    ids = [r["id"] for r in sample]
    return [
        Found(ids[row_of[q["article_id"]]], q["quote"], q["speaker"])
        for q in quotes.iter_rows(named=True)
    ]


_BASE_QUOTE = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_BASE_SPEAKER = re.compile(r"\b(?:kata|ujar|ucap|tutur)(?:nya)?\s+((?:[A-Z][\w-]*\s*){1,3})")


def run_baseline(sample: list[dict[str, str]]) -> list[Found]:
    """Every "..." / “...” span of >= 3 words; speaker: the capitalised words after the first
    kata/ujar/ucap/ tutur in the 80 characters after the closing mark."""
    out = []
    for r in sample:
        text = r["isi"]
        for m in _BASE_QUOTE.finditer(text):
            q = m.group(1).strip(" ,.")
            if len(q.split()) < 3:
                continue
            sm = _BASE_SPEAKER.search(text[m.end(): m.end() + 80])
            out.append(Found(r["id"], q, sm.group(1).strip() if sm else None))
    return out


def print_table(name: str, scores: dict[str, dict[str, float]]) -> None:
    cols = ("n", "recall_marked", "recall_all", "precision", "exact", "last", "contain")
    print(f"\n{name}")
    print(f"{'outlet':18}" + "".join(f"{c:>14}" for c in cols))
    for k in sorted(scores, key=lambda x: (x == "all", x)):
        v = scores[k]
        print(
            f"{k:18}"
            + "".join(
                f"{v.get(c, float('nan')):>14.2f}" if c != "n" else f"{v[c]:>14d}" for c in cols
            )
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true", help="print misses and false quotes")
    ap.add_argument("--set", choices=("pba", "heldout", "blind"), default="pba",
                    help="pba: bench/pba_eval (tuned on); heldout: bench/heldout_eval (fresh, 14 "
                         "outlets); blind: bench/blind_eval (the second blind set, 14 outlets)")
    args = ap.parse_args()
    where = HERE if args.set == "pba" else HERE.parent / f"{args.set}_eval"
    sample, gold = read_sample(where / "sample.jsonl"), read_gold(where / "quotes.tsv")
    outlets = {r["id"]: r["sumber"] for r in sample}
    results = {"berita": run_berita(sample), "baseline (naive regex)": run_baseline(sample)}
    for name, found in results.items():
        print_table(name, score(gold, found, outlets))
    if args.list:
        found = results["berita"]
        for g, f in match(gold, found):
            if f is None:
                print(f"MISS   {g.article:>5} {'m' if g.marked else 'u'} {g.speaker!r}: {g.quote}")
            elif not speaker_scores(g.speaker, f.speaker)[0]:
                print(f"SPEAK  {g.article:>5} gold {g.speaker!r} got {f.speaker!r}: {g.quote}")
        by_article: dict[str, list[Gold]] = defaultdict(list)
        for g in gold:
            by_article[g.article].append(g)
        for f in found:
            if not any(
                overlap(g.quote, f.quote) >= MATCH_SHARE for g in by_article.get(f.article, [])
            ):
                print(f"FALSE  {f.article:>5} {f.speaker!r}: {f.quote[:90]}")


if __name__ == "__main__":
    main()
