"""Speaker shapes found on the blind set (bench/blind_eval, issue 21), one invented fixture per
class (sentences written for the test, not the set's articles): spelled-out police ranks, English
job titles in capitals, ministry portfolios after "Menteri", and the other classes below. Each case
is run through the fast quotes and checked equal to the plain version."""

from __future__ import annotations

from tasks.extract import extract, fast


def speakers(paragraphs: list[str], persons: list[str] | None = None, title: str | None = None
             ) -> list[str | None]:
    """The speakers of the quotes in paragraphs; persons: the article's persons (by default those
    person_candidates finds, as the stage does)."""
    paras = list(enumerate(paragraphs))
    if persons is None:
        found = {p for t in paragraphs for p in extract.person_candidates(t)}
        persons = sorted(found, key=lambda p: (-len(p.split()), p))
    got = fast.quotes(paras, persons, title=title)
    assert got == extract.quotes(paras, persons, title)
    return [q["speaker"] for q in got]


def test_spelled_out_police_ranks_are_dropped_like_their_abbreviations():
    assert speakers(['"Korban masih kami periksa," kata Kepala Satuan Reserse Kriminal Polres '
                     "Metro Bekasi Ajun Komisaris Besar Dedi Kurniawan, Senin."]) == [
        "Dedi Kurniawan"]
    assert speakers(["Kepala Unit Reserse Kriminal Polsek Cibinong Inspektur Satu Marbun "
                     "mengatakan belum ada tersangka.",
                     '"Kami masih mengumpulkan keterangan saksi," kata dia.']) == ["Marbun"]


def test_english_job_titles_before_a_name_are_no_name():
    assert speakers(['"Kami ingin pelanggan merasakan jaringan kami," ujar Brand & Communication '
                     "Manager, Larasati Wibisono."]) == ["Larasati Wibisono"]
    assert speakers(['"Promo ini hanya sampai akhir bulan," kata VP Integrated Marketing '
                     "Communications Hendra Gunadi di Jakarta."]) == ["Hendra Gunadi"]


def test_a_ministry_portfolio_after_menteri_is_part_of_the_role():
    assert speakers(['"Target kunjungan tahun ini 18 juta wisman," kata Menteri Pariwisata '
                     "Rahmat Hidayat di Bali."]) == ["Rahmat Hidayat"]
    assert speakers(['"Jalan tol itu selesai bulan depan," ujar Menteri Pekerjaan Umum dan '
                     "Perumahan Rakyat Bambang Sudibyo."]) == ["Bambang Sudibyo"]


def test_kata_dia_after_a_venue_and_a_pronoun_subject_is_the_person_named_last():
    got = speakers(['"Anggaran itu belum kami terima," kata Sri Wahyuni di Kompleks Parlemen, '
                    "Rabu. Ia mengatakan pembahasan baru dimulai pekan depan.",
                    '"Semua masih di tingkat panitia kerja," kata dia.'])
    assert got == ["Sri Wahyuni", "Sri Wahyuni"]


def test_a_full_name_opening_the_text_completes_the_surname():
    got = speakers(["Lionel Pradana memperingatkan rekan setimnya agar tidak cepat puas.",
                    '"Kami baru menang dua kali, musim masih panjang," jelas Pradana.'])
    assert got == ["Lionel Pradana"]


def test_cerita_after_a_quote_attributes_it():
    got = speakers(['"Waktu itu saya panik sekali, asap sudah masuk kamar," cerita Dodit '
                    "Mulyanto saat ditemui di Jakarta."])
    assert got == ["Dodit Mulyanto"]


def test_a_determiner_before_a_role_is_dropped():
    got = speakers(['"Saya tidak akan membeli produk mereka lagi," tulis seorang pengguna '
                    "Instagram."])
    assert got == ["pengguna Instagram"]


def test_a_statement_word_before_a_body_names_the_body():
    got = speakers(['"Film ini tidak pernah dimaksudkan memuliakan kekerasan," tulis keterangan '
                    "Paramount Pictures, seperti dilansir media setempat."])
    assert got == ["Paramount Pictures"]


def test_a_derived_noun_opening_a_sentence_is_no_first_name():
    got = speakers(["Pendaftaran dibuka sejak Senin.",
                    "Kedatangan Rahmat ke kantor partai disambut pengurus. Rahmat mengaku ingin "
                    'mendaftar. "Iya, saya mau jadi anggota," jawabnya.'])
    assert got == ["Rahmat"]


