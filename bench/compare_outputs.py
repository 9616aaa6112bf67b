"""Compare every Parquet table of two berita output folders: equal frames (same columns, dtypes,
rows in the same order), `ingested_at` aside (the clock of each run). Prints one line per table:
which columns differ, or whether the files are also byte-identical.

    .venv/bin/python bench/compare_outputs.py A B

Exit code 0 when every table is equal (and both folders hold the same tables), else 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polars as pl

IGNORED = ("ingested_at",)


def tables(root: Path) -> set[str]:
    """The tables under root, relative (work files under dot-folders left out)."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*.parquet")
            if not any(part.startswith(".") for part in p.relative_to(root).parts)}


def compare(a: Path, b: Path, rel: str) -> str | None:
    """None when the two tables are equal, else what differs."""
    x, y = pl.read_parquet(a / rel), pl.read_parquet(b / rel)
    if x.schema != y.schema:
        return f"schema differs: {dict(x.schema)} vs {dict(y.schema)}"
    if x.height != y.height:
        return f"rows differ: {x.height} vs {y.height}"
    bad = [c for c in x.columns if c not in IGNORED and not x[c].equals(y[c])]
    if bad:
        first = {c: int((x[c].ne_missing(y[c])).arg_max()) for c in bad if x[c].dtype != pl.Array}  # type: ignore[comparison-overlap]
        return f"columns differ: {bad} (first differing row: {first})"
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    a, b = Path(argv[0]), Path(argv[1])
    ta, tb = tables(a), tables(b)
    ok = ta == tb
    for rel in sorted(ta - tb):
        print(f"only in {a}: {rel}")
    for rel in sorted(tb - ta):
        print(f"only in {b}: {rel}")
    for rel in sorted(ta & tb):
        diff = compare(a, b, rel)
        same_bytes = (a / rel).read_bytes() == (b / rel).read_bytes()
        note = (
            f": {diff}"
            if diff
            else (" (bytes identical)" if same_bytes else " (equal rows; file bytes differ)")
        )
        print(f"{'DIFFERS' if diff else 'equal'} {rel}{note}")
        ok = ok and diff is None
    print("ALL TABLES EQUAL" if ok else "TABLES DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
