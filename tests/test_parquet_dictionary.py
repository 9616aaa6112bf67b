"""Every dataset carries its data dictionary: any Parquet reader sees what each column means."""

from __future__ import annotations

import json

import duckdb
import pyarrow.parquet as pq

from tasks import schema


def test_every_table_file_describes_its_columns(sample_output):
    for table in (*schema.TABLES, schema.DEDUP_INDEX):
        path = sample_output / table.relpath
        if not path.exists():
            continue
        kv = pq.read_metadata(path).metadata
        assert kv[b"berita.table"].decode() == table.relpath
        assert json.loads(kv[b"berita.columns"]) == {
            c: d for c, (_, d) in table.columns.items() if d
        }
        arrow = pq.read_schema(path)
        for col, (_, desc) in table.columns.items():
            assert arrow.field(col).metadata[b"description"].decode() == desc, (table.relpath, col)


def test_duckdb_reads_the_dictionary_from_the_file_alone(sample_output):
    path = (sample_output / schema.EXTRACT_QUOTES.relpath).as_posix()
    kv = {
        bytes(k).decode(): bytes(v).decode()
        for k, v in duckdb.sql(f"SELECT key, value FROM parquet_kv_metadata('{path}')").fetchall()
    }
    assert (
        json.loads(kv["berita.columns"])["speaker"] == schema.EXTRACT_QUOTES.columns["speaker"][1]
    )