def test_an_honorific_before_a_name_is_no_part_of_it():
    got = speakers(['"Karena Mas Yudi warga sini, kami yang mengurus," kata Joko.',
                    'Yudi lalu mengaku senang. "Terima kasih, semua lancar," jawabnya.'])
    assert got == ["Joko", "Yudi"]


def test_a_club_between_a_title_and_a_name_ends_the_club():
    got = speakers(["Laga berakhir imbang tanpa gol.",
                    "Kiper Liverpool Simon Hartono mengaku senang timnya tak kebobolan.",
                    '"Kami bertahan dengan baik sepanjang laga," kata Hartono.'])
    assert got == ["Simon Hartono"]


def test_a_body_named_after_a_person_gives_no_fuller_name():
    got = speakers(["Yayasan Hendra Wijaya menyalurkan bantuan ke Palu. Sementara itu, sekolah "
                    "milik Hendra, Hendra School of Arts, menggalang dana.",
                    '"Kami kirim dua truk bantuan," kata Hendra.'])
    assert got == ["Hendra"]


def test_the_titles_fuller_name_completes_a_surname_the_body_gives_alone():
    body = ["Gubernur , melantik dua pejabat baru. Rizal berharap keduanya bekerja cepat.",
            '"Banyak acara yang tidak mungkin saya hadiri sendiri," ujarnya.']
    assert speakers(body, title="Lantik Dua Pejabat, Rizal Hakimi: Bisa Bantu Kerja") == [
        "Rizal Hakimi"]
    # a headline's capitalised verb after the name is no part of it
    assert speakers(body, title="Rizal Hakimi Lantik Dua Pejabat Baru") == ["Rizal"]
    # nor a word the text writes in lower case
    assert speakers(body + ["Ia putra daerah."], title="Lantik Pejabat, Rizal Putra") == [
        "Rizal"]


def test_ujarnya_after_a_name_with_a_relative_clause_is_the_subject_not_the_object():
    got = speakers(["Raka Aditya Pratama, yang merupakan putra bungsu dari Bambang Sulistyo (,) "
                    "mengaku keluarga sengaja membawa ayahnya ke rumah sakit.",
                    '"Kami ingin bapak benar-benar istirahat," ujarnya di lokasi.'])
    assert got == ["Raka Aditya Pratama"]


def test_a_name_after_oleh_is_the_object_not_the_next_speaker():
    got = speakers(['"Saya ingin mencoba hal baru," kata Dimas Anggara.',
                    "Lagu itu diciptakan oleh Tono Sitompul, bercerita tentang masa kecil.",
                    '"Lagunya tentang kenangan masa kecil yang menyenangkan," terangnya.'])
    assert got == ["Dimas Anggara", "Dimas Anggara"]


def test_a_name_inside_what_the_sentences_subject_reports_is_no_speaker():
    got = speakers(['"Klien saya kooperatif," kata Hendro Siregar.',
                    "Hendro menambahkan, Samsul juga sudah mengaku menerima uang itu.",
                    '"Ada titipan uang, pertama dan kedua jumlahnya sama," katanya.'])
    assert got == ["Hendro Siregar", "Hendro Siregar"]


def test_an_untitled_full_name_opening_a_sentence_is_its_subject():
    got = speakers(["Rizky Maulana Saputra akhirnya menjalani operasi di kaki kanannya. Kini ia "
                    "harus istirahat.",
                    '"Saya belum bisa ikut latihan," tutur pesepakbola asal Malang ini.'])
    assert got == ["Rizky Maulana Saputra"]
    # a club or a place opening a sentence is no person
    assert speakers(["Manchester City mengalahkan Everton 2-0.",
                     '"Kami bermain sangat baik malam ini," ujarnya.']) == [None]


def test_a_known_full_name_goes_on_where_its_surname_also_stands_alone():
    got = speakers(["Raka Aditya Pratama, yang merupakan putra dari Pratama, datang ke rumah "
                    "sakit.", "Lebih lanjut, Raka membantah kabar itu.",
                    '"Tidak ada yang kritis, jangan percaya hoaks," pungkasnya.'],
                   ["Raka Aditya Pratama"])
    assert got == ["Raka Aditya Pratama"]


def test_a_curly_opening_mark_closed_by_a_straight_one_is_a_quote():
    got = speakers(["Menteri Perhubungan Rudi Hartanto melayat ke rumah duka.",
                    '“Kita kenang segala karya beliau sebagai inspirasi," pungkas dia.'])
    assert got == ["Rudi Hartanto"]
    # a straight-quoted phrase inside a curly quote stays inside it
    assert [q["quote"] for q in fast.quotes([(0, '“Ia bilang "Kampung Sehat" itu bagus sekali,” '
                                                 "kata Budi.")], [])] == [
        'Ia bilang "Kampung Sehat" itu bagus sekali']


