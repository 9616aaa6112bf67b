"""`berita report`: one self-contained HTML file (inline CSS and SVG charts, no scripts, no network) that an
analyst can open or mail: articles per outlet and day, boilerplate removed by rule, duplicate share per
outlet, the largest story clusters with their outlets, the most quoted speakers, and what was quarantined.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

import polars as pl

from tasks import io, schema

BAR = "#2f6db5"
BAR_ALT = "#c0504d"


def hbar_chart(items: list[tuple[str, float]], *, fmt: str = "{:,.0f}", color: str = BAR, width: int = 760) -> str:
    """Horizontal bar chart as inline SVG; one bar per (label, value)."""
    if not items:
        return '<p class="empty">No data.</p>'
    row, label_w, pad = 22, 260, 70
    top = max(v for _, v in items) or 1
    h = row * len(items) + 6
    out = [f'<svg class="chart" role="img" width="{width}" height="{h}" viewBox="0 0 {width} {h}" xmlns="http://www.w3.org/2000/svg">']
    for i, (label, value) in enumerate(items):
        y = i * row + 3
        w = max(1.0, (width - label_w - pad) * value / top)
        short = label if len(label) <= 38 else label[:36] + "…"
        out.append(f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" class="lbl"><title>{escape(label)}</title>{escape(short)}</text>')
        out.append(f'<rect class="bar" x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 6}" fill="{color}"/>')
        out.append(f'<text x="{label_w + w + 5:.1f}" y="{y + 15}" class="val">{escape(fmt.format(value))}</text>')
    out.append("</svg>")
    return "".join(out)


def column_chart(items: list[tuple[str, float]], *, color: str = BAR, width: int = 760, height: int = 220) -> str:
    """Vertical columns over an ordered axis (days); labels on a few ticks so they stay readable."""
    if not items:
        return '<p class="empty">No dated articles.</p>'
    left, bottom, top_pad = 40, 40, 10
    top = max(v for _, v in items) or 1
    plot_w, plot_h = width - left - 10, height - bottom - top_pad
    step = plot_w / len(items)
    out = [f'<svg class="chart" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
           f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - 10}" y2="{top_pad + plot_h}" stroke="#999"/>',
           f'<text x="{left - 4}" y="{top_pad + 10}" text-anchor="end" class="val">{top:,.0f}</text>']
    every = max(1, len(items) // 8)
    for i, (label, value) in enumerate(items):
        h = plot_h * value / top
        x = left + i * step
        out.append(f'<rect class="bar" x="{x + step * 0.1:.1f}" y="{top_pad + plot_h - h:.1f}" width="{max(step * 0.8, 1):.1f}" '
                   f'height="{h:.1f}" fill="{color}"><title>{escape(label)}: {value:,.0f}</title></rect>')
        if i % every == 0:
            out.append(f'<text x="{x + step / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="tick">{escape(label)}</text>')
    out.append("</svg>")
    return "".join(out)


def _table(header: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return '<p class="empty">None.</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_data(output: Path) -> dict[str, object]:
    """Everything the report shows, as plain Python values (tested without a browser)."""
    arts = io.read_table(output, schema.EXTRACT_ARTICLES)
    paras = io.read_table(output, schema.DEDUP_PARAGRAPHS)
    quotes = io.read_table(output, schema.EXTRACT_QUOTES)
    quarantine = io.read_table(output, schema.QUARANTINE, required=False)
    outlet = pl.col("outlet").fill_null("(unknown)")
    per_outlet = arts.group_by(outlet).agg(
        pl.len().alias("n"), pl.col("duplicate_of").is_not_null().mean().alias("dup_share"))
    copies = (paras.filter(pl.col("in_body")).join(arts.select("article_id", outlet), on="article_id")
              .group_by("outlet").agg((pl.col("duplicate_scope") == "cross_article").mean().alias("copy_share")))
    per_outlet = per_outlet.join(copies, on="outlet", how="left").sort(["n", "outlet"], descending=[True, False])
    days = (arts.filter(pl.col("published_at").is_not_null())
            .with_columns(pl.col("published_at").dt.convert_time_zone("Asia/Jakarta").dt.date().alias("day"))
            .group_by("day").len().sort("day"))
    rules = (paras.filter(pl.col("boilerplate_rule").is_not_null()).group_by("boilerplate_rule").len()
             .sort(["len", "boilerplate_rule"], descending=[True, False]))
    stories = (arts.group_by("story_id").agg(
        pl.len().alias("n"), pl.col("outlet").drop_nulls().unique().sort().alias("outlets"),
        pl.col("title").sort_by("article_id").drop_nulls().first().alias("title"))
        .filter(pl.col("n") > 1).sort(["n", "story_id"], descending=[True, False]).head(15))
    speakers = (quotes.filter(pl.col("speaker").is_not_null()).group_by("speaker").len()
                .sort(["len", "speaker"], descending=[True, False]).head(15))
    q_reasons = ([] if quarantine is None else
                 quarantine.group_by("reason").len().sort(["len", "reason"], descending=[True, False]).rows())
    return {
        "articles": arts.height,
        "outlets": arts["outlet"].n_unique(),
        "article_duplicates": int(arts["duplicate_of"].is_not_null().sum()),
        "stories": arts["story_id"].n_unique(),
        "paragraphs": paras.height,
        "boilerplate_rows": int(paras["is_boilerplate"].sum()),
        "quotes": quotes.height,
        "per_outlet": [(r["outlet"], r["n"]) for r in per_outlet.head(25).iter_rows(named=True)],
        "dup_share": [(r["outlet"], 100 * (r["dup_share"] or 0)) for r in per_outlet.head(25).iter_rows(named=True)],
        "copy_share": [(r["outlet"], 100 * (r["copy_share"] or 0)) for r in per_outlet.head(25).iter_rows(named=True)],
        "per_day": [(d.isoformat(), n) for d, n in days.rows()],
        "rules": rules.head(25).rows(),
        "stories_top": [(r["story_id"], r["n"], ", ".join(r["outlets"]), r["title"] or "") for r in stories.iter_rows(named=True)],
        "speakers": speakers.rows(),
        "quarantine": q_reasons,
    }


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:840px;color:#222}
h1{font-size:26px;margin-bottom:4px} h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:13px} .cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px} .card span{font-size:12px;color:#666}
svg.chart text{font-size:12px;fill:#333} svg.chart .val{fill:#555} svg.chart .tick{font-size:10px;fill:#666}
table{border-collapse:collapse;font-size:13px;width:100%} td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left}
.empty{color:#999;font-style:italic}
"""


