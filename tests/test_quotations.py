"""extract/quotations: one row per distinct statement; the seeds' Putin quote is one quotation in
two outlets."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import polars as pl
import pytest

from tasks import schema
from tasks.extract import quotations
from tests.conftest import SHARED, run_all

SEEDS = SHARED / "seeds"


def quotes_frame(rows: list[tuple[str, str, str | None]]) -> pl.DataFrame:
    """Quote rows (article, words, speaker); each article's quote sits in paragraph len(words) %
    7."""
    return schema.conform(pl.DataFrame(
        [{"article_id": a, "paragraph_index": len(q) % 7, "quote": q, "speaker": s, "verb": "kata"}
         for a, q, s in rows]), schema.EXTRACT_QUOTES)


ARTS = pl.DataFrame({
    "article_id": ["a1", "a2", "a3", "a4"],
    "outlet": ["kompas.com", "tempo.co", "okezone.com", "tempo.co"],
    "published_at": [datetime(2019, 9, 19, 9, tzinfo=UTC), datetime(2019, 9, 19, 8, tzinfo=UTC),
                     datetime(2019, 9, 19, 10, tzinfo=UTC), None],
})
SAID = "Kami akan menindaklanjuti kebocoran data penumpang ini bersama pihak Malaysia"


def test_the_same_statement_with_other_commas_and_word_order_is_one_quotation_published_first():
    q = quotes_frame([("a1", SAID + ".", "Rudiantara"),
                      ("a2", "Kami akan menindaklanjuti, bersama pihak Malaysia, kebocoran data "
                             "penumpang ini",
                       "Rudiantara"),
                      ("a3", SAID, None)])
    out, qs = quotations.link_quotations(q, ARTS)
    assert out["quotation_id"].n_unique() == 1
    row = qs.row(0, named=True)
    assert row["first_article_id"] == "a2" and row["first_outlet"] == "tempo.co"
    assert row["n_articles"] == 3 and row["n_outlets"] == 3 and row["speaker"] == "Rudiantara"
    assert out["article_id"].to_list() == ["a1", "a2", "a3"]  # quotes keep their order


def test_same_words_by_two_named_speakers_are_two_quotations():
    q = quotes_frame([("a1", "Kami siap", "Anies Baswedan"), ("a2", "Kami siap", "Ridwan Kamil"),
                      ("a3", "Kami siap", "Anies Baswedan")])
    out, qs = quotations.link_quotations(q, ARTS)
    assert qs.height == 2
    ids = out["quotation_id"].to_list()
    assert ids[0] == ids[2] != ids[1]


def test_a_surname_only_attribution_joins_the_full_name_of_the_same_statement():
    q = quotes_frame(
        [
            ("a1", SAID, "Alexander Marwata"),
            ("a2", SAID, "Marwata"),
            ("a3", SAID, "Alexander Marwata"),
        ]
    )
    out, qs = quotations.link_quotations(q, ARTS)
    assert qs.height == 1 and qs["speaker"][0] == "Alexander Marwata" and qs["n_articles"][0] == 3


def test_different_statements_stay_apart_and_ids_do_not_depend_on_row_order():
    rows = [("a1", SAID, "Rudiantara"), ("a2", "Pemerintah tidak akan memberi kompensasi untuk "
                                               "lahan itu", "Sofyan"),
            ("a4", SAID, "Rudiantara")]
    out, qs = quotations.link_quotations(quotes_frame(rows), ARTS)
    assert qs.height == 2
    out2, qs2 = quotations.link_quotations(quotes_frame(rows[::-1]), ARTS)
    assert sorted(qs["quotation_id"].to_list()) == sorted(qs2["quotation_id"].to_list())
    assert qs.filter(pl.col("n_articles") == 2)["outlets"].to_list() == [["kompas.com", "tempo.co"]]


@pytest.fixture(scope="module")
def seeds_output(tmp_path_factory):
    if not (SEEDS / "gold.json").exists():
        pytest.skip("../shared/seeds not present: the seed quotation test needs the five seed "
                    "articles")
    src = tmp_path_factory.mktemp("seeds")
    for p in SEEDS.glob("*.txt"):
        shutil.copy(p, src / p.name)
    out = tmp_path_factory.mktemp("seeds_out")
    run_all(src, out)
    return out


def test_the_seeds_putin_quote_is_one_quotation_in_two_outlets(seeds_output):
    qs = pl.read_parquet(seeds_output / "extract" / "quotations.parquet")
    putin = qs.filter(pl.col("text").str.contains("(?i)perjanjian kemitraan komprehensif"))
    assert putin.height == 1
    row = putin.row(0, named=True)
    assert row["n_outlets"] == 2 and row["speaker"] == "Vladimir Putin"
    assert set(row["outlets"]) == {"samudrafakta.com", "sudutkota.id"}
    quotes = pl.read_parquet(seeds_output / "extract" / "quotes.parquet")
    assert quotes["quotation_id"].is_not_null().all()


def test_the_seeds_are_one_story(seeds_output):
    arts = pl.read_parquet(seeds_output / "dedup" / "articles.parquet")
    assert arts.height == 5 and arts["story_id"].n_unique() == 1


def test_near_wordings_found_a_batch_at_a_time_are_those_found_at_once():
    import dataclasses
    import random

    rnd = random.Random(7)
    vocab = [f"kata{i}" for i in range(400)]
    base = [rnd.sample(vocab, 12) for _ in range(60)]
    keys = []
    for k in range(600):  # each statement reworded: a word or two swapped, the order shuffled
        words = list(base[k % 60])
        for _ in range(rnd.randint(0, 2)):
            words[rnd.randrange(len(words))] = rnd.choice(vocab)
        rnd.shuffle(words)
        keys.append(" ".join(words))
    texts = pl.DataFrame({"_r": list(range(600)), "_key": keys}).unique("_key", keep="first")
    whole = quotations.near_wordings(texts)
    batched = quotations.near_wordings(
        texts, dataclasses.replace(quotations.DEFAULT, batch_texts=37)
    )
    assert len(whole[0]) > 150  # rewordings found
    assert whole[0].tolist() == batched[0].tolist() and whole[1].tolist() == batched[1].tolist()