def test_a_name_spelled_two_ways_takes_the_form_written_first():
    got = speakers(["Wakil Ketua KPK, Herlambang Seno Adjie menegaskan lembaganya tidak pernah "
                    "mengkriminalisasi pejabat.",
                    '"Kami sependapat dengan Presiden," kata Herlambang Seno Adji di Jakarta.'])
    assert got == ["Herlambang Seno Adjie"]
    got = speakers(['"Klien saya kooperatif," kata kuasa hukumnya, John Ely Situmorang.',
                    "Jhon membantah kliennya menyeret pihak lain.",
                    '"Dia hanya menceritakan fakta," ujar dia.'])
    assert got == ["John Ely Situmorang", "John Ely Situmorang"]
    # two people whose short names are a letter apart stay two
    got = speakers(['"Kami siap bekerja," kata Andri Wijaya.',
                    'Andi mengatakan hal lain. "Saya juga siap," ujarnya.'])
    assert got == ["Andri Wijaya", "Andi"]


def test_an_abbreviated_minister_title_is_no_part_of_the_name():
    got = speakers(['"Tim ini mengedepankan pencegahan," kata Menkopolhukam Luhut Pandjaitan.'])
    assert got == ["Luhut Pandjaitan"]


def test_a_noun_or_body_opening_a_sentence_is_no_untitled_subject():
    for opening in ("Unggahan Melani Subono mendapat dukungan warganet.",
                    "PT Transjakarta menyerahkan penyelidikan kepada polisi.",
                    "Aplikasi Garda Mobile diluncurkan sejak 2015, aplikasi itu terus diperbarui.",
                    "Wafatnya Habibie meninggalkan duka mendalam."):
        got = speakers(['"Kami tetap bekerja seperti biasa," kata Nadia Prameswari.', opening,
                        '"Semua biaya perawatan kami tanggung," katanya.'])
        assert got == ["Nadia Prameswari", "Nadia Prameswari"], opening


def test_a_pronoun_subject_after_an_object_takes_the_titled_subject_before_it():
    got = speakers(["Wakil Ketua KPK Sahat Simanjuntak pun memuji Jokowi. Ia mengatakan langkah "
                    "itu tepat.", '"Itu keputusan yang paling berani," katanya.'])
    assert got == ["Sahat Simanjuntak"]


def test_a_company_holding_a_place_name_is_no_part_of_the_name():
    got = speakers(["Direktur Utama PT Jakarta Propertindo Dwi Wahyu Daryanto mengatakan renovasi "
                    "harus selesai.", '"Selesainya dua bulan sebelum dipakai," kata Dwi.'])
    assert got == ["Dwi Wahyu Daryanto"]


def test_a_nickname_the_article_explains_gives_the_full_name():
    got = speakers(["Pemain muda Muhammad Iqbal Ramadhan (akrab disapa Baim) mencetak dua gol.",
                    '"Saya senang bisa membantu tim," kata Baim.'])
    assert got == ["Muhammad Iqbal Ramadhan"]
    # explained after the nickname is first used, by the person an anaphoric attribution names
    got = speakers(['"Kami akan membuka semua rekam jejak," lanjut Buwas.',
                    'Kepala Bareskrim Komjen Budi Waseso menegaskan hal itu. "Kami menjamin mereka '
                    'aman bekerja," ujar pria yang akrab disapa Buwas itu.'])
    assert got == ["Budi Waseso", "Budi Waseso"]
    # a nickname no pattern explains stays as written
    assert speakers(["Ketua DPC Solo, Hadi Rudyatmo, menemui Gibran.",
                     '"Semua sudah kami proses," ujar Rudy.']) == ["Rudy"]


def test_a_company_before_a_name_the_text_also_gives_alone_is_dropped():
    got = speakers(["Pembelian tiket bisa lewat produk Lintasnet di semua gerai.",
                    '"Kami sedang ada program promo konser," ujar VP Integrated Marketing '
                    "Communications Lintasnet Bayu Asmoro di Jakarta.",
                    '"Undangan juga bisa didapat di galeri kami," papar Bayu Asmoro.'])
    assert got == ["Bayu Asmoro", "Bayu Asmoro"]
    # a person presented as speaking on her own keeps her name
    got = speakers(["Presiden Joko Widodo membuka acara. Iriana mengatakan senang hadir.",
                    '"Acaranya bagus sekali," kata Ibu Negara Iriana Joko Widodo.'])
    assert got == ["Iriana Joko Widodo"]
