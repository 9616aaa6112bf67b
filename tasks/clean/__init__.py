"""clean: every line of an article becomes a row labelled body or boilerplate by a named rule.

clean.py (line rules, spans, the corpus-level repeated-line rules: the plain rules), fast.py
(their vectorised twins and the chunk passes the stage runs), fragments.py (paragraphs rebuilt
from scraper fragments), bylines.py (credits, datelines), stage.py (the stage's run function and its
batches).
"""

from tasks import schema
from tasks.context import Stage

STAGE = Stage(
    name="clean",
    inputs=(schema.INGEST_ARTICLES,),
    outputs=(schema.CLEAN_PARAGRAPHS,),
    package="tasks.clean",
    libraries=("polars", "pyarrow", "xxhash", "numpy"),
    batched=True,
)
