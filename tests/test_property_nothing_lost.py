"""Property: any text goes through clean, dedup and extract without an exception, and every input
paragraph comes out either in the body or as a removed row (nothing is lost)."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.clean.clean import clean_article, clean_frame, source_paragraphs
from tasks.dedup.dedup import dedup
from tasks.extract.extract import extract
from tasks.ingest.ingest import Record, records_frame
from tasks.text import split_lines

# Real-looking pieces (boilerplate, datelines, quotes, captions, sign-offs) mixed with arbitrary
# text, so the
# rules actually fire on the generated inputs.
FRAGMENTS = [
    "Baca Juga: Harga Emas Hari Ini Naik Lagi",
    "BACA JUGA",
    "ADVERTISEMENT",
    "SCROLL TO CONTINUE WITH CONTENT",
    "JAKARTA, KOMPAS.com - Pemerintah menaikkan harga BBM.",
    "KONTAN.CO.ID - SEOUL.",
    "PYONGYANG—",
    "“Kami siap,” kata Menteri Keuangan Sri Mulyani.",
    '"Tidak ada masalah," ujar Budi.',
    "(sin)",
    "(*)",
    "FOTO: AFP",
    "(Foto: Dok. Humas)",
    "Editor: Ana",
    "Penulis: Rina dan Dodi",
    "Halaman 2",
    "Selanjutnya",
    "Leave a Comment",
    "Silakan baca konten menarik lainnya dari Kompas di Google News",
    "Rabu (19/6/2024)",
    "20 Juni 2024 13:40 WIB",
    "Dilansir Reuters, ",
    "Copyright © 2024 Kompas.com",
    "Harga beras di pasar naik.Dalam",
    ",,",
    ",Memasuki",
    "aktivis asal Swedia,",
    "Greta",
    "Thunberg",
    ", telah",
    "“",
    "”",
    '"',
    "(",
    ")",
    ":",
    "-",
    "—",
    # shapes of the fresh-set round: emptied embeds, closing taglines and slash credits, a wide gap
    # before
    # the lead, lettered list items, a headline glued to a sentence, promos varying by a name
    # (learnt by shape)
    '" tulis akun. "',
    ",#MasakBareng with DAPURKU",
    "      Andi Wijaya/Jawa Tengah",
    " " * 40,
    "(c) dalam film",
    "Baca juga: Harga Cabai Naik LagiPedagang mengeluh.",
    "Ikuti kabar Persib terbaru di saluran WhatsApp kami",
    "Ikuti kabar Persija Jakarta terbaru di saluran WhatsApp kami",
]
piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(min_size=0, max_size=60))
separator = st.sampled_from(["\n", "\n\n", " ", "", ",", ". "])
article_text = st.lists(st.tuples(piece, separator), min_size=0, max_size=25).map(
    lambda parts: "".join(p + s for p, s in parts))


def _squeeze(s: str) -> str:
    return "".join(s.split())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article_text, st.one_of(st.none(), st.text(max_size=30)))
def test_every_input_paragraph_is_body_or_a_removed_row(text, title_hint):
    rows = clean_article(text, title_hint)
    by_line: dict[int, str] = {}
    for r in rows:
        assert r.text.strip(), "no empty rows"
        by_line[r.source_line] = by_line.get(r.source_line, "") + r.text
    # inline-link fragments are joined into the paragraph they belong to (tasks/clean/fragments.py):
    # the rows of a
    # rebuilt paragraph hold every character of the source lines its join names, in order
    source = split_lines(text)
    rebuilt, joins = source_paragraphs(text)
    lines = dict(rebuilt)
    assert set(by_line) == {ln for ln, t in lines.items() if t.strip()}
    for ln, t in lines.items():
        assert _squeeze(by_line[ln]) == _squeeze(t), (
            "the rows of a line put back together are the line"
        )
    spans = {j.first: j for j in joins}
    for ln, t in lines.items():
        parts = [u for k, u in source if ln <= k <= spans[ln].last] if ln in spans else [t]
        assert _squeeze(t) == "".join(map(_squeeze, parts)), (
            "a rebuilt paragraph is the lines it names"
        )
        assert {r.joined for r in rows if r.source_line == ln} == {
            spans[ln].label() if ln in spans else None
        }
    assert "".join(map(_squeeze, lines.values())) == "".join(_squeeze(t) for _, t in source)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article_text, min_size=1, max_size=6))
def test_random_corpus_goes_through_every_stage_and_keeps_every_row(texts):
    recs = [Record(f"r{i}.txt", None, "txt", t) for i, t in enumerate(texts) if t.strip()]
    articles = records_frame(recs, None, datetime(2024, 1, 1, tzinfo=UTC))
    paragraphs = clean_frame(articles)
    p, a, _, _ = dedup(paragraphs, articles, None)
    assert p.height == paragraphs.height and a.height == articles.height
    key = ["article_id", "paragraph_index"]
    assert p.select(key).sort(key).equals(paragraphs.select(key).sort(key))
    arts, quotes, ents = extract(p, a, articles)
    assert arts.height == articles.height
    for row in arts.iter_rows(named=True):
        body_rows = p.filter((pl.col("article_id") == row["article_id"]) & pl.col("in_body"))[
            "text"
        ].to_list()
        assert row["body"] == "\n\n".join(body_rows)
        removed = p.filter((pl.col("article_id") == row["article_id"]) & ~pl.col("in_body")).height
        assert row["boilerplate_removed"] == removed
