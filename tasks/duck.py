"""DuckDB views over the datasets, for `berita sql` and for analysts.

`connect(output)` opens an in-memory database with one view per dataset (column comments from
tasks/schema.py). `write_database(output)` writes the same views into `<output>/berita.duckdb`, so
DBeaver or the duckdb CLI can open the datasets directly (`duckdb data/processed/berita.duckdb`);
the views point at the Parquet files by absolute path, so the file is rewritten by every run (moving
the folder needs a rerun).

DuckDB SQL can read and write any file the user can (read_csv, COPY TO, ATTACH). `connect(...,
safe=True)` is for untrusted queries: after the views are made, file access is limited to the
datasets' files, configuration is locked, and only SELECT statements run (`check_safe`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import duckdb

from tasks import runinfo, schema

VIEWS = {
    "articles": schema.EXTRACT_ARTICLES,
    "paragraphs": schema.DEDUP_PARAGRAPHS,
    "quotes": schema.EXTRACT_QUOTES,
    "quotations": schema.EXTRACT_QUOTATIONS,
    "entities": schema.EXTRACT_ENTITIES,
    "raw": schema.INGEST_ARTICLES,
    "quarantine": schema.QUARANTINE,
}
DATABASE = "berita.duckdb"


class UnsafeQueryError(ValueError):
    """A --safe query holds a statement other than SELECT."""


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _create_views(con: duckdb.DuckDBPyConnection, output: Path) -> list[str]:
    """One view per existing dataset, with the schema's descriptions as comments; the files it
    reads."""
    files = []
    for name, table in VIEWS.items():
        path = (Path(output) / table.relpath).resolve()
        if not path.exists():
            continue
        files.append(path.as_posix())
        con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM "
                    f"read_parquet({_lit(path.as_posix())})")
        con.execute(f"COMMENT ON VIEW {name} IS {_lit(f'berita {table.relpath}')}")
        present = {r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()}
        for col, (_, desc) in table.columns.items():
            if col in present and desc:
                con.execute(f'COMMENT ON COLUMN {name}."{col}" IS {_lit(desc)}')
    return files


def connect(output: Path, *, safe: bool = False) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one view per existing dataset. Nothing is written in the working folder
    (DuckDB's spill directory is a private temp dir). safe=True: see the module docstring."""
    spill = Path(tempfile.gettempdir()) / f"berita-duckdb-{os.getuid()}"
    con = duckdb.connect(config={"temp_directory": spill.as_posix()})
    files = _create_views(con, output)
    if safe:
        con.execute(f"SET allowed_paths=[{', '.join(_lit(f) for f in files)}]")
        con.execute("SET enable_external_access=false")
        con.execute("SET lock_configuration=true")
    return con


def check_safe(con: duckdb.DuckDBPyConnection, query: str) -> None:
    """Refuse anything but SELECT statements (COPY, ATTACH, SET, PRAGMA, CREATE ...) for --safe."""
    for st in con.extract_statements(query):
        if st.type != duckdb.StatementType.SELECT:
            raise UnsafeQueryError(f"--safe runs only SELECT statements, not {st.type.name}")


def write_database(output: Path) -> Path:
    """(Re)write <output>/berita.duckdb with the views and column comments (atomic: temp file +
    rename)."""
    from tasks.io import atomic_file

    path = Path(output) / DATABASE
    with atomic_file(path) as tmp:
        tmp.unlink()  # DuckDB creates the database file itself (an empty file is no database)
        # storage format of DuckDB 1.0, so older clients (DBeaver's bundled JDBC driver, duckdb CLI
        # 1.x) open it
        con = duckdb.connect(tmp.as_posix(), config={"storage_compatibility_version": "v1.0.0"})
        try:
            con.execute("BEGIN TRANSACTION")
            _create_views(con, output)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        Path(f"{tmp}.wal").unlink(missing_ok=True)
    runinfo.record(output, "duckdb", _database_key(output))
    return path


def _database_key(output: Path) -> dict[str, object]:
    """What the database's views depend on: the folder's path, which datasets exist, the column
    comments."""
    described = "\x1e".join(
        f"{n}:{c}:{d}" for n, t in VIEWS.items() for c, (_, d) in t.columns.items()
    )
    return {"views_of": str(Path(output).resolve()),
            "tables": [n for n, t in VIEWS.items() if (Path(output) / t.relpath).exists()],
            "comments": hashlib.sha256(described.encode()).hexdigest()[:16]}


def database_is_current(output: Path) -> bool:
    """True when <output>/berita.duckdb exists with views of this folder's datasets as they are (so
    a run rewrites it only when a dataset appeared, the descriptions changed, or the folder was
    moved)."""
    if not (Path(output) / DATABASE).exists():
        return False
    return runinfo.load(output).get("duckdb") == _database_key(output)
