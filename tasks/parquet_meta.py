"""The data dictionary inside every Parquet file berita writes, so any reader sees what a column
means.

Each column's description (tasks/schema.py) is its Arrow field metadata (`description`; pyarrow,
polars via pyarrow, and DuckDB's parquet_schema() see the Arrow schema), and the file's key/value
metadata holds `berita.table` (the table's path) and `berita.columns` (a JSON object column ->
description) for readers that know only Parquet's own metadata (`SELECT * FROM
parquet_kv_metadata('...')` in DuckDB). The values are constants of the schema, so reruns stay
byte-identical.
"""

from __future__ import annotations

import json

import pyarrow as pa

from tasks.schema import Table


def file_metadata(table: Table) -> dict[str, str]:
    cols = {c: d for c, (_, d) in table.columns.items() if d}
    return {"berita.table": table.relpath, "berita.columns": json.dumps(cols, ensure_ascii=False)}


def describe_schema(schema: pa.Schema, table: Table) -> pa.Schema:
    """schema with each column's description as field metadata and the table's file metadata."""
    fields = []
    for f in schema:
        desc = table.columns.get(f.name, (None, ""))[1]
        fields.append(f.with_metadata({"description": desc}) if desc else f)
    return pa.schema(fields, metadata={**(schema.metadata or {}), **file_metadata(table)})
