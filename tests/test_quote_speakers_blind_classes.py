"""Speaker shapes found on the blind set (bench/blind_eval, issue 21), one invented fixture per
class (sentences written for the test, not the set's articles): spelled-out police ranks, English
job titles in capitals, ministry portfolios after "Menteri", and the other classes below. Each case
is run through the fast quotes and checked equal to the plain version."""

from __future__ import annotations

from tasks.extract import extract, fast


def speakers(paragraphs: list[str], persons: list[str] | None = None) -> list[str | None]:
    paras = list(enumerate(paragraphs))
    got = fast.quotes(paras, persons or [])
    assert got == extract.quotes(paras, persons or [])
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
