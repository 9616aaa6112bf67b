"""Quote and speaker shapes found on the fresh held-out set (bench/heldout_eval) and the PBA-news
set, one written fixture per class (sentences written for the test, not the sets' articles): a role
phrase with "dan" or comma-separated parts before the name, an abbreviated honorific, a long
lower-case apposition, a citing phrase after "kata dia", question and written-post verbs, a reversed
opening mark, a name glued to the next paragraph, institution words before a name, "menurutnya", a
run-together repeat, and quotes whose marks the scrape lost (first-person sentences closed by an
attribution verb; indirect speech stays no quote)."""

from __future__ import annotations

from tasks.extract.fast import quotes
from tasks.extract.quote_spans import PARA_SEP
from tasks.extract.unmarked_quotes import unmarked_spans


def said(paragraphs: list[str], persons: list[str] | None = None) -> list[tuple[str, str | None]]:
    return [(q["quote"], q["speaker"]) for q in quotes(list(enumerate(paragraphs)), persons or [])]


def speakers(paragraphs: list[str]) -> list[str | None]:
    return [s for _, s in said(paragraphs)]


def test_a_role_with_dan_before_the_name_gives_the_name():
    assert speakers(['"Semua berkas sudah kami serahkan," kata Kepala Bagian Hukum dan Humas '
                     'Pemkot Bogor '
                     "Dedi Suryadi di Balai Kota, Senin."]) == ["Dedi Suryadi"]
    assert speakers(['"Laporan itu masih kami pelajari," kata Kasubdit Penyidikan dan Penindakan '
                     'Bareskrim '
                     "Polri Kombes Pol Rudi Hartono."]) == ["Rudi Hartono"]


def test_a_name_after_several_comma_separated_role_parts():
    assert speakers(
        [
            '"Tinggal 200 berkas yang belum selesai," kata Kasubdit Pelayanan dan '
            "Perizinan, "
            "Kementerian Perhubungan RI, Rina Mardiani, saat ditemui di kantornya."
        ]
    ) == ["Rina Mardiani"]


def test_an_abbreviated_honorific_is_no_speaker():
    got = speakers(["Arsitek asal Belanda Paul Hendriks merancang gedung itu.",
                    '"Saya ingin gedung ini terasa ringan," kata Mr. Hendriks.'])
    assert got == ["Paul Hendriks"]


def test_a_person_presented_with_a_long_lower_case_apposition_takes_the_pronoun():
    got = speakers(["Dr Maria Lopez, dokter anak di Rumah Sakit Universitas Navarra, Pamplona, "
                    "Spanyol, "
                    "mengatakan bahwa anak butuh tidur cukup.",
                    '"Tidur sembilan jam sangat penting bagi mereka," katanya.'])
    assert got == ["Maria Lopez"]


def test_the_last_apposed_name_before_the_verb_is_the_one_presented():
    got = speakers(["Rapat dibuka Budi Hartanto, lalu Andi Wijaya, ketua RT setempat, menjelaskan "
                    "rencana itu.",
                    '"Kami akan kerja bakti setiap Minggu," ujarnya.'])
    assert got == ["Andi Wijaya"]


def test_kata_dia_with_a_citing_phrase_is_the_person_named_last():
    got = speakers(["Peneliti utama misi itu, Karl Lindqvist, menjelaskan temuan timnya.",
                    '"Gelombang ini lahir dari ledakan kecil di permukaan," kata dia dikutip dari '
                    'BBC.'])
    assert got == ["Karl Lindqvist"]


def test_question_and_written_post_verbs_attribute_a_quote():
    assert speakers(
        ['"Apakah Anda pernah menerima hadiah dari rekanan?" tanya Supriyadi Wibowo.']
    ) == ["Supriyadi Wibowo"]
    assert speakers(
        ['"Selamat jalan ibu, terima kasih untuk semuanya," tulis Dian Sastrowardoyo.']
    ) == ["Dian Sastrowardoyo"]


def test_a_closing_mark_used_to_open_a_quote_opens_it():
    got = said(["Tim SAR menerima laporan pukul 10.00.",
                "”Kami langsung menurunkan empat personel ke lokasi,” kata Budiman Santoso."])
    assert got == [("Kami langsung menurunkan empat personel ke lokasi", "Budiman Santoso")]
    assert (
        said(["Pertandingan berjalan 81” tanpa gol, lalu hujan turun deras di stadion itu."]) == []
    )


def test_a_name_glued_to_the_next_paragraph_still_extends_the_surname():
    got = speakers(["Karya itu dibuat pematung muda asal Bandung, Rizal Firmansyah.,Patung itu "
                    "berdiri di taman.",
                    '"Saya membuatnya selama dua bulan," kata Firmansyah.'])
    assert got == ["Rizal Firmansyah"]


