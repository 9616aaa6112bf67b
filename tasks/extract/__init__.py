"""extract: fields, quotes with speakers, entities and quotations from the deduplicated paragraphs.

extract.py (articles, quotes, persons, entities: the plain rules), fast.py (their fast twins and
the batch path, extract_chunk), fields.py (title, date, dateline, credits),
dates.py (Indonesian dates), quote_spans.py (quote marks over the whole article), quotations.py (one
row per distinct statement), stage.py (the stage's run function and its batches).
"""

from tasks import schema
from tasks.context import Stage

STAGE = Stage(
    name="extract",
    inputs=(schema.DEDUP_PARAGRAPHS, schema.DEDUP_ARTICLES, schema.INGEST_ARTICLES),
    outputs=(
        schema.EXTRACT_ARTICLES,
        schema.EXTRACT_QUOTES,
        schema.EXTRACT_ENTITIES,
        schema.EXTRACT_QUOTATIONS,
    ),
    package="tasks.extract",
    libraries=("polars", "pyarrow", "xxhash", "numpy", "langdetect"),
    batched=True,
)
