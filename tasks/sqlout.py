"""Output formats of `berita sql`: a terminal table, or full values as CSV, JSON, JSON lines or
Parquet.

Rows are streamed in Arrow batches from DuckDB, so CSV/JSON/Parquet of a large result never sit in
memory at once. CSV writes list columns as JSON arrays and timestamps as ISO 8601; JSON (`json`) is
one array of row objects, JSON lines (`jsonl`) one object per line.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

FORMATS = ("table", "csv", "json", "jsonl", "parquet")
TABLE_ROWS = 50  # rows a terminal table shows when --limit is not given
BATCH = 50_000


# types polars/JSON cannot carry as they are
AS_TEXT = ("INTERVAL", "BLOB", "BIT", "UNION", "VARINT", "BIGNUM")


def portable(rel):
    """rel with the columns of types polars cannot import (intervals, blobs, ...) cast to text by
    DuckDB."""
    cols = []
    changed = False
    for name, ty in zip(rel.columns, rel.types, strict=True):
        q = '"' + name.replace('"', '""') + '"'
        if str(ty).upper().startswith(AS_TEXT):
            cols.append(f"CAST({q} AS VARCHAR) AS {q}")
            changed = True
        else:
            cols.append(q)
    return rel.project(", ".join(cols)) if changed else rel


def batches(rel, limit: int | None) -> Iterator[pl.DataFrame]:
    """The relation's rows as polars frames, at most `limit` rows in all."""
    rel = portable(rel)
    if limit is not None:
        rel = rel.limit(limit)
    for b in rel.to_arrow_reader(BATCH):
        if b.num_rows:
            yield pl.from_arrow(pa.Table.from_batches([b]))  # type: ignore[misc]


def _flat(df: pl.DataFrame) -> pl.DataFrame:
    """CSV-ready: nested columns as JSON text, timestamps as ISO 8601 text."""
    out = []
    for name, dt in df.schema.items():
        c = pl.col(name)
        if isinstance(dt, pl.List | pl.Array | pl.Struct):
            out.append(
                c.map_elements(
                    lambda v: json.dumps(
                        v.to_list() if hasattr(v, "to_list") else v, ensure_ascii=False, default=str
                    ),
                    return_dtype=pl.String,
                ).alias(name)
            )
        else:
            out.append(c)
    return df.select(out)


def write_csv(rel, fh: IO[str], limit: int | None) -> int:
    n = 0
    for i, df in enumerate(batches(rel, limit)):
        fh.write(
            _flat(df).write_csv(include_header=i == 0, datetime_format="%Y-%m-%dT%H:%M:%S%.f%:z")
        )
        n += df.height
    if n == 0:  # still a header line, so a script reading the CSV sees the columns
        fh.write(",".join(rel.columns) + "\n")
    return n


def write_json(rel, fh: IO[str], limit: int | None, *, lines: bool) -> int:
    n = 0
    if not lines:
        fh.write("[")
    for df in batches(rel, limit):
        text = df.write_ndjson().rstrip("\n")
        if not text:
            continue
        if lines:
            fh.write(text + "\n")
        else:
            fh.write((",\n" if n else "\n") + text.replace("\n", ",\n"))
        n += df.height
    if not lines:
        fh.write("\n]\n" if n else "]\n")
    return n


def write_parquet(rel, path: Path, limit: int | None) -> int:
    rel = portable(rel)
    if limit is not None:
        rel = rel.limit(limit)
    reader = rel.to_arrow_reader(BATCH)
    n = 0
    with pq.ParquetWriter(path, reader.schema, compression="zstd") as w:
        for b in reader:
            w.write_batch(b)
            n += b.num_rows
    return n


def cell(v: object) -> str:
    """One value as a table cell: null empty, lists joined, everything else as text."""
    if v is None:
        return ""
    if isinstance(v, list | tuple):
        return ", ".join(cell(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, default=str)
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)
