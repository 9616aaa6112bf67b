"""An upgrade of a library that shapes a stage's output reruns that stage instead of skipping it as
unchanged; a library a stage does not use leaves its fingerprint alone."""

from __future__ import annotations

import importlib.metadata

import pytest

from tasks import manifest, registry

USED_BY = {
    "ftfy": {"ingest"},
    "trafilatura": {"ingest"},
    "langdetect": {"extract"},
    "rensa": {"dedup"},
    "polars": set(registry.NAMES),
}


def _fingerprints(raw_dir, out) -> dict[str, str | None]:
    return {s: manifest.input_fingerprint(s, raw_dir, out) for s in registry.NAMES}


@pytest.mark.parametrize("library", sorted(USED_BY))
def test_a_new_version_of_an_output_library_changes_the_fingerprint_of_the_stages_it_shapes(
        library, raw_dir, sample_output, monkeypatch):
    real = importlib.metadata.version
    before = _fingerprints(raw_dir, sample_output)
    try:
        monkeypatch.setattr(importlib.metadata, "version",
                            lambda name: "999.0" if name == library else real(name))
        manifest.code_version.cache_clear()
        assert f"{library}=999.0" in manifest.library_versions()
        after = _fingerprints(raw_dir, sample_output)
        assert {s for s in registry.NAMES if after[s] != before[s]} == USED_BY[library]
    finally:
        monkeypatch.undo()
        manifest.code_version.cache_clear()
    assert _fingerprints(raw_dir, sample_output) == before
