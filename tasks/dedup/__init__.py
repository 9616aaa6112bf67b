"""dedup: exact and near-copy paragraphs, article copies and story clusters.

dedup.py (MinHash signatures, LSH, copy decisions, the two passes), article_copies.py (duplicate_of
of an article), events.py (story_id), stage.py (the stage's run function, the persisted signature
index).
"""

from tasks import schema
from tasks.context import Stage

STAGE = Stage(
    name="dedup",
    inputs=(schema.CLEAN_PARAGRAPHS, schema.INGEST_ARTICLES),
    outputs=(schema.DEDUP_PARAGRAPHS, schema.DEDUP_ARTICLES, schema.DEDUP_INDEX),
    package="tasks.dedup",
    libraries=("polars", "pyarrow", "xxhash", "numpy", "rensa", "scipy"),
)
