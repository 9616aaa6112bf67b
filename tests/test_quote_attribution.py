"""Direct quotes and their speakers on small Indonesian fixtures written for each attribution shape:
speaker after or before the quote, pronouns, roles and bodies, split and multi-paragraph quotes,
fragment lines, inner quotes, repeated articles, fullest names, and a hostile paragraph that must
stay linear."""

from __future__ import annotations

import time

from tasks.extract.extract import fullest_name, story_surname_index
from tasks.extract.fast import quotes
from tasks.extract.quote_spans import quote_spans


def said(paragraphs: list[str], persons: list[str] | None = None) -> list[tuple[str, str | None]]:
    return [(q["quote"], q["speaker"]) for q in quotes(list(enumerate(paragraphs)), persons or [])]


def test_speaker_after_the_quote_keeps_the_full_name_without_the_title():
    got = said(['"Kami akan menaikkan anggaran tahun depan," kata Menteri Keuangan Sri Mulyani '
                'Indrawati di '
                "Jakarta, Senin."])
    assert got == [("Kami akan menaikkan anggaran tahun depan", "Sri Mulyani Indrawati")]


def test_a_first_name_takes_the_full_name_the_article_gives_later():
    got = said(['"Defisit tetap terjaga di bawah tiga persen," ujar Febrio.',
                "Kepala Badan Kebijakan Fiskal Febrio Kacaribu menambahkan bahwa penerimaan pajak "
                "naik."])
    assert got == [("Defisit tetap terjaga di bawah tiga persen", "Febrio Kacaribu")]


def test_a_surname_takes_the_full_name_given_before_and_ranks_are_dropped():
    got = said(["Kapolda Metro Jaya Irjen Pol Fadil Imran meninjau lokasi kebakaran pada Minggu "
                "pagi.",
                '"Api sudah padam dan tidak ada korban jiwa," kata Fadil.'])
    assert got == [("Api sudah padam dan tidak ada korban jiwa", "Fadil Imran")]


def test_speaker_before_the_quote_with_a_speech_verb_menurut_or_a_colon():
    assert said(
        ['Bupati Bogor Ade Yasin mengatakan, "Jalan itu akan kami perbaiki bulan ini."']
    ) == [("Jalan itu akan kami perbaiki bulan ini", "Ade Yasin")]
    assert said(['Menurut Bambang Soesatyo, "Semua fraksi sudah sepakat soal jadwal itu."']) == [
        ("Semua fraksi sudah sepakat soal jadwal itu", "Bambang Soesatyo")]
    assert said(['Ketua KPU Hasyim Asyari: "Tahapan pemilu tetap berjalan sesuai jadwal."']) == [
        ("Tahapan pemilu tetap berjalan sesuai jadwal", "Hasyim Asyari")]


def test_name_then_verb_after_the_quote():
    got = said(["Direktur Utama PLN Darmawan Prasodjo hadir di rapat itu.",
                '"Pasokan listrik aman sampai akhir tahun," Darmawan menjelaskan.'])
    assert got == [("Pasokan listrik aman sampai akhir tahun", "Darmawan Prasodjo")]


def test_pronoun_attributions_take_the_person_named_last():
    paras = ["Wali Kota Surabaya Eri Cahyadi meninjau pasar yang terbakar.",
             '"Pedagang akan kami pindahkan sementara ke lahan parkir," ujarnya.',
             '"Kami tidak akan membiarkan mereka kehilangan pendapatan," kata dia.',
             '"Semua biaya ditanggung pemerintah kota," ia menambahkan.',
             "Menurutnya, perbaikan pasar memakan waktu tiga bulan.",
             '"Targetnya selesai sebelum Lebaran," lanjut dia.']
    assert [s for _, s in said(paras)] == ["Eri Cahyadi"] * 4


def test_a_pronoun_after_a_second_person_goes_to_that_person():
    paras = ['"Harga beras mulai turun pekan ini," kata Budi Santoso.',
             "Sementara itu, ketua koperasi setempat, Siti Aminah, mengatakan stok petani menipis.",
             '"Kami belum bisa menjual lebih banyak lagi," ujarnya.']
    assert [s for _, s in said(paras)] == ["Budi Santoso", "Siti Aminah"]


