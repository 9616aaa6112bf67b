"""The hand-labelled cleaning set (bench/clean_eval) stays consistent, and the clean stage keeps its
score on it.

The full benchmark (bench/clean_eval/score.py) cleans the whole real corpus; this test cleans just
the 65 labelled articles (their units joined back into text), so it runs anywhere in a second.
"""

from __future__ import annotations

from bench.clean_eval.score import load_gold, score
from tasks.clean.clean import clean_article


def test_labels_match_the_sample_and_cover_at_least_60_articles_from_8_outlets():
    gold = load_gold()  # raises when a labelled span is not in its unit
    assert len(gold) >= 60 and len({a["outlet"] for a in gold}) >= 8


def test_clean_body_f1_and_leak_on_the_hand_labelled_articles():
    gold = load_gold()
    pred = {
        a["key"]: "\n\n".join(
            r.text for r in clean_article("\n\n".join(a["units"]), a["title_hint"]) if r.is_body
        )
        for a in gold
    }
    res = score(gold, pred)["ALL"]
    assert res["F1"] >= 0.97 and res["leak"] <= 0.01, res


def test_field_labels_cover_every_sampled_article():
    from bench.field_eval.score import FIELDS, HERE, read_tsv

    gold = read_tsv(HERE / "fields.tsv")
    assert {g["key"] for g in gold} == {a["key"] for a in load_gold()}
    assert all(set(FIELDS) <= set(g) for g in gold)
    assert {v["verdict"] for v in read_tsv(HERE / "quotes.tsv")} <= {
        "ok",
        "wrong_speaker",
        "not_quote",
    }