def test_institution_and_founder_words_before_a_name_are_dropped():
    got = speakers(["Pemerhati Kejaksaan Hendra Gunawan menilai penggeledahan itu ceroboh.",
                    "Mantan anggota komisi ini menegaskan hal itu berbahaya.",
                    '"Setiap penggeledahan ada prosedurnya," katanya.'])
    assert got == ["Hendra Gunawan"]
    assert speakers(['"Kondisinya sudah membaik," kata Pendiri Yayasan Harapan Kasih, Maria Ulfa, '
                     'Sabtu.']) == [
        "Maria Ulfa"]


def test_menurutnya_ujarnya_and_ia_menambahkan_go_to_the_person_named_last():
    paras = ["Pelatih Angelo Alessio memimpin latihan Persija pagi ini.",
             'Menurutnya, "Tim ini butuh waktu untuk beradaptasi."',
             '"Kami akan siap pada laga pertama," ujarnya.',
             'Ia menambahkan, "Semua pemain dalam kondisi bugar."']
    assert speakers(paras) == ["Angelo Alessio"] * 3


def test_a_quote_in_a_run_together_repeat_of_the_article_is_counted_once():
    article = ['"Vaksin tiba di bandara pagi ini," kata Siti Nadia Tarmizi.', "Distribusi dimulai "
                                                                              "besok."]
    assert said(article + [" ".join(article)]) == [
        ("Vaksin tiba di bandara pagi ini", "Siti Nadia Tarmizi")
    ]


def test_first_person_sentences_closed_by_an_attribution_are_a_quote_whose_marks_were_lost():
    text = ("Polisi memeriksa tiga saksi ahli. Kami masih menunggu keterangan saksi ahli. Kita "
            "sudah "
            "memeriksa tiga orang, tutur Kapolsek Cempaka Putih Kompol Agus Salim di Jakarta, "
            "Selasa. "
            "Kasus itu dilaporkan pekan lalu.")
    assert said([text]) == [("Kami masih menunggu keterangan saksi ahli. Kita sudah memeriksa tiga "
                             "orang",
                             "Agus Salim")]


def test_a_sentence_continued_by_a_conjunction_joins_the_unmarked_quote():
    text = ("Ia menang 21-19.Tadi di lapangan agak ragu-ragu, lawannya bagus. Tetapi akhirnya saya "
            "bisa "
            "mengatasinya, ujar Panji usai laga.")
    assert [q for q, _ in said([text])] == [
        "Tadi di lapangan agak ragu-ragu, lawannya bagus. Tetapi akhirnya saya bisa mengatasinya"]


def test_indirect_speech_and_mid_sentence_attributions_are_no_unmarked_quote():
    assert (
        said(["Pemeriksaan itu berkaitan dengan dana bansos tahun 2012, kata Victor Antonius."])
        == []
    )
    assert (
        said(["Namun yang jelas, kata Bambang, kalaupun benar, utang itu bukan tanggungan kami."])
        == []
    )


def test_unmarked_spans_skip_marked_quotes_and_texts_without_first_person():
    marked_text = '"Kami siap bertanding besok," kata Egy Maulana.'
    # once, as a marked quote
    assert [q for q, _ in said([marked_text])] == ["Kami siap bertanding besok"]
    assert (
        unmarked_spans("Harga cabai naik lagi, kata pedagang." + PARA_SEP + "Pasar ramai.", [])
        == []
    )


def test_narration_hearsay_and_naming_phrases_are_no_unmarked_quote():
    # a narrator
    assert said(["Sesampai di rumah, aku bertanya kenapa dia membeli tiga tiket, ucapnya."]) == []
    # hearsay
    assert said(["Saat kami makan siang di kantor, katanya ada tamu di luar menunggu."]) == []
    assert said(["Kami berpacaran dengan seorang pria, sebut saja S, selama empat tahun."]) == []
    # goes on
    assert said(["Saat nomor pengirim kita blokir pun, kata dia, tetap tidak efektif."]) == []


def test_an_alias_in_brackets_takes_the_full_name():
    got = speakers(["Presiden Joko Widodo (Jokowi) bertemu tokoh Papua di Istana.",
                    '"Jadi mulai tahun depan istana ini akan dibangun," kata Jokowi.'])
    assert got == ["Joko Widodo"]


def test_a_sentence_opening_word_the_article_writes_in_lower_case_is_no_name():
    got = speakers(["Ia menyebut pendekatan kesejahteraan dibutuhkan. Pendekatan Rahmat dinilai "
                    "tepat.",
                    '"Kami akan bangun sekolah di sana," kata Rahmat.'])
    assert got == ["Rahmat"]
