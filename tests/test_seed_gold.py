"""The five seed articles against ../shared/seeds/gold.json: bodies, removed boilerplate, fields,
quotes, story."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime

import polars as pl
import pytest

FIELDS = [
    "outlet",
    "title",
    "dateline",
    "authors",
    "editors",
    "signoff",
    "related_titles",
    "cited_sources",
]


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", s or "")).strip().casefold()


@pytest.fixture(scope="module")
def by_file(sample_output):
    rows = pl.read_parquet(sample_output / "extract" / "articles.parquet").to_dicts()
    return {r["source_path"].split("/")[-1]: r for r in rows}


def test_every_gold_body_paragraph_is_in_the_body_in_order(gold, by_file):
    for g in gold["articles"]:
        body = norm(by_file[g["file"]]["body"])
        pos = 0
        for p in g["body"]:
            found = body.find(norm(p), pos)
            assert found >= 0, f"{g['file']}: missing or out of order: {p[:60]!r}"
            pos = found + len(norm(p))


def test_no_gold_boilerplate_left_in_any_body(gold, by_file):
    bodies = [norm(r["body"]) for r in by_file.values()]
    for g in gold["articles"]:
        for b in g["boilerplate"]:
            assert all(norm(b) not in body for body in bodies), (
                f"{g['file']}: {b[:60]!r} left in a body"
            )


def test_body_paragraphs_equal_gold_exactly(gold, by_file):
    for g in gold["articles"]:
        got = [norm(p) for p in by_file[g["file"]]["body"].split("\n\n")]
        assert got == [norm(p) for p in g["body"]], g["file"]


def test_fields_equal_gold(gold, by_file):
    for g in gold["articles"]:
        r = by_file[g["file"]]
        for f in FIELDS:
            if f not in g:
                continue
            want, got = g[f], r[f]
            if isinstance(want, list):
                assert sorted(map(norm, got or [])) == sorted(map(norm, want)), (
                    f"{g['file']} {f}: {got!r}"
                )
            else:
                assert norm(got) == norm(want), f"{g['file']} {f}: {got!r} != {want!r}"


def test_published_at_is_utc_from_local_wib(gold, by_file):
    for g in gold["articles"]:
        got = by_file[g["file"]]["published_at"]
        if g["published_at"] is None:
            assert got is None, g["file"]
        else:
            want = datetime.fromisoformat(g["published_at"]).astimezone(UTC)
            assert got == want, g["file"]


def test_language_and_captions(gold, by_file):
    for g in gold["articles"]:
        r = by_file[g["file"]]
        assert r["language"] == g["language"]
        if "captions" in g:
            assert [norm(c) for c in r["captions"]] == [norm(c) for c in g["captions"]]
            assert r["photo_credits"] == g["photo_credits"]


def test_gold_quotes_found_with_full_speaker_names(gold, sample_output, by_file):
    quotes = pl.read_parquet(sample_output / "extract" / "quotes.parquet")
    for g in gold["articles"]:
        aid = by_file[g["file"]]["article_id"]
        mine = quotes.filter(pl.col("article_id") == aid).to_dicts()
        for q in g.get("quotes", []):
            hits = [m for m in mine if norm(m["quote"]).startswith(norm(q["starts"]))]
            assert hits, f"{g['file']}: quote {q['starts']!r} not found"
            assert hits[0]["speaker"] == q["speaker"], (
                f"{g['file']}: {hits[0]['speaker']} != {q['speaker']}"
            )


def test_seed_story_is_one_cluster(gold, by_file):
    for group in gold["story_groups"]:
        assert len({by_file[f]["story_id"] for f in group}) == 1


def test_removed_gold_boilerplate_is_kept_with_a_rule(gold, sample_output, by_file):
    paras = pl.read_parquet(sample_output / "clean" / "paragraphs.parquet")
    for g in gold["articles"]:
        removed = paras.filter(
            (pl.col("article_id") == by_file[g["file"]]["article_id"]) & pl.col("is_boilerplate")
        )
        texts = [norm(t) for t in removed["text"]]
        for b in g["boilerplate"]:
            assert norm(b) in texts, f"{g['file']}: {b!r} not kept as a removed row"
        assert removed["boilerplate_rule"].null_count() == 0
