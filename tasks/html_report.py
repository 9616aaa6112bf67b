"""`berita report`: one self-contained HTML file (inline CSS and SVG charts, no scripts, no network)
that an analyst can open or mail.

It shows the corpus (date range, field coverage, languages), articles per outlet and per day (a real
time
axis: days without articles at 0), boilerplate removed by rule with lone-punctuation residue apart,
duplicate shares per outlet, who copies whom, the largest stories, the most quoted speakers (full
names; bare first names apart), top entities and cited sources, the quarantine by file, and the
run's metadata.

Every number in a chart or table is also in the DOM as `data-label` / `data-value` attributes of its
element (`data-chart="<key>"` on the chart), so a test can read them back from a browser and compare
them with SQL over the same datasets. Only the columns a figure needs are read (never the text).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from html import escape
from pathlib import Path

import polars as pl

from tasks import io, registry, runinfo, schema

BAR = "#2f6db5"
BAR_ALT = "#c0504d"
JAKARTA = "Asia/Jakarta"
# Rows of lone punctuation left after a span was cut out: not site boilerplate, shown apart.
RESIDUE_RULES = ("dash_residue", "empty_punct")
UNKNOWN = "(unknown)"


def is_residue_expr() -> pl.Expr:
    """True for a removed row that is residue (lone punctuation/dashes), not boilerplate proper."""
    return (pl.col("boilerplate_rule").is_in(RESIDUE_RULES)
            | (pl.col("boilerplate_category") == "residue")).fill_null(False)


def _scan(output: Path, table: schema.Table, columns: list[str]) -> pl.LazyFrame:
    path = io.require(output, table)
    return pl.scan_parquet(path).select(columns)


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _pct_text(part: int, whole: int) -> str:
    """A share for prose: '<0.1%' rather than '0.0%' when there is something."""
    p = _pct(part, whole)
    return "<0.1%" if part and p < 0.1 else f"{p:.1f}%"


def report_data(output: Path) -> dict[str, object]:
    """Everything the report shows, as plain Python values (tested without a browser, and against
    SQL)."""
    output = Path(output)
    arts = _scan(
        output,
        schema.EXTRACT_ARTICLES,
        [
            "article_id",
            "outlet",
            "title",
            "published_at",
            "dateline",
            "authors",
            "language",
            "cited_sources",
            "duplicate_of",
            "story_id",
        ],
    ).collect()
    paras = _scan(
        output,
        schema.DEDUP_PARAGRAPHS,
        [
            "article_id",
            "is_boilerplate",
            "boilerplate_rule",
            "boilerplate_category",
            "duplicate_of",
            "duplicate_scope",
            "in_body",
        ],
    )
    quotes = _scan(output, schema.EXTRACT_QUOTES, ["speaker"]).collect()
    entities = _scan(output, schema.EXTRACT_ENTITIES, ["article_id", "text", "label"])
    qpath = io.table_path(output, schema.QUARANTINE)
    quarantine = (
        pl.read_parquet(qpath, columns=["source_path", "reason"]) if qpath.exists() else None
    )

    n = arts.height
    outlet = pl.col("outlet").fill_null(UNKNOWN)
    per_outlet = (
        arts.group_by(outlet)
        .agg(pl.len().alias("n"), pl.col("duplicate_of").is_not_null().sum().alias("dups"))
        .sort(["n", "outlet"], descending=[True, False])
    )
    body_copies = (
        paras.filter(pl.col("in_body"))
        .group_by("article_id")
        .agg(
            pl.len().alias("body"),
            (pl.col("duplicate_scope") == "cross_article").fill_null(False).sum().alias("copied"),
        )
        .collect()
    )
    copies = (body_copies.join(arts.select("article_id", outlet), on="article_id")
              .group_by("outlet").agg(pl.col("body").sum(), pl.col("copied").sum()))
    per_outlet = per_outlet.join(copies, on="outlet", how="left").with_columns(
        pl.col("body").fill_null(0), pl.col("copied").fill_null(0))

    local_day = pl.col("published_at").dt.convert_time_zone(JAKARTA).dt.date()
    dated = arts.filter(pl.col("published_at").is_not_null()).select(local_day.alias("day"))
    days = dated.group_by("day").len().sort("day")
    per_day = _fill_days(dict(days.rows()))

    removed = paras.filter(pl.col("boilerplate_rule").is_not_null()).with_columns(
        is_residue_expr().alias("res")
    )
    by_rule = (removed.group_by("boilerplate_rule", "res").agg(pl.len().alias("n"))
               .sort(["n", "boilerplate_rule"], descending=[True, False]).collect())
    rules = [(r, c) for r, res, c in by_rule.rows() if not res]
    residue = [(r, c) for r, res, c in by_rule.rows() if res]
    para_counts = (
        paras.select(pl.len().alias("rows"), pl.col("is_boilerplate").sum().alias("bp"))
        .collect()
        .row(0)
    )

    copy_pairs = (
        paras.filter(pl.col("duplicate_scope") == "cross_article")
        .select("article_id", pl.col("duplicate_of").str.replace(r"-\d+$", "").alias("source_id"))
        .collect()
    )
    outlets_by_id = arts.select("article_id", outlet)
    who = (
        copy_pairs.join(
            outlets_by_id.rename({"article_id": "source_id", "outlet": "from"}), on="source_id"
        )
        .join(outlets_by_id.rename({"outlet": "to"}), on="article_id")
        .group_by("from", "to")
        .agg(pl.len().alias("paragraphs"), pl.col("article_id").n_unique().alias("articles"))
        .sort(["paragraphs", "from", "to"], descending=[True, False, False])
    )
    most_copied = (
        copy_pairs.group_by("source_id")
        .agg(pl.col("article_id").n_unique().alias("copiers"), pl.len().alias("paragraphs"))
        .sort(["copiers", "paragraphs", "source_id"], descending=[True, True, False])
        .head(10)
        .join(
            arts.select(pl.col("article_id").alias("source_id"), outlet, "title"),
            on="source_id",
            how="left",
            maintain_order="left",
        )
    )

    stories = (arts.group_by("story_id").agg(
        pl.len().alias("n"), pl.col("outlet").drop_nulls().unique().sort().alias("outlets"),
        pl.col("title").sort_by("article_id").drop_nulls().first().alias("title"))
        .filter(pl.col("n") > 1).sort(["n", "story_id"], descending=[True, False]).head(15))

    speakers, single_names = _speakers(quotes)
    ents = (
        entities.group_by("label", "text")
        .agg(pl.col("article_id").n_unique().alias("articles"))
        .sort(["articles", "text"], descending=[True, False])
        .collect()
    )
    top_entities = {
        lab: ents.filter(pl.col("label") == lab).head(10).select("text", "articles").rows()
        for lab in ("PERSON", "ORG", "PLACE")
    }
    sources = (arts.select("article_id", "cited_sources").explode("cited_sources")
               .filter(pl.col("cited_sources").is_not_null())
               .group_by("cited_sources").agg(pl.col("article_id").n_unique().alias("articles"))
               .sort(["articles", "cited_sources"], descending=[True, False]).head(15).rows())
    languages = (arts.group_by(pl.col("language").fill_null(UNKNOWN)).len()
                 .sort(["len", "language"], descending=[True, False]).rows())
    q_files = ([] if quarantine is None else
               quarantine.group_by("source_path", "reason").len()
               .sort(["len", "source_path", "reason"], descending=[True, False, False]).rows())
    q_reasons = (
        []
        if quarantine is None
        else quarantine.group_by("reason")
        .len()
        .sort(["len", "reason"], descending=[True, False])
        .rows()
    )
    coverage = arts.select(
        pl.col("title").is_not_null().sum().alias("title"),
        pl.col("published_at").is_not_null().sum().alias("published_at"),
        (pl.col("authors").list.len() > 0).fill_null(False).sum().alias("authors"),
        pl.col("dateline").is_not_null().sum().alias("dateline"),
        pl.col("outlet").is_not_null().sum().alias("outlet"),
    ).row(0, named=True)
    first_day = dated["day"].min() if dated.height else None
    last_day = dated["day"].max() if dated.height else None
    dups = int(arts["duplicate_of"].is_not_null().sum())
    return {
        "articles": n,
        "outlets": int(arts["outlet"].drop_nulls().n_unique()),
        "unknown_outlet": int(arts["outlet"].is_null().sum()),
        "article_duplicates": dups,
        "stories": arts["story_id"].n_unique(),
        "paragraphs": int(para_counts[0]),
        "boilerplate_rows": int(para_counts[1]),
        "boilerplate_proper": sum(c for _, c in rules),
        "residue_rows": sum(c for _, c in residue),
        "quotes": quotes.height,
        "quarantined": 0 if quarantine is None else quarantine.height,
        "first_day": first_day.isoformat() if first_day else None,
        "last_day": last_day.isoformat() if last_day else None,
        "undated": n - dated.height,
        "undated_pct": _pct(n - dated.height, n),
        "coverage": [(k, _pct(v, n)) for k, v in coverage.items()],
        "languages": [(lang, _pct(c, n)) for lang, c in languages],
        "per_outlet": [(o, c) for o, c in per_outlet.select("outlet", "n").head(25).rows()],
        "dup_share": [
            (r["outlet"], _pct(r["dups"], r["n"]))
            for r in per_outlet.head(25).iter_rows(named=True)
        ],
        "copy_share": [
            (r["outlet"], _pct(r["copied"], r["body"]))
            for r in per_outlet.head(25).iter_rows(named=True)
        ],
        "per_day": per_day,
        "rules": rules[:25],
        "residue": residue,
        "who_copies_whom": who.head(20).rows(),
        "most_copied": [
            (r["source_id"], r["outlet"], r["copiers"], r["paragraphs"], r["title"] or "")
            for r in most_copied.iter_rows(named=True)
        ],
        "stories_top": [
            (r["story_id"], r["n"], ", ".join(r["outlets"]), r["title"] or "")
            for r in stories.iter_rows(named=True)
        ],
        "speakers": speakers,
        "single_names": single_names,
        "entities": top_entities,
        "cited_sources": sources,
        "quarantine": q_reasons,
        "quarantine_files": q_files[:30],
        "run": runinfo.load(output),
    }


def _fill_days(counts: dict[date, int]) -> list[tuple[str, int]]:
    """Articles per calendar day from the first to the last dated day, days without articles at
    0."""
    if not counts:
        return []
    lo, hi = min(counts), max(counts)
    return [
        ((lo + timedelta(d)).isoformat(), counts.get(lo + timedelta(d), 0))
        for d in range((hi - lo).days + 1)
    ]


def _speakers(
    quotes: pl.DataFrame, top: int = 15
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Quotes per speaker name. A one-word name that is the first word of a longer speaker name in
    the corpus ('Agus' beside 'Agus Rahardjo') may be any of several people: those are listed apart,
    not ranked."""
    counts = quotes.filter(pl.col("speaker").is_not_null()).group_by("speaker").len()
    firsts = set(counts.filter(pl.col("speaker").str.contains(r"\s"))["speaker"]
                 .str.split(" ").list.first().to_list())
    single = pl.col("speaker").is_in(list(firsts)) & ~pl.col("speaker").str.contains(r"\s")
    order = (["len", "speaker"], [True, False])
    ranked = counts.filter(~single).sort(order[0], descending=order[1]).head(top).rows()
    apart = counts.filter(single).sort(order[0], descending=order[1]).head(top).rows()
    return ranked, apart


