"""Quote extraction on scraped text: quotes split over lines, speakers behind job titles, pronoun
attributions."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.extract.extract import join_split_quotes, speaker_name
from tasks.extract.fast import quotes


def test_speaker_name_drops_positions_units_and_acronyms():
    assert speaker_name("Director Programming & Acquisition RCTI Dini Putri") == "Dini Putri"
    assert speaker_name("Richard Satur CEO dClinic") == "Richard Satur"
    assert speaker_name("Presiden Rusia Vladimir Putin") == "Vladimir Putin"
    assert speaker_name("Kasubbag Humas Kemenag Sumut") == ""


def test_quote_split_over_lines_by_the_scraper_is_rejoined():
    paras = [
        (0, '"'),
        (1, "Saya juga sebagai mantan atlet, juga mengawali dari audisi seperti ini"),
        (2, '" kata Susy kepada wartawan di Purwokerto, Senin (9/9/2019).'),
    ]
    assert join_split_quotes(paras)[0][0] == 0
    q = quotes(paras, ["Susy Susanti"])
    assert [(x["quote"], x["speaker"]) for x in q] == [
        ("Saya juga sebagai mantan atlet, juga mengawali dari audisi seperti ini", "Susy Susanti")]


def test_name_after_a_position_and_comma_is_the_speaker():
    paras = [(0, '"Kondisi keduanya belum memungkinkan untuk diterbangkan," kata Kasubbag Humas '
                 'Kemenag Sumut, Abdul Azhim, Senin.')]
    assert quotes(paras, [])[0]["speaker"] == "Abdul Azhim"


def test_pronoun_attribution_takes_the_person_presented_last_not_the_previous_speaker():
    paras = [
        (0, '"Progresnya positif dan bagus sekali," kata M Nuh di lokasi.'),
        (1, "Hal senada dituturkan Kepala BPPT Hammam Riza. Hammam mengatakan kondisi Habibie "
            "membaik."),
        (2, '"Prof Habibie tidur tapi ada gerakan-gerakan," pungkasnya.'),
    ]
    assert [x["speaker"] for x in quotes(paras, ["M Nuh", "Hammam Riza"])] == [
        "M Nuh",
        "Hammam Riza",
    ]


def test_a_sentence_opening_word_is_never_a_speaker():
    paras = [
        (0, "Selain berharap kesembuhan, dia ingin lapak itu ditutup."),
        (1, '"Harapannya lapak itu segera ditutup," tandasnya.'),
    ]
    assert quotes(paras, [])[0]["speaker"] is None


def test_clear_indonesian_and_english_are_decided_without_langdetect_and_mixed_text_is_not():
    from tasks.extract.extract import function_word_language, language

    idn = ("Pemerintah akan menaikkan harga bahan bakar minyak pada pekan depan karena subsidi "
           "yang terus membengkak "
           "dan anggaran negara yang tidak cukup untuk menutup selisih harga dengan pasar dunia, "
           "kata menteri itu.")
    en = ("The government will raise fuel prices next week because the subsidy keeps growing and "
          "the state budget "
          "is not enough to cover the gap with world market prices, the minister said on Monday in "
          "the capital.")
    assert function_word_language(idn) == "id" and language(idn) == "id"
    assert function_word_language(en) == "en" and language(en) == "en"
    assert function_word_language("Kurz und gut: das ist ein deutscher Satz ohne viele "
                                  "Funktionswörter " * 3) is None


_WORDS = [
    "Budi",
    "Santoso",
    "Joko",
    "Widodo",
    "Presiden",
    "Ani",
    "Kapolda",
    "Jawa",
    "Barat",
    "Siti",
    "Nurbaya",
]


@given(
    st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4).map(" ".join), max_size=8),
    st.sampled_from(_WORDS),
)
@settings(max_examples=300, deadline=None)
def test_surname_lookup_resolves_like_scanning_every_known_name(
    known: list[str], name: str
) -> None:
    from tasks.extract.extract import resolve, resolve_surname, surname_index

    assert resolve_surname(name, surname_index(known)) == resolve(name, known)
