"""Skip stages whose inputs did not change.

Each finished stage records, in <output>/.berita-manifest.json, a fingerprint of its inputs (the raw
files' contents for ingest; the input tables' bytes for later stages; plus a hash of the stage's own
code, rule tables and output libraries: `code_version`) and digests of the files it wrote. A later
run skips a stage when the fingerprint is the same and its outputs are still the files it wrote.
Rerunning over unchanged data therefore costs hashing, not processing; a changed rule table or a new
raw file reruns exactly the stages it affects (and `--force` reruns everything).
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path

import polars as pl
import xxhash

from tasks.io import file_digest, stream_digest  # noqa: F401  (manifest.file_digest: the files' digests)

MANIFEST = ".berita-manifest.json"


# Libraries whose upgrade can change what some stage writes (text repair, HTML extraction, language,
# MinHash,
# ids, Parquet encoding); each stage's record (tasks/<stage>/__init__.py) names those that shape its
# output.
OUTPUT_LIBRARIES = (
    "polars",
    "pyarrow",
    "numpy",
    "xxhash",
    "ftfy",
    "trafilatura",
    "htmldate",
    "justext",
    "lxml",
    "langdetect",
    "rensa",
    "openpyxl",
    "scipy",
)


def library_versions(names: tuple[str, ...] = OUTPUT_LIBRARIES) -> str:
    """name=version of each library ("-" when not installed), from package metadata."""
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "-"

    return ";".join(f"{name}={v(name)}" for name in names)


@cache
def code_version(stage: str) -> str:
    """Hash of what shapes the stage's output: the source of its package and of every tasks module
    they import, the rule tables those modules read (tasks/codeversion.py), and the versions of its
    libraries. Editing a module no stage imports (the HTML report, the CLI) changes no stage's code
    version."""
    from tasks import codeversion, registry

    st = registry.get(stage)
    h = xxhash.xxh3_128(f"{pl.__version__}\x1f{library_versions(st.libraries)}".encode())
    for p in codeversion.stage_files(st.package):
        h.update(p.relative_to(codeversion.ROOT).as_posix().encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def input_fingerprint(stage: str, input_dir: Path | None, output: Path) -> str | None:
    """Fingerprint of everything the stage reads; None when an input is missing (the stage must
    run)."""
    from tasks import registry

    st = registry.get(stage)
    h = xxhash.xxh3_128(f"{stage}\x1f{code_version(stage)}".encode())
    if st.reads_raw:
        if input_dir is None or not Path(input_dir).is_dir():
            return None
        from tasks.ingest import inputs
        from tasks.ingest.ingest import discover

        files, skipped = discover(Path(input_dir), Path(output))
        # opened as ingest opens them: never a FIFO, never through a symlink swapped in
        for path, rel in files:
            h.update(f"{rel}\x1f{inputs.input_digest(path, stream_digest)}\x1e".encode())
        for q in skipped:
            h.update(f"{q.source_path}\x1f{q.reason}\x1e".encode())
        return h.hexdigest()
    for table in st.inputs:
        path = Path(output) / table.relpath
        if not path.exists():
            return None
        h.update(f"{table.relpath}\x1f{file_digest(path)}\x1e".encode())
    return h.hexdigest()


def output_digests(stage: str, output: Path) -> dict[str, str] | None:
    from tasks import registry

    out = {}
    for table in registry.get(stage).outputs:
        path = Path(output) / table.relpath
        if not path.exists():
            return None
        out[table.relpath] = file_digest(path)
    return out


def load(output: Path) -> dict[str, dict]:
    """The manifest; {} (every stage runs) when absent, unreadable, or JSON of another shape (with a
    warning)."""
    path = Path(output) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as e:
        logging.getLogger("berita").warning(
            "%s is unreadable (%s); every stage reruns", path, type(e).__name__
        )
        return {}
    if not isinstance(data, dict) or not all(
        isinstance(v, dict) and isinstance(v.get("outputs", {}), dict | None) for v in data.values()
    ):
        logging.getLogger("berita").warning("%s is not a berita manifest (JSON of another shape); "
                                            "ignored, every "
                                            "stage reruns", path)
        return {}
    return data


def fresh_result(stage: str, fingerprint: str | None, output: Path) -> dict | None:
    """The recorded result of the stage when it can be skipped, else None."""
    entry = load(output).get(stage)
    if fingerprint is None or not entry or entry.get("inputs") != fingerprint:
        return None
    if output_digests(stage, output) != entry.get("outputs"):
        return None
    result = entry.get("result")
    return result if isinstance(result, dict) else None


def record(stage: str, fingerprint: str | None, output: Path, result: dict) -> None:
    """Remember the stage's inputs, outputs and result (atomic write; only called under the run
    lock)."""
    if fingerprint is None:
        return
    data = load(output)
    data[stage] = {
        "inputs": fingerprint,
        "outputs": output_digests(stage, output),
        "result": result,
    }
    from tasks.io import atomic_write_bytes

    atomic_write_bytes(
        Path(output) / MANIFEST, json.dumps(data, indent=1, sort_keys=True, default=str).encode()
    )