def test_bodies_and_roles_are_speakers_when_no_person_is_named():
    assert said(['"Kami mengecam keras serangan terhadap warga sipil itu," kata Kementerian Luar '
                 'Negeri Israel '
                 "dalam pernyataannya."]) == [
        ("Kami mengecam keras serangan terhadap warga sipil itu", "Kementerian Luar Negeri Israel")]
    assert said(
        ['"Pelaku sudah kami amankan di markas," kata pihak kepolisian kepada wartawan.']
    ) == [("Pelaku sudah kami amankan di markas", "pihak kepolisian")]
    assert said(
        ['"Berkas perkara akan dilimpahkan pekan depan," ujar juru bicara KPK di Jakarta.']
    ) == [("Berkas perkara akan dilimpahkan pekan depan", "juru bicara KPK")]


def test_a_role_the_article_names_elsewhere_is_that_person():
    paras = ["Kasat Reskrim Polres Bekasi Kompol Heri Sutrisno membenarkan laporan itu.",
             '"Kasus ini sedang kami dalami bersama unit lain," ujar Kasat Reskrim singkat.']
    assert said(paras) == [("Kasus ini sedang kami dalami bersama unit lain", "Heri Sutrisno")]


def test_a_name_after_a_role_and_comma_and_an_anaphoric_phrase():
    paras = ['"Semua calon diperlakukan sama," kata juru bicara panitia, Rina Kartika, Senin.',
             '"Tidak ada yang kami istimewakan sama sekali," ujar perempuan 45 tahun itu.']
    assert [s for _, s in said(paras)] == ["Rina Kartika", "Rina Kartika"]


def test_a_split_quote_belongs_to_its_speaker_twice():
    got = said(['"Kami siap membangun jembatan itu," kata Budi Santoso, "asal anggarannya cair '
                'bulan ini."'])
    assert got == [("Kami siap membangun jembatan itu", "Budi Santoso"),
                   ("asal anggarannya cair bulan ini", "Budi Santoso")]


def test_a_multi_paragraph_quote_is_one_quote():
    paras = ['"Kami sudah bekerja keras sepanjang tahun untuk warga desa.',
             '"Hasilnya akan terlihat bulan depan," kata Kepala Desa Sukamaju, Dedi Mulyadi.']
    got = said(paras)
    assert got == [("Kami sudah bekerja keras sepanjang tahun untuk warga desa. Hasilnya akan "
                    "terlihat bulan depan",
                    "Dedi Mulyadi")]


def test_fragment_lines_of_inline_links_do_not_break_a_quote():
    paras = ['"Kami akan memeriksa semua saksi di', "Polda Metro Jaya",
             'pekan depan," kata Kombes Ade Ary Syam Indradi.']
    got = quotes(list(enumerate(paras)), [])
    assert [(q["quote"], q["speaker"], q["paragraph_index"]) for q in got] == [
        (
            "Kami akan memeriksa semua saksi di Polda Metro Jaya pekan depan",
            "Ade Ary Syam Indradi",
            0,
        )
    ]


def test_a_quote_split_at_its_closing_mark_by_the_splitter_is_found():
    paras = ['Harga cabai naik lagi. "Stok dari petani berkurang karena hujan', '" kata pedagang '
                                                                                'Pasar Minggu,',
             "Slamet Riyadi, Senin."]
    assert said(paras) == [("Stok dari petani berkurang karena hujan", "Slamet Riyadi")]


def test_a_quote_whose_closing_mark_was_lost_ends_at_its_attribution():
    paras = ['"Benar, berkasnya sudah kami terima kemarin, ujar Kepala Kejaksaan Negeri Bandung, '
             'Irfan Wibowo.',
             "Pemeriksaan saksi dilanjutkan pekan depan."]
    assert said(paras) == [("Benar, berkasnya sudah kami terima kemarin", "Irfan Wibowo")]


def test_curly_quotes_and_inner_quotes():
    assert said(["“Dia menyebut kami ‘pengkhianat’ di depan umum,” kata Budi Santoso."]) == [
        ("Dia menyebut kami ‘pengkhianat’ di depan umum", "Budi Santoso")]
    assert said(['"Kami menamainya program “Kampung Sehat” sejak awal," ujar Ani Lestari.']) == [
        ("Kami menamainya program “Kampung Sehat” sejak awal", "Ani Lestari")]


