"""ingest: discover the raw files, decode them, split exports into articles, quarantine bad input.

ingest.py (files -> article rows), inputs.py (hostile files and rows, the input folder checks),
columns.py (export columns), stage.py (the stage's run function).
"""

from tasks import schema
from tasks.context import Stage

STAGE = Stage(
    name="ingest",
    inputs=(),
    outputs=(schema.INGEST_ARTICLES, schema.QUARANTINE),
    package="tasks.ingest",
    libraries=(
        "polars",
        "pyarrow",
        "xxhash",
        "ftfy",
        "trafilatura",
        "htmldate",
        "justext",
        "lxml",
        "openpyxl",
    ),
    reads_raw=True,
)
