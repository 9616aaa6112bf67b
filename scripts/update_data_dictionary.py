"""Rewrite the README's data dictionary from tasks/schema.py (a test fails when the two differ)."""

from __future__ import annotations

from pathlib import Path

from tasks import schema

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "### `ingest/articles.parquet`", "The index is reused by later runs"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    a, b = text.index(START), text.index(END)
    block = (
        "\n".join(schema.data_dictionary_markdown(t) for t in (*schema.TABLES, schema.DEDUP_INDEX))
        + "\n"
    )
    README.write_text(text[:a] + block + text[b:], encoding="utf-8")


if __name__ == "__main__":
    main()
