"""One registry of stages drives the flow, the CLI, the manifest and the batched path; a stage's
code version covers its own code, rule tables and libraries only; stage code never sees Prefect or
the runtime."""

from __future__ import annotations

import ast
import typing
from pathlib import Path

import pytest

from tasks import codeversion, manifest, registry, schema

ROOT = Path(__file__).resolve().parents[1]
STAGE_PACKAGES = [ROOT / "tasks" / s.name for s in registry.STAGES]


def _versions() -> dict[str, str]:
    manifest.code_version.cache_clear()
    return {s: manifest.code_version(s) for s in registry.NAMES}


def _edited(monkeypatch, name: str) -> dict[str, str]:
    """Every stage's code version with the file `name` (relative to tasks/) edited."""
    real = Path.read_bytes
    target = (codeversion.ROOT / name).resolve()
    monkeypatch.setattr(
        Path, "read_bytes", lambda p: real(p) + (b"\n# edited" if p.resolve() == target else b"")
    )
    try:
        return _versions()
    finally:
        monkeypatch.undo()
        manifest.code_version.cache_clear()


@pytest.mark.parametrize(
    "module", ["html_report.py", "report.py", "cli.py", "show.py", "stages.py"]
)
def test_editing_the_report_or_the_cli_changes_no_stage_code_version(module, monkeypatch):
    assert _edited(monkeypatch, module) == _versions()


@pytest.mark.parametrize(
    ("name", "changed"),
    [
        ("rules/speech_verbs.tsv", {"extract"}),
        # dedup and extract import clean's code
        ("rules/line_rules.tsv", {"clean", "dedup", "extract"}),
        ("rules/background_df.tsv", {"dedup", "extract"}),
        ("ingest/ingest.py", {"ingest"}),
        ("extract/quotations.py", {"extract"}),
    ],
)
def test_editing_a_module_or_rule_table_changes_exactly_the_stages_whose_code_reaches_it(
    name, changed, monkeypatch
):
    before = _versions()
    after = _edited(monkeypatch, name)
    assert {s for s in registry.NAMES if after[s] != before[s]} == changed


def test_every_rule_table_versions_some_stage():
    used = {p for s in registry.STAGES for p in codeversion.stage_files(s.package)}
    assert sorted(p.name for p in codeversion.RULES_DIR.glob("*.tsv") if p not in used) == []


def test_the_stages_read_only_tables_earlier_stages_write_and_every_table_has_one_writer():
    written: list[str] = []
    for s in registry.STAGES:
        assert all(t.relpath in written for t in s.inputs), s.name
        assert s.reads_raw == (not s.inputs)
        written += [t.relpath for t in s.outputs]
    assert len(written) == len(set(written))
    assert {t.relpath for t in schema.TABLES} <= set(written)


def test_the_flow_the_cli_and_the_runner_take_their_stages_from_the_registry():
    from flows import pipeline
    from tasks import preflight

    assert typing.get_args(pipeline.Stage) == registry.NAMES
    assert set(pipeline.STAGE_TASKS) == set(registry.NAMES)
    assert set(pipeline.BATCH_TASKS) == {s.name for s in registry.STAGES if s.batched}
    assert preflight.resolve_stages(from_stage="dedup") == ["dedup", "extract"]
    with pytest.raises(ValueError, match="choose one of ingest, clean, dedup, extract"):
        preflight.resolve_stages("bogus")
    for s in registry.STAGES:
        mod = s.module()
        assert callable(mod.run)
        assert (
            all(
                callable(getattr(mod, f, None))
                for f in ("plan", "run_batch", "merge", "batch_size")
            )
            == s.batched
        )


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


@pytest.mark.parametrize("package", STAGE_PACKAGES, ids=lambda p: p.name)
def test_stage_code_imports_neither_prefect_nor_the_runtime(package):
    forbidden = (
        "prefect",
        "tasks.parallel",
        "tasks.memory",
        "tasks.stages",
        "tasks.manifest",
        "flows",
    )
    for f in sorted(package.glob("*.py")):
        bad = {
            n
            for n in _imports(f)
            if n.startswith(forbidden) or n in ("tasks.parallel", "tasks.memory")
        }
        assert not bad, f"{f.relative_to(ROOT)} imports {sorted(bad)}"
    # ... nor through the tasks modules it uses
    reached = {
        p.relative_to(codeversion.ROOT).as_posix()
        for p in codeversion.modules(f"tasks.{package.name}")
    }
    assert not reached & {"parallel.py", "memory.py", "stages.py", "manifest.py"}


def test_the_dedup_index_version_is_built_from_the_signing_config_and_keeps_its_value():
    from rensa import RMinHash

    from tasks.dedup import dedup

    assert dedup.INDEX_VERSION == dedup.SIGNING.version()
    # old indexes reused
    assert dedup.INDEX_VERSION == f"rensa{RMinHash.ALGORITHM_VERSION}-p48-s20240619-c5-bytext"
    assert dedup.Signing(num_perm=64).version() != dedup.INDEX_VERSION
    assert dedup.ROWS * dedup.COPY.bands == dedup.SIGNING.num_perm
