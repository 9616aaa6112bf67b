"""What `berita run` says about a bad --input or BERITA_WORKERS: the path or variable, and the
fix."""

from __future__ import annotations

import pytest

from tasks.ingest.inputs import check_input_dir, empty_input_warning
from tasks.parallel import default_workers


def test_a_file_given_as_input_is_named_a_file_not_a_missing_folder(tmp_path):
    f = tmp_path / "artikel.txt"
    f.write_text("x")
    with pytest.raises(
        NotADirectoryError, match=r"is a file, not a folder.*--input " + str(tmp_path)
    ):
        check_input_dir(f)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        check_input_dir(tmp_path / "nope")
    check_input_dir(tmp_path)


def test_an_input_folder_without_articles_gets_a_warning(tmp_path):
    assert "nothing was ingested" in empty_input_warning(tmp_path)
    (tmp_path / "catatan.pdf").write_bytes(b"%PDF")
    assert "1 other file(s) skipped" in empty_input_warning(tmp_path)
    (tmp_path / "a.txt").write_text("Berita hari ini.")
    assert empty_input_warning(tmp_path) is None


def test_berita_workers_that_is_not_a_number_names_the_variable(monkeypatch):
    monkeypatch.setenv("BERITA_WORKERS", "abc")
    with pytest.raises(ValueError, match="BERITA_WORKERS must be a whole number >= 1, got 'abc'"):
        default_workers()
