"""DuckDB views over the datasets, for `berita sql` and for analysts."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tasks import schema

VIEWS = {
    "articles": schema.EXTRACT_ARTICLES,
    "paragraphs": schema.DEDUP_PARAGRAPHS,
    "quotes": schema.EXTRACT_QUOTES,
    "entities": schema.EXTRACT_ENTITIES,
    "raw": schema.INGEST_ARTICLES,
    "quarantine": schema.QUARANTINE,
}


def connect(output: Path) -> duckdb.DuckDBPyConnection:
    """In-memory DuckDB with one view per existing dataset."""
    con = duckdb.connect()
    for name, table in VIEWS.items():
        path = Path(output) / table.relpath
        if path.exists():
            quoted = path.as_posix().replace("'", "''")
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{quoted}')")
    return con
