"""Export shapes seen on the real CLICK-ID corpus: header rows repeated inside a CSV, quotes cut at
`,"` by the glued-comma splitter, and lone punctuation rows counted apart as residue."""

from __future__ import annotations

from tasks import rules
from tasks.ingest.ingest import read_csv_text, records_from_rows
from tasks.text import split_glued_commas, split_lines


def test_a_header_row_repeated_inside_an_export_is_quarantined_not_an_article():
    csv = ("title,source,date,content,url\n"
           "Harga Cabai Naik,kompas,2019-09-01,\"Harga cabai naik di pasar.,Pedagang "
           "mengeluh.\",https://a.id/1\n"
           "title,source,date,content,url\n"
           "Banjir di Bekasi,detik,2019-09-02,\"Banjir merendam rumah warga.\",https://a.id/2\n")
    res = records_from_rows(read_csv_text(csv, ","), "x.csv", "csv")
    assert [r.title_hint for r in res.records] == ["Harga Cabai Naik", "Banjir di Bekasi"]
    assert [(q.source_row, q.reason) for q in res.quarantined] == [(1, "header_row")]


def test_a_row_with_one_value_equal_to_its_column_name_is_still_an_article():
    csv = "title,content\ncontent,\"Kata content sering dipakai di media sosial, kata pengamat.\"\n"
    res = records_from_rows(read_csv_text(csv, ","), "x.csv", "csv")
    assert len(res.records) == 1 and not res.quarantined


def test_the_glued_comma_splitter_keeps_a_quote_whole():
    glued = ('“Kami siap menghadapi pemilu,” kata Ketua KPU.,"Semua logistik sudah dikirim," '
             'ujarnya.,'
             'Pemungutan suara digelar Rabu.')
    assert split_glued_commas(glued) == [
        "“Kami siap menghadapi pemilu,” kata Ketua KPU.",
        '"Semua logistik sudah dikirim," ujarnya.',
        "Pemungutan suara digelar Rabu.",
    ]


def test_a_comma_joined_export_still_splits_at_paragraph_boundaries_before_an_opening_quote():
    text = ("Harga cabai naik tajam di pasar induk pekan ini menurut para pedagang.,"
            "“Kami rugi,” kata Budi.,Pemerintah berjanji turun tangan untuk menstabilkan harga "
            "cabai.")
    assert [t for _, t in split_lines(text)] == [
        "Harga cabai naik tajam di pasar induk pekan ini menurut para pedagang.", "“Kami rugi,” "
                                                                                  "kata Budi.",
        "Pemerintah berjanji turun tangan untuk menstabilkan harga cabai."]


def test_lone_punctuation_rows_are_counted_as_residue_apart_from_real_boilerplate():
    cats = rules.line_rule_categories()
    assert cats["dash_residue"] == cats["empty_punct"] == "residue"
    assert cats["baca_juga"] == "related" and cats["channel_promo"] == "social"
