"""Export columns beyond text/url/title/date/outlet: authors, editors, category, tags (tasks/rules/
export_columns.tsv), and every other column kept verbatim in one JSON `extra` string, so nothing of
an export row is lost."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache

from tasks import rules

FIELDS = ("author", "editor", "category", "tags")


@cache
def column_fields() -> dict[str, str]:
    """lower-case column name -> field, in table order."""
    return {r["column"].lower(): r["field"] for r in rules.read_table("export_columns.tsv")}


_TOKEN = re.compile(r"[a-z]+")


def column_field(name: str) -> str | None:
    """The field an export column holds: its name in export_columns.tsv, else a word of its name
    there ("author_name", "article_editor", "meta_keywords"), else None."""
    fields = column_fields()
    key = name.strip().lower()
    if key in fields:
        return fields[key]
    for tok in _TOKEN.findall(key):
        if tok in fields:
            return fields[tok]
    return None


def picked_column(row: dict[str, object], names: Iterable[str]) -> str | None:
    """The column ingest's _pick takes a value from: the first of names present with a non-blank
    value."""
    lower = {str(k).strip().lower(): k for k in row if k is not None}
    for n in names:
        k = lower.get(n)
        if k is not None and row[k] is not None and str(row[k]).strip():
            return k
    return None


def export_metadata(row: dict[str, object], used: Iterable[object]) -> dict[str, str | None]:
    """author_hint, editor_hint, category_hint, tags_hint and extra of one export row.

    used: the row's columns ingest already took (text, url, title, date, outlet). Values are
    verbatim (stripped); extra is a JSON object of the other non-empty columns in row order, or
    None."""
    out: dict[str, str | None] = {f"{f}_hint": None for f in FIELDS}
    taken = set(used)
    for k, v in row.items():
        if k is None or k in taken or v is None or not str(v).strip():
            continue
        field = column_field(str(k))
        if field and out[f"{field}_hint"] is None:  # a JSON list (tags: ["a", "b"]) is kept as JSON
            out[f"{field}_hint"] = (
                json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v).strip()
            )
            taken.add(k)
    extra = {str(k): v for k, v in row.items()
             if k is not None and k not in taken and v is not None and str(v).strip()}
    out["extra"] = json.dumps(extra, ensure_ascii=False, default=str) if extra else None
    return out


def tag_list(value: str | None) -> list[str]:
    """'politik, pilkada; jakarta' -> ['politik', 'pilkada', 'jakarta'] (a JSON list is read as
    one)."""
    if not value:
        return []
    v = value.strip()
    if v.startswith("["):
        try:
            items = json.loads(v)
            if isinstance(items, list):
                return [str(i).strip() for i in items if str(i).strip()]
        except ValueError:
            pass
    seps = "|;" if any(c in v for c in "|;") else ","
    for s in seps[1:]:
        v = v.replace(s, seps[0])
    return [t.strip() for t in v.split(seps[0]) if t.strip()]
