"""Run summaries: the markdown artifact and the CLI's stats."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tasks import io, schema


def corpus_stats(output: Path) -> dict[str, object]:
    """Headline numbers over the extract datasets (empty dict when extract has not run)."""
    arts = io.read_table(output, schema.EXTRACT_ARTICLES, required=False)
    if arts is None:
        return {}
    paras = io.read_table(output, schema.DEDUP_PARAGRAPHS, required=False)
    stats: dict[str, object] = {
        "articles": arts.height,
        "outlets": arts["outlet"].n_unique(),
        "article_duplicates": int(arts["duplicate_of"].is_not_null().sum()),
        "stories": arts["story_id"].n_unique(),
        "top_outlets": arts.group_by("outlet").len().sort(["len", "outlet"], descending=[True, False]).head(10).rows(),
    }
    if paras is not None:
        stats["paragraphs"] = paras.height
        stats["boilerplate_rows"] = int(paras["is_boilerplate"].sum())
        stats["paragraph_copies"] = int(paras["duplicate_of"].is_not_null().sum())
        stats["top_rules"] = (paras.filter(pl.col("boilerplate_rule").is_not_null()).group_by("boilerplate_rule").len()
                              .sort(["len", "boilerplate_rule"], descending=[True, False]).head(10).rows())
    return stats


def summary_markdown(output: Path, results: list[dict[str, object]]) -> str:
    lines = ["# berita run", "", "| stage | rows in | rows out | seconds |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['stage']} | {r.get('rows_in', '')} | {r.get('rows_out', '')} | {r.get('seconds', '')} |")
    s = corpus_stats(output)
    if s:
        n = max(1, int(s["articles"]))
        lines += ["", f"**{s['articles']} articles** from {s['outlets']} outlets; "
                  f"{s['article_duplicates']} duplicate articles ({100 * int(s['article_duplicates']) / n:.1f}%), "
                  f"{s['stories']} stories.", "", "## Top outlets", ""]
        lines += [f"- {o or '(unknown)'}: {c}" for o, c in s["top_outlets"]]
        if "top_rules" in s:
            lines += ["", "## Boilerplate removed, by rule", ""] + [f"- `{r}`: {c}" for r, c in s["top_rules"]]
    return "\n".join(lines) + "\n"
