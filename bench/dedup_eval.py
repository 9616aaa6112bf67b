"""Labelled dedup benchmark: real paragraphs from ../shared/realdata, generated copies (reordered
sentences, edited numbers, added attribution, typos, truncations) and hard negatives (same template
with different facts; short quotes that differ only by speaker or words), plus re-scraped articles.
Prints paragraph precision/recall per variant type, false-positive rate per negative type, and
article-duplicate recall/precision.

    .venv/bin/python bench/dedup_eval.py [--bases 1500] [--seed 2024]

The labels come from how each text was generated (variant of base X, or a new text), never from the
detector.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.corpus import articles_frame, paragraphs_frame, real_clean  # noqa: E402
from tasks.dedup.dedup import dedup  # noqa: E402
from tasks.text import norm_key  # noqa: E402

SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")
NUM = re.compile(r"\d+(?:[.,]\d+)*")
CAP = re.compile(r"(?<=\s)[A-Z][a-z]+")
ATTRIB = [("Dilansir Antara, ", ""), ("Menurut laporan Reuters, ", ""), ("", " Demikian dikutip "
                                                                             "dari Antara."),
          ("", " Hal itu disampaikan juru bicara kepolisian kepada wartawan.")]


def shingles(text: str) -> set[str]:
    w = norm_key(text).split()
    return {" ".join(w[i:i + 3]) for i in range(max(1, len(w) - 2))}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


# ---- positives: the same paragraph after edits an outlet or a scraper makes ----
def reorder(t: str, rng: random.Random) -> str | None:
    s = SENT.split(t)
    if len(s) < 2:
        return None
    return " ".join(s[1:] + s[:1])


def edit_numbers(t: str, rng: random.Random) -> str | None:
    if not NUM.search(t):
        return None
    return NUM.sub(
        lambda m: str(int(re.sub(r"\D", "", m.group())[:6] or 0) + rng.randint(1, 9)), t, count=2
    )


def add_attribution(t: str, rng: random.Random) -> str | None:
    pre, post = rng.choice(ATTRIB)
    return (pre + t[0].lower() + t[1:] if pre else t) + post


def typos(t: str, rng: random.Random) -> str | None:
    chars = list(t)
    spots = [i for i in range(1, len(chars) - 2) if chars[i].isalpha() and chars[i + 1].isalpha()]
    if len(spots) < 3:
        return None
    for i in sorted(rng.sample(spots, 3), reverse=True):
        op = rng.randrange(3)
        if op == 0:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        elif op == 1:
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return "".join(chars)


def truncate(t: str, rng: random.Random) -> str | None:
    s = SENT.split(t)
    if len(s) >= 3:
        return " ".join(s[:-1])
    w = t.split()
    return " ".join(w[: int(len(w) * 0.8)])


POSITIVES = {"reorder": reorder, "edit_numbers": edit_numbers, "add_attribution": add_attribution,
             "typos": typos, "truncate": truncate}


# ---- hard negatives ----
def template_swap(t: str, rng: random.Random, names: list[str], vocab: list[str]) -> str:
    """Same sentence frame, different facts: new numbers, other names/places, 40% of other words
    replaced."""
    t = NUM.sub(lambda m: str(rng.randint(2, 9999)), t)
    t = CAP.sub(lambda m: rng.choice(names), t)
    words = t.split(" ")
    for j in range(1, len(words)):
        if len(words[j]) >= 4 and words[j][0].islower() and rng.random() < 0.4:
            words[j] = rng.choice(vocab)
    return " ".join(words)


def build(
    bases_n: int, seed: int
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, str], dict[str, str], dict[str, str]]:
    """The eval corpus: (articles, paragraphs, family of each paragraph_id, kind of each
    paragraph_id, expected duplicate_of of each article_id that is a re-scrape)."""
    rng = random.Random(seed)
    arts, paras = real_clean()
    body = paras.filter(
        ~pl.col("is_boilerplate") & pl.col("text").str.count_matches(r"\S+").is_between(12, 120)
    )
    body = body.unique("text", keep="first", maintain_order=True)
    pool = body["text"].to_list()
    rng.shuffle(pool)
    vocab = [w for w in re.findall(r"[a-z]{4,}", " ".join(pool[:5000]))]
    names = sorted({w for w in re.findall(r"(?<=\s)[A-Z][a-z]{3,}", " ".join(pool[:5000]))})
    # bases: pairwise-distinct real paragraphs (exact 3-shingle Jaccard < 0.3 to every earlier base)
    bases: list[str] = []
    sh: list[set[str]] = []
    postings: dict[str, list[int]] = {}
    for t in pool:
        s = shingles(t)
        cand = {i for g in s for i in postings.get(g, ())}
        if any(jaccard(s, sh[i]) >= 0.3 for i in cand):
            continue
        for g in s:
            postings.setdefault(g, []).append(len(bases))
        bases.append(t)
        sh.append(s)
        if len(bases) == bases_n:
            break
    rows: list[tuple[str, str, str | None]] = []
    family: dict[str, str] = {}
    kind: dict[str, str] = {}
    art_ids: list[str] = []
    pub: list[datetime | None] = []
    t0 = datetime(2019, 9, 1, 2, tzinfo=UTC)

    def article(texts: list[tuple[str, str, str, str | None]], day: int) -> str:
        aid = f"e{len(art_ids):07d}"
        art_ids.append(aid)
        pub.append(t0 + timedelta(days=day, minutes=len(art_ids)))
        for k, (text, fam, knd, rule) in enumerate(texts):
            pid = f"{aid}-{k:04d}"
            rows.append((aid, text, rule))
            family[pid], kind[pid] = fam, knd
        return aid

    # base articles (4 bases each), published first
    for i in range(0, len(bases), 4):
        article(
            [(bases[j], f"b{j}", "base", None) for j in range(i, min(i + 4, len(bases)))], day=0
        )
    # positive articles: 4 variants of bases from different base articles, published later
    variants: list[tuple[str, str, str]] = []
    types = list(POSITIVES)
    for j, t in enumerate(bases):
        for step in range(len(types)):
            name = types[(j + step) % len(types)]
            v = POSITIVES[name](t, rng)
            if v and norm_key(v) != norm_key(t):
                variants.append((v, f"b{j}", name))
                break
    rng.shuffle(variants)
    for i in range(0, len(variants), 4):
        article([(v, fam, knd, None) for v, fam, knd in variants[i:i + 4]], day=1)
    # hard negatives: template swaps of bases, and short quotes differing by speaker or words
    negs = []
    for j, t in enumerate(bases[: len(bases) // 2]):
        n = template_swap(t, rng, names, vocab)
        if jaccard(shingles(n), sh[j]) < 0.3:  # a negative must really state other facts
            negs.append((n, f"n{j}", "template_swap", None))
    phrases = [" ".join(t.split()[:rng.randint(3, 6)]).strip(",.") for t in pool[-400:]]
    speakers = rng.sample(names, min(60, len(names)))
    q = 0
    for ph in phrases[:200]:
        # the same words from two speakers are two different quotes
        for sp in rng.sample(speakers, 2):
            negs.append((f"“{ph},” kata {sp}.", f"q{q}", "short_quote", None))
            q += 1
    rng.shuffle(negs)
    for i in range(0, len(negs), 4):
        article(negs[i:i + 4], day=2)
    # re-scrapes: real multi-paragraph articles fetched twice, with another header and an extra
    # footer line
    used = set(bases)
    multi = (paras.filter(~pl.col("is_boilerplate")).group_by("article_id", maintain_order=True)
             .agg(pl.col("text")).filter(pl.col("text").list.len().is_between(3, 30)))
    candidates = [ts for ts in multi["text"].to_list() if not used.intersection(ts)]
    rng.shuffle(candidates)
    originals = []
    # keep only articles with no paragraph close to a base or to another chosen original
    for ts in candidates:
        shs = [shingles(t) for t in ts]
        if any(
            jaccard(x, sh[i]) >= 0.3
            for x in shs
            for i in {i for g in x for i in postings.get(g, ())}
        ):
            continue
        for x in shs:
            for g in x:
                postings.setdefault(g, []).append(len(sh))
            sh.append(x)
        originals.append(ts)
        if len(originals) == 300:
            break
    expected: dict[str, str] = {}
    for r, ts in enumerate(originals):
        fam = [f"r{r}-{k}" for k in range(len(ts))]
        orig = article([(t, fam[k], "rescrape_original", None) for k, t in enumerate(ts)], day=3)
        copy = [("Portal Berita Nusantara", f"h{r}", "header", "site_name")]
        copy += [(t, fam[k], "rescrape_copy", None) for k, t in enumerate(ts)]
        copy.append(
            (
                "Ikuti terus berita terbaru dan terkini dari kami setiap hari.",
                "footer",
                "footer",
                None,
            )
        )
        expected[article(copy, day=3)] = orig
    return articles_frame(art_ids, pub), paragraphs_frame(rows), family, kind, expected


def evaluate(
    p: pl.DataFrame,
    a: pl.DataFrame,
    family: dict[str, str],
    kind: dict[str, str],
    expected: dict[str, str],
) -> dict:
    fam = pl.DataFrame(
        {"paragraph_id": list(family), "fam": list(family.values()), "kind": list(kind.values())}
    )
    d = p.join(fam, on="paragraph_id").join(
        fam.select(pl.col("paragraph_id").alias("duplicate_of"), pl.col("fam").alias("canon_fam")),
        on="duplicate_of",
        how="left",
    )
    # two texts that are equal once normalised are copies by definition, whatever family generated
    # them
    canon_text = p.select(
        pl.col("paragraph_id").alias("duplicate_of"), pl.col("text").alias("canon_text")
    )
    links = d.filter(pl.col("duplicate_of").is_not_null()).join(
        canon_text, on="duplicate_of", how="left"
    )
    same = [norm_key(x) == norm_key(y) for x, y in links.select("text", "canon_text").iter_rows()]
    links = links.with_columns(
        ((pl.col("fam") == pl.col("canon_fam")) | pl.Series(same)).alias("ok")
    )
    correct = links.filter(pl.col("ok")).height
    res: dict[str, object] = {"links": links.height, "precision": correct / max(1, links.height)}
    pos = d.filter(pl.col("kind").is_in(list(POSITIVES)))
    res["recall"] = pos.filter(pl.col("fam") == pl.col("canon_fam")).height / max(1, pos.height)
    res["positives"] = pos.height
    res["recall_by_type"] = {
        k: (g.filter(pl.col("fam") == pl.col("canon_fam")).height / g.height, g.height)
        for (k,), g in pos.group_by("kind")
        if g.height
    }
    negs = d.filter(pl.col("kind").is_in(["template_swap", "short_quote"]))
    res["false_links_by_negative_type"] = {
        k: (g.filter(pl.col("duplicate_of").is_not_null()).height, g.height)
        for (k,), g in negs.group_by("kind")
    }
    got = dict(a.select("article_id", "duplicate_of").iter_rows())
    res["article_dup_recall"] = sum(got.get(c) == o for c, o in expected.items()) / max(
        1, len(expected)
    )
    flagged = {k for k, v in got.items() if v}
    res["article_dup_precision"] = sum(got[k] == expected.get(k) for k in flagged) / max(
        1, len(flagged)
    )
    res["article_dups_expected"], res["article_dups_flagged"] = len(expected), len(flagged)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bases", type=int, default=1500)
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()
    arts, paras, family, kind, expected = build(args.bases, args.seed)
    t = time.perf_counter()
    p, a, _, stats = dedup(paras, arts, None)
    secs = time.perf_counter() - t
    r = evaluate(p, a, family, kind, expected)
    print(f"eval corpus: {arts.height} articles, {paras.height} paragraphs ({r['positives']} "
          f"generated copies), dedup {secs:.1f}s")
    print(f"paragraph precision {r['precision']:.4f} over {r['links']} links   (target >= 0.99)")
    print(f"paragraph recall    {r['recall']:.4f} over {r['positives']} copies (target >= 0.95)")
    for k, (v, n) in sorted(r["recall_by_type"].items()):
        print(f"  recall {k:16s} {v:.4f}  (n={n})")
    for k, (fp, n) in sorted(r["false_links_by_negative_type"].items()):
        print(f"  hard negative {k:14s} wrongly linked {fp}/{n}")
    print(f"article duplicates: recall {r['article_dup_recall']:.4f} of "
          f"{r['article_dups_expected']} re-scrapes, "
          f"precision {r['article_dup_precision']:.4f} of {r['article_dups_flagged']} flagged "
          "(target: all found)")


if __name__ == "__main__":
    main()