# --------------------------------------------------------------------------------------------------
# drawing

def _nice_step(top: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5, 5 x 10^k) giving about `ticks` ticks up to top."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    mag = 10 ** math.floor(math.log10(raw))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return max(m * mag, 1.0) if top >= 1 else m * mag
    return 10 * mag


def hbar_chart(key: str, items: list[tuple[str, float]], *, fmt: str = "{:,.0f}", color: str = BAR,
               unit: str = "", width: int | None = None) -> str:
    """Horizontal bar chart, one bar per (label, value), drawn with HTML boxes (so it reflows on a
    phone); each row carries its numbers (data-label, data-value). width is unused (kept for
    callers)."""
    if not items:
        return f'<p class="empty" data-chart="{key}">No data.</p>'
    top = max(v for _, v in items) or 1
    out = [f'<div class="hbars" data-chart="{key}" role="img">']
    for label, value in items:
        shown = fmt.format(value) + unit
        out.append(f'<div class="hrow datum" data-label="{escape(label)}" data-value="{value}" '
                   f'title="{escape(label)}: {escape(shown)}"><span '
                   f'class="lbl">{escape(label)}</span>'
                   f'<span class="track"><span class="area"><span class="bar" style="width:'
                   f'{max(0.3, 100 * value / top):.2f}%;background:{color}"></span></span>'
                   f'<span class="val">{escape(shown)}</span></span></div>')
    out.append("</div>")
    return "".join(out)


