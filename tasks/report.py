"""Run summaries: the markdown artifact and the CLI's stats.

Only the columns the numbers need are read (never the article text), so stats stay cheap on a large
corpus.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from tasks import io, schema


def corpus_stats(output: Path) -> dict[str, object]:
    """Headline numbers over the extract datasets (empty dict when extract has not run).

    `outlets` counts named outlets only (articles without one are `unknown_outlet`); `top_rules` are
    the boilerplate rules proper, `residue_rules` the lone-punctuation rows left after a cut
    (apart)."""
    from tasks.html_report import is_residue_expr

    apath = io.table_path(output, schema.EXTRACT_ARTICLES)
    if not apath.exists():
        return {}
    arts = pl.read_parquet(apath, columns=["outlet", "duplicate_of", "story_id", "published_at"])
    n = arts.height
    stories = arts.group_by("story_id").len()
    stats: dict[str, object] = {
        "articles": n,
        "outlets": int(arts["outlet"].drop_nulls().n_unique()),
        "unknown_outlet": int(arts["outlet"].is_null().sum()),
        "article_duplicates": int(arts["duplicate_of"].is_not_null().sum()),
        "stories": stories.height,
        "stories_with_several_articles": int((stories["len"] > 1).sum()),
        "undated": int(arts["published_at"].is_null().sum()),
        "first_published": arts["published_at"].min(),
        "last_published": arts["published_at"].max(),
        "top_outlets": (arts.filter(pl.col("outlet").is_not_null()).group_by("outlet").len()
                        .sort(["len", "outlet"], descending=[True, False]).head(10).rows()),
    }
    ppath = io.table_path(output, schema.DEDUP_PARAGRAPHS)
    if ppath.exists():
        paras = pl.scan_parquet(ppath).select(
            "is_boilerplate",
            "boilerplate_rule",
            "boilerplate_category",
            "duplicate_scope",
            "in_body",
        )
        counts = (
            paras.select(
                pl.len().alias("paragraphs"),
                pl.col("in_body").sum().alias("body_paragraphs"),
                (pl.col("boilerplate_rule").is_not_null() & ~is_residue_expr())
                .sum()
                .alias("boilerplate_rows"),
                (pl.col("boilerplate_rule").is_not_null() & is_residue_expr())
                .sum()
                .alias("residue_rows"),
                (pl.col("duplicate_scope") == "cross_article").sum().alias("paragraph_copies"),
                (pl.col("duplicate_scope") == "within_article")
                .sum()
                .alias("within_article_repeats"),
            )
            .collect()
            .row(0, named=True)
        )
        stats.update({k: int(v or 0) for k, v in counts.items()})
        rules = (paras.filter(pl.col("boilerplate_rule").is_not_null())
                 .group_by("boilerplate_rule", is_residue_expr().alias("res")).len()
                 .sort(["len", "boilerplate_rule"], descending=[True, False]).collect())
        stats["top_rules"] = [(r, c) for r, res, c in rules.rows() if not res][:10]
        stats["residue_rules"] = [(r, c) for r, res, c in rules.rows() if res]
    for key, table in (("quotes", schema.EXTRACT_QUOTES), ("entities", schema.EXTRACT_ENTITIES),
                       ("quarantined", schema.QUARANTINE)):
        if io.table_path(output, table).exists():
            stats[key] = io.count_rows(output, table)
    return stats


def summary_markdown(output: Path, results: list[dict[str, object]]) -> str:
    lines = ["# berita run", "", "| stage | rows in | rows out | seconds |", "|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r['stage']} | {r.get('rows_in', '')} | {r.get('rows_out', '')} | "
                     f"{r.get('seconds', '')} |")
    s = corpus_stats(output)
    if s:
        n = max(1, int(s["articles"]))
        lines += ["", f"**{s['articles']} articles** from {s['outlets']} outlets "
                  f"({s['unknown_outlet']} without an outlet); "
                  f"{s['article_duplicates']} duplicate articles "
                  f"({100 * int(s['article_duplicates']) / n:.1f}%), "
                  f"{s['stories']} stories.", "", "## Top outlets", ""]
        lines += [f"- {o}: {c}" for o, c in s["top_outlets"]]
        if "top_rules" in s:
            lines += ["", "## Boilerplate removed, by rule", ""] + [
                f"- `{r}`: {c}" for r, c in s["top_rules"]
            ]
            lines += ["", f"Punctuation residue (apart): {s['residue_rows']} rows."]
    return "\n".join(lines) + "\n"
