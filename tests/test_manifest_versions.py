"""An upgrade of a library that shapes the outputs reruns the stages instead of skipping them as unchanged."""

from __future__ import annotations

import importlib.metadata

import pytest

from tasks import manifest


@pytest.mark.parametrize("library", ["ftfy", "trafilatura", "langdetect", "rensa", "polars"])
def test_a_new_version_of_an_output_library_changes_every_stage_fingerprint(library, sample_output, monkeypatch):
    real = importlib.metadata.version
    before = manifest.input_fingerprint("clean", None, sample_output)
    try:
        monkeypatch.setattr(importlib.metadata, "version",
                            lambda name: "999.0" if name == library else real(name))
        manifest.code_version.cache_clear()
        assert f"{library}=999.0" in manifest.library_versions()
        assert manifest.input_fingerprint("clean", None, sample_output) != before
    finally:
        monkeypatch.undo()
        manifest.code_version.cache_clear()
    assert manifest.input_fingerprint("clean", None, sample_output) == before