def render_report(output: Path, *, now: datetime | None = None) -> str:
    d = report_data(output)
    now = now or datetime.now(UTC)
    cards = [("articles", d["articles"]), ("outlets", d["outlets"]), ("duplicate articles", d["article_duplicates"]),
             ("stories", d["stories"]), ("paragraphs", d["paragraphs"]), ("boilerplate rows removed", d["boilerplate_rows"]),
             ("quotes", d["quotes"])]
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<title>berita report</title>", f"<style>{CSS}</style></head><body>",
        "<h1>berita report</h1>",
        f"<p class='meta'>Datasets: {escape(str(Path(output).resolve()))} · generated {now:%Y-%m-%d %H:%M} UTC</p>",
        "<div class='cards'>" + "".join(f"<div class='card'><b>{v:,}</b><span>{escape(k)}</span></div>" for k, v in cards) + "</div>",
        "<h2 id='outlets'>Articles per outlet</h2>", hbar_chart(d["per_outlet"]),
        "<h2 id='days'>Articles per day (publish date, Jakarta time)</h2>", column_chart(d["per_day"]),
        "<h2 id='rules'>Boilerplate removed, by rule</h2>", hbar_chart(d["rules"], color=BAR_ALT),
        "<h2 id='dups'>Duplicate share per outlet</h2>",
        "<p class='meta'>Share of the outlet's articles that are copies of another article (re-scrapes, syndicated copies).</p>",
        hbar_chart(d["dup_share"], fmt="{:.1f}%"),
        "<p class='meta'>Share of the outlet's body paragraphs that are copies of a paragraph published elsewhere first.</p>",
        hbar_chart(d["copy_share"], fmt="{:.1f}%", color=BAR_ALT),
        "<h2 id='stories'>Largest story clusters</h2>",
        hbar_chart([(f"{title[:30]} ({sid[:6]})", n) for sid, n, _, title in d["stories_top"]]),
        _table(["story_id", "articles", "outlets", "first title"], [list(r) for r in d["stories_top"]]),
        "<h2 id='speakers'>Most quoted speakers</h2>", hbar_chart(d["speakers"]),
        "<h2 id='quarantine'>Quarantined input</h2>", _table(["reason", "count"], [list(r) for r in d["quarantine"]]),
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(output: Path, dest: Path | None = None) -> Path:
    """Write the report next to the datasets (<output>/report.html) unless dest is given; atomic like the data."""
    dest = Path(dest) if dest else Path(output) / "report.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    from tasks.io import atomic_write_bytes  # never through a symlink planted at the temp name (issue 27)

    atomic_write_bytes(dest, render_report(output).encode("utf-8"))
    return dest