def test_indirect_speech_scare_quotes_and_titles_are_no_direct_quotes():
    assert (
        said(["Budi Santoso mengatakan bahwa pemerintah akan menaikkan anggaran pendidikan."]) == []
    )
    assert said(['Polisi menyebut kelompok itu "geng motor" yang meresahkan warga.']) == []
    assert said(['Acara bertema "Membangun Desa Maju Bersama Rakyat Indonesia" digelar Senin.',
                 '"Semua warga diundang hadir," kata Lurah Joko Susilo.']) == [
        ("Semua warga diundang hadir", "Joko Susilo")]
    assert (
        said(['Skor akhir 2-1, gol kedua dicetak pada menit 81"), lalu pertandingan usai.']) == []
    )


def test_a_quote_the_scrape_repeats_is_counted_once():
    article = ['"Vaksin tiba di bandara pagi ini," kata Siti Nadia Tarmizi.', "Distribusi dimulai "
                                                                              "besok."]
    got = said(article + article)
    assert got == [("Vaksin tiba di bandara pagi ini", "Siti Nadia Tarmizi")]


def test_a_quote_without_attribution_after_another_goes_to_the_same_speaker():
    paras = ['"Persaingan di tim ini sangat ketat," kata Egy Maulana Vikri.',
             '"Saya harus terus berlatih agar bisa bermain di setiap pertandingan."']
    assert [s for _, s in said(paras)] == ["Egy Maulana Vikri", "Egy Maulana Vikri"]


def test_fullest_name_keeps_particles_and_initials_and_skips_clubs_named_alone():
    text = ("Mantan gelandang Madrid, Ruben de la Red, memuji pelatihnya. Menteri Keuangan Bambang "
            "PS "
            "Brodjonegoro hadir. Pemain baru Persib Ahmad Jufriyanto bergabung. Persib kalah di "
            "kandang.")
    assert fullest_name("de la Red", text) == "Ruben de la Red"
    assert fullest_name("Bambang", text) == "Bambang PS Brodjonegoro"
    assert fullest_name("Jufriyanto", text) == "Ahmad Jufriyanto"
    # "Persib" is named on its own
    assert fullest_name("Ahmad Jufriyanto", text) == "Ahmad Jufriyanto"
    assert fullest_name("B. J. Habibie", "Presiden ketiga B. J. Habibie wafat.") == "B. J. Habibie"


def test_story_resolution_only_when_one_full_name_holds_the_word():
    index = story_surname_index(["Bambang Brodjonegoro", "Bambang Soesatyo", "Emil Dardak"])
    assert "Bambang" not in index
    assert index["Soesatyo"] == "Bambang Soesatyo" and index["Emil"] == "Emil Dardak"
    assert (
        story_surname_index(["Agus Harimurti Yudhoyono", "Agus Harimurti"])["Agus"]
        == "Agus Harimurti Yudhoyono"
    )


def test_the_same_first_name_in_different_articles_is_not_merged():
    a = said(['"Jalan tol dibuka bulan depan," kata Emil.', "Wakil Gubernur Jawa Timur Emil Dardak "
                                                            "hadir."])
    b = said(['"Hutan kita makin sempit," ujar Emil.', "Ekonom senior Emil Salim mengingatkan "
                                                       "pemerintah."])
    c = said(['"Kami belum memutuskan apa pun soal itu," kata Emil.'])
    assert [s for _, s in a + b + c] == ["Emil Dardak", "Emil Salim", "Emil"]


def test_quote_spans_read_marks_in_one_pass():
    text = '"Satu dua tiga," kata A. Skor 81" lalu. “Empat lima enam,” ujar B.'
    assert [s.text for s in quote_spans(text)] == ["Satu dua tiga,", "Empat lima enam,"]


def _seconds(paragraphs: list[str]) -> float:
    """The best of three runs (the machine is shared: one slow run is noise, not cost)."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        quotes(list(enumerate(paragraphs)), ["Budi Santoso"])
        best = min(best, time.perf_counter() - t)
    return best


def test_thousands_of_repeated_attributions_in_one_paragraph_stay_linear():
    for unit in ('"Ya sudah begitu," kata Budi. ', '"Ya," kata Budi. ', '"Kami siap bekerja ',
                 'Budi mengatakan, "Ya sudah begitu saja." '):
        small, big = _seconds([unit * 2000]), _seconds([unit * 16000])
        # 8 times the text: linear ~8x, quadratic ~64x
        assert big < 20 * small + 0.5, (unit, small, big)
        assert big < 5.0, (unit, big)


def test_background_df_fast_reader_equals_the_rules_reader():
    from tasks import rules
    from tasks.extract.extract import _background_df

    assert _background_df() == rules.background_df()