def day_chart(key: str, items: list[tuple[str, int]], *, color: str = BAR, width: int = 900,
              height: int = 260) -> str:
    """Articles per day on a time axis: one slot per calendar day (zeros included), a y scale with
    round ticks and grid lines, month (or week) labels on the x axis, and both axis titles."""
    if not items:
        return f'<p class="empty" data-chart="{key}">No dated articles.</p>'
    left, right, bottom, top_pad = 56, 12, 48, 12
    top = max(v for _, v in items) or 1
    step_y = _nice_step(top)
    y_max = step_y * math.ceil(top / step_y)
    plot_w, plot_h = width - left - right, height - bottom - top_pad
    step = plot_w / len(items)
    base = top_pad + plot_h
    out = [f'<svg class="chart" data-chart="{key}" role="img" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    t = 0.0
    while t <= y_max + 1e-9:
        y = base - plot_h * t / y_max
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
                   'class="grid"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                   f'class="tick">{t:,.0f}</text>')
        t += step_y
    first = date.fromisoformat(items[0][0])
    span = len(items)
    for i, (label, value) in enumerate(items):
        h = plot_h * value / y_max
        x = left + i * step
        out.append(f'<rect class="bar datum" data-label="{label}" data-value="{value}" '
                   f'x="{x + step * 0.1:.2f}" '
                   f'y="{base - h:.1f}" width="{max(step * 0.8, 0.6):.2f}" height="{h:.1f}" '
                   f'fill="{color}">'
                   f'<title>{label}: {value:,}</title></rect>')
        d = first + timedelta(i)
        if (span > 62 and d.day == 1) or (
            span <= 62 and (span <= 16 or d.weekday() == 0 or i == 0)
        ):
            fmt = "%b %Y" if span > 62 else "%d %b"
            if x > width - right - 50:  # too close to the right edge for a label
                continue
            anchor = "start"
            out.append(f'<line x1="{x:.1f}" y1="{base}" x2="{x:.1f}" y2="{base + 4}" '
                       'stroke="#666"/>'
                       f'<text x="{x:.1f}" y="{base + 16}" text-anchor="{anchor}" class="tick">'
                       f'{d.strftime(fmt)}</text>')
    out.append(f'<line x1="{left}" y1="{base}" x2="{width - right}" y2="{base}" stroke="#666"/>'
               f'<text x="{left + plot_w / 2:.0f}" y="{height - 6}" text-anchor="middle" '
               'class="axis">'
               f'publish day (Asia/Jakarta), {escape(items[0][0])} to {escape(items[-1][0])}</text>'
               f'<text x="14" y="{top_pad + plot_h / 2:.0f}" text-anchor="middle" class="axis" '
               f'transform="rotate(-90 14 {top_pad + plot_h / 2:.0f})">articles per '
               'day</text></svg>')
    return "".join(out)


def _table(key: str, header: list[str], rows: list[list[object]]) -> str:
    if not rows:
        return f'<p class="empty" data-table="{key}">None.</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    def shown(c: object) -> str:
        return f"{c:,}" if isinstance(c, int) and not isinstance(c, bool) else str(c)

    body = "".join(
        "<tr class='datum'>"
        + "".join(f'<td data-value="{escape(str(c))}">{escape(shown(c))}</td>' for c in r)
        + "</tr>"
        for r in rows
    )
    return (
        '<div class="scroll"><table '
        f'data-table="{key}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
    )


CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
max-width:960px;color:#222;padding:0 12px}
h1{font-size:26px;margin-bottom:4px}
h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
.meta{color:#666;font-size:13px} .cards{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.card{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:110px}
.card b{display:block;font-size:22px} .card span{font-size:12px;color:#666}
svg.chart{max-width:100%;height:auto;display:block}
.hbars{display:grid;grid-template-columns:minmax(6em,max-content) 1fr;gap:3px 8px;font-size:12px;
margin:6px 0}
.hrow{display:contents}
.hrow .lbl{text-align:right;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;
max-width:min(22em,40vw)} .track{display:flex;align-items:center;gap:5px;min-width:0}
.track .area{flex:1 1 auto;min-width:0} .track .bar{display:block;height:15px;border-radius:1px}
.track .val{color:#555;white-space:nowrap;flex:none;width:5em}
svg.chart text{font-size:12px;fill:#333} svg.chart .val{fill:#555}
svg.chart .tick{font-size:11px;fill:#555}
svg.chart .axis{font-size:12px;fill:#333} svg.chart .grid{stroke:#e4e4e4}
.scroll{overflow-x:auto} table{border-collapse:collapse;font-size:13px;width:100%}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
code,.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.cols{display:flex;flex-wrap:wrap;gap:24px} .cols>div{flex:1 1 280px;min-width:0}
.empty{color:#999;font-style:italic} p{overflow-wrap:anywhere}
"""


def _card(k: str, v: object, key: str) -> str:
    shown = f"{v:,}" if isinstance(v, int) else escape(str(v))
    return (
        f"<div class='card' data-card='{key}' "
        f"data-value='{escape(str(v))}'><b>{shown}</b><span>{escape(k)}</span></div>"
    )


def _run_meta(output: Path, run: dict[str, dict], now: datetime) -> str:
    rows = []
    for stage in registry.NAMES:
        e = run.get(stage)
        if e:
            rows.append(
                [stage, e.get("finished_at", ""), e.get("commit") or "?", e.get("input", "")]
            )
    meta = (f"<p class='meta'>Datasets: <code>{escape(str(Path(output).resolve()))}</code> · "
            "report generated "
            f"{now:%Y-%m-%d %H:%M} UTC · report code {escape(runinfo.code_commit() or '?')}</p>")
    if not rows:
        return (
            meta
            + "<p class='meta'>No run metadata (<code>.berita-run.json</code>) in this folder.</p>"
        )
    return meta + _table("run", ["stage", "last ran (UTC)", "berita commit", "input"], rows)


def render_report(output: Path, *, now: datetime | None = None, titles: bool = True) -> str:
    """The report as one HTML string. titles=False leaves article titles out (for a screenshot or
    sharing)."""
    d = report_data(output)
    now = now or datetime.now(UTC)
    n = d["articles"]
    cards = [
        ("articles", d["articles"], "articles"),
        ("outlets", d["outlets"], "outlets"),
        ("articles without outlet", d["unknown_outlet"], "unknown_outlet"),
        ("duplicate articles", d["article_duplicates"], "article_duplicates"),
        ("stories", d["stories"], "stories"),
        ("paragraph rows", d["paragraphs"], "paragraphs"),
        ("boilerplate rows removed", d["boilerplate_proper"], "boilerplate_proper"),
        ("punctuation residue rows", d["residue_rows"], "residue_rows"),
        ("quotes", d["quotes"], "quotes"),
        ("quarantined inputs", d["quarantined"], "quarantined"),
    ]
    span = (f"{d['first_day']} to {d['last_day']}" if d["first_day"] else "no dated article")
    title_cell = (lambda t: t) if titles else (lambda t: "(omitted)")
    ents = d["entities"]
    ent_cols = "".join(
        f"<div><h3>{lab.title()}</h3>"
        + _table(f"entities_{lab}", ["entity", "articles"], [list(r) for r in ents[lab]])
        + "</div>"
        for lab in ("PERSON", "ORG", "PLACE")
    )
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<title>berita report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>berita report</h1>",
        _run_meta(output, d["run"], now),
        "<div class='cards'>" + "".join(_card(k, v, key) for k, v, key in cards) + "</div>",
        "<h2 id='corpus'>Corpus</h2>",
        f"<p data-card='date_range' data-value='{escape(span)}'>Publish days (Asia/Jakarta): "
        f"<b>{escape(span)}</b>; "
        f"<span data-card='undated' data-value='{d['undated']}'>{d['undated']:,} article(s) "
        "without a publish "
        f"time ({_pct_text(d['undated'], n)})</span>.</p>",
        "<div class='cols'><div><h3>Field coverage (% of articles)</h3>",
        hbar_chart("coverage", d["coverage"], fmt="{:.1f}", unit="%", width=440),
        "</div><div><h3>Language (% of articles)</h3>",
        hbar_chart("languages", d["languages"], fmt="{:.1f}", unit="%", width=440),
        "</div></div>",
        "<h2 id='outlets'>Articles per outlet</h2>",
        hbar_chart("per_outlet", d["per_outlet"]),
        "<h2 id='days'>Articles per day</h2>",
        "<p class='meta'>Every calendar day from the first to the last publish day; days without "
        "articles at 0. "
        f"{d['undated']:,} undated article(s) ({_pct_text(d['undated'], n)}) are not shown.</p>",
        day_chart("per_day", d["per_day"]),
        "<h2 id='rules'>Boilerplate removed, by rule</h2>",
        f"<p class='meta'>{d['boilerplate_proper']:,} rows removed as site boilerplate (rule names "
        "from "
        "<code>tasks/rules/*.tsv</code> and clean.py).</p>",
        hbar_chart("rules", d["rules"], color=BAR_ALT),
        "<h3>Punctuation residue (apart)</h3>",
        f"<p class='meta'>{d['residue_rows']:,} rows that are only punctuation or dashes left "
        "after a dateline "
        "or link was cut out: removed, but not boilerplate.</p>",
        _table("residue", ["rule", "rows"], [list(r) for r in d["residue"]]),
        "<h2 id='dups'>Duplicate share per outlet</h2>",
        "<p class='meta'>Share of the outlet's articles that are copies of another article "
        "(re-scrapes, "
        "syndicated copies).</p>",
        hbar_chart("dup_share", d["dup_share"], fmt="{:.1f}", unit="%"),
        "<p class='meta'>Share of the outlet's body paragraphs that copy a paragraph published "
        "elsewhere first.</p>",
        hbar_chart("copy_share", d["copy_share"], fmt="{:.1f}", unit="%", color=BAR_ALT),
        "<h3>Who copies whom</h3>",
        "<p class='meta'>Copied body paragraphs by the outlet of the earliest publisher and of the "
        "copier "
        "(the same outlet on both sides: re-scrapes and repeats of its own text).</p>",
        _table(
            "who_copies_whom",
            ["first published by", "copied by", "paragraphs", "copying articles"],
            [list(r) for r in d["who_copies_whom"]],
        ),
        "<h3>Most copied articles</h3>",
        _table(
            "most_copied",
            ["article_id (berita show ID)", "outlet", "copying articles", "paragraphs", "title"],
            [[a, o, c, p, title_cell(t)] for a, o, c, p, t in d["most_copied"]],
        ),
        "<h2 id='stories'>Largest story clusters</h2>",
        "<p class='meta'>story_id is the smallest article id of the story: <code>berita show "
        "ID</code> "
        "shows that article and its story mates.</p>",
        _table(
            "stories_top",
            ["story_id (berita show ID)", "articles", "outlets", "first title"],
            [[s, c, o, title_cell(t)] for s, c, o, t in d["stories_top"]],
        ),
        "<h2 id='speakers'>Most quoted speakers</h2>",
        "<p class='meta'>Quotes per speaker as resolved (full name where the article or story "
        "gives it).</p>",
        hbar_chart("speakers", d["speakers"]),
        "<p class='meta'>Not ranked: one-word names that are the first name of a longer speaker "
        "name in the "
        "corpus, so they may stand for several people.</p>",
        _table("single_names", ["name", "quotes"], [list(r) for r in d["single_names"]]),
        "<h2 id='entities'>Top entities (articles mentioning them)</h2>",
        f"<div class='cols'>{ent_cols}</div>",
        "<h2 id='sources'>Cited sources (articles citing them)</h2>",
        hbar_chart("cited_sources", d["cited_sources"]),
        "<h2 id='quarantine'>Quarantined input</h2>",
        _table("quarantine", ["reason", "count"], [list(r) for r in d["quarantine"]]),
        "<h3>By file</h3>",
        _table(
            "quarantine_files",
            ["file", "reason", "count"],
            [list(r) for r in d["quarantine_files"]],
        ),
        f"<p class='meta'>{n:,} articles. Numbers in this report can be checked with <code>berita "
        "sql</code>.</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(output: Path, dest: Path | None = None, *, titles: bool = True) -> Path:
    """Write the report next to the datasets (<output>/report.html) unless dest is given; atomic
    like the data. Nothing is written when the datasets cannot be read."""
    html = render_report(output, titles=titles)
    dest = Path(dest) if dest else Path(output) / "report.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    from tasks.io import atomic_write_bytes  # never through a symlink planted at the temp name

    atomic_write_bytes(dest, html.encode("utf-8"))
    return dest
