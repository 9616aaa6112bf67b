"""Every figure of `berita report`, read back from the page as headless Chromium renders it, equals
a DuckDB query over the same datasets (the views `berita sql` opens)."""

from __future__ import annotations

from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tasks import stages
from tasks.cli import app
from tasks.duck import connect
from tasks.html_report import _speakers
from tests.analyst_fixture import build_input
from tests.test_report import _chromium, _headless


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("analyst")
    out, raw = root / "out", build_input(root / "raw")
    # as `berita run` does (run metadata recorded)
    for stage in ("ingest", "clean", "dedup", "extract"):
        stages.run_stage(stage, raw, out)
    return out


class _Figures(HTMLParser):
    """data-chart / data-table / data-card elements and the data-label/data-value of the rows inside
    them."""

    def __init__(self) -> None:
        super().__init__()
        self.charts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.tables: dict[str, list[list[str]]] = defaultdict(list)
        self.cards: dict[str, str] = {}
        self._chart: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "data-chart" in a:
            self._chart = a["data-chart"]
            self.charts.setdefault(self._chart, [])
        if "data-table" in a:
            self._table = a["data-table"]
            self.tables.setdefault(self._table, [])
        if "data-card" in a:
            self.cards[a["data-card"]] = a.get("data-value") or ""
        if self._chart and "data-label" in a:
            self.charts[self._chart].append((a["data-label"], a["data-value"]))
        if self._table and tag == "tr" and "datum" in (a.get("class") or ""):
            self.tables[self._table].append([])
        if self._table and tag == "td":
            self.tables[self._table][-1].append(a.get("data-value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("svg", "p") and self._chart:
            self._chart = None
        if tag in ("table", "p") and self._table:
            self._table = None


@pytest.fixture(scope="module")
def rendered(corpus, tmp_path_factory) -> _Figures:
    dest = tmp_path_factory.mktemp("rep") / "report.html"
    r = CliRunner().invoke(app, ["report", "-o", str(corpus), "--to", str(dest)])
    assert r.exit_code == 0, r.output
    chromium = _chromium()
    dom = _headless(chromium, dest.parent, "--dump-dom", dest.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    f = _Figures()
    f.feed(dom.stdout)
    return f


def _sql(corpus: Path, q: str) -> list[tuple]:
    return connect(corpus).sql(q).fetchall()


def _chart(f: _Figures, key: str) -> list[tuple[str, float]]:
    return [(label, float(v)) for label, v in f.charts[key]]


def _approx(rows: list[tuple]) -> list[tuple[str, float]]:
    return [(str(a), round(float(b), 1)) for a, b in rows]


def test_articles_per_outlet_match_sql(rendered, corpus):
    sql = _sql(corpus, "SELECT coalesce(outlet, '(unknown)') o, count(*) n FROM articles GROUP BY "
                       "1 "
                       "ORDER BY n DESC, o LIMIT 25")
    assert _chart(rendered, "per_outlet") == _approx(sql)
    assert rendered.cards["articles"] == str(_sql(corpus, "SELECT count(*) FROM articles")[0][0])
    named = _sql(corpus, "SELECT count(DISTINCT outlet), count(*) FILTER (WHERE outlet IS NULL) "
                         "FROM articles")[0]
    assert (rendered.cards["outlets"], rendered.cards["unknown_outlet"]) == tuple(map(str, named))


def test_paragraph_copy_share_per_outlet_counts_unmarked_paragraphs_as_not_copied(rendered, corpus):
    sql = _sql(
        corpus,
        """
        SELECT coalesce(a.outlet, '(unknown)') o, count(*) n,
               round(100.0 * count(*) FILTER (WHERE p.duplicate_scope = 'cross_article')
                     / count(*), 1) share
        FROM paragraphs p JOIN articles a USING (article_id) WHERE p.in_body
        GROUP BY 1""",
    )
    want = {o: s for o, _, s in sql}
    got = dict(_chart(rendered, "copy_share"))
    assert got == pytest.approx(want)
    # not all 100%
    assert 0 < min(v for v in got.values() if v) and sorted(set(got.values())) != [100.0]
    dup = _sql(corpus, "SELECT coalesce(outlet, '(unknown)'), round(100.0 * count(duplicate_of) / "
                       "count(*), 1) "
                       "FROM articles GROUP BY 1")
    assert dict(_chart(rendered, "dup_share")) == pytest.approx(dict(dup))


def test_articles_per_day_is_a_time_axis_with_empty_days_at_zero(rendered, corpus):
    sql = dict(_sql(corpus, "SELECT strftime((published_at AT TIME ZONE 'Asia/Jakarta')::DATE, "
                            "'%Y-%m-%d'), "
                            "count(*) FROM articles WHERE published_at IS NOT NULL GROUP BY 1"))
    days = _chart(rendered, "per_day")
    lo, hi = min(sql), max(sql)
    assert days[0][0] == lo and days[-1][0] == hi
    assert (
        len(days) == (pl.Series([hi]).str.to_date()[0] - pl.Series([lo]).str.to_date()[0]).days + 1
    )
    assert {d: int(v) for d, v in days if v} == sql and any(v == 0 for _, v in days)
    undated = _sql(corpus, "SELECT count(*) FROM articles WHERE published_at IS NULL")[0][0]
    assert rendered.cards["undated"] == str(undated) and undated > 0
    assert rendered.cards["date_range"] == f"{lo} to {hi}"


def test_boilerplate_rules_keep_punctuation_residue_apart(rendered, corpus):
    residue = (
        "(boilerplate_rule IN ('dash_residue', 'empty_punct') OR boilerplate_category = "
        "'residue')"
    )
    rules = _sql(corpus, "SELECT boilerplate_rule r, count(*) n FROM paragraphs WHERE "
                         "boilerplate_rule IS NOT NULL "
                         f"AND NOT coalesce({residue}, false) GROUP BY 1 ORDER BY n DESC, r LIMIT "
                         "25")
    res = _sql(corpus, "SELECT boilerplate_rule r, count(*) n FROM paragraphs WHERE "
                       f"coalesce({residue}, false) "
                       "GROUP BY 1 ORDER BY n DESC, r")
    assert _chart(rendered, "rules") == _approx(rules)
    assert [tuple(r) for r in rendered.tables["residue"]] == [(r, str(n)) for r, n in res] and res
    assert not {r for r, _ in _chart(rendered, "rules")} & {"dash_residue", "empty_punct"}


def test_who_copies_whom_counts_paragraph_copies_from_earliest_publisher_to_copier(
    rendered, corpus
):
    sql = _sql(corpus, """
        SELECT coalesce(src.outlet, '(unknown)') f, coalesce(cp.outlet, '(unknown)') t, count(*) n,
               count(DISTINCT p.article_id) arts
        FROM paragraphs p
        JOIN articles src ON src.article_id = regexp_replace(p.duplicate_of, '-[0-9]+$', '')
        JOIN articles cp ON cp.article_id = p.article_id
        WHERE p.duplicate_scope = 'cross_article' GROUP BY 1, 2 ORDER BY n DESC, f, t LIMIT 20""")
    assert [tuple(r) for r in rendered.tables["who_copies_whom"]] == [
        tuple(map(str, r)) for r in sql
    ]
    assert len(sql) >= 2


def test_coverage_languages_sources_entities_and_quarantine_match_sql(rendered, corpus):
    cov = _sql(
        corpus,
        """SELECT round(100.0 * count(title) / count(*), 1), round(100.0 * count(published_at) /
        count(*), 1), round(100.0 * count(*) FILTER (WHERE len(authors) > 0) / count(*), 1),
        round(100.0 * count(dateline) / count(*), 1), round(100.0 * count(outlet) / count(*), 1)
        FROM articles""",
    )[0]
    assert _chart(rendered, "coverage") == list(
        zip(["title", "published_at", "authors", "dateline", "outlet"], cov, strict=True)
    )
    langs = _sql(corpus, "SELECT coalesce(language, '(unknown)') l, round(100.0 * count(*) / "
                         "(SELECT count(*) FROM articles), 1) FROM articles GROUP BY 1 ORDER BY "
                         "count(*) DESC, l")
    assert _chart(rendered, "languages") == _approx(langs)
    src = _sql(corpus, "SELECT s, count(DISTINCT article_id) n FROM (SELECT article_id, "
                       "unnest(cited_sources) s "
                       "FROM articles) GROUP BY 1 ORDER BY n DESC, s LIMIT 15")
    assert _chart(rendered, "cited_sources") == _approx(src)
    for label in ("PERSON", "ORG", "PLACE"):
        ents = _sql(corpus, "SELECT text, count(DISTINCT article_id) n FROM entities WHERE label "
                            f"= '{label}' "
                            "GROUP BY 1 ORDER BY n DESC, text LIMIT 10")
        assert [tuple(r) for r in rendered.tables[f"entities_{label}"]] == [
            (t, str(n)) for t, n in ents
        ]
    q = _sql(corpus, "SELECT source_path, reason, count(*) n FROM quarantine GROUP BY 1, 2 ORDER "
                     "BY n DESC, 1, 2")
    assert [tuple(r) for r in rendered.tables["quarantine_files"]] == [
        tuple(map(str, r)) for r in q
    ]
    assert {r[0] for r in q} == {"kosong.txt", "wire.jsonl"}


def test_speakers_ranked_by_full_name_with_bare_first_names_apart(rendered, corpus):
    sql = _sql(corpus, "SELECT speaker, count(*) n FROM quotes WHERE speaker IS NOT NULL GROUP BY "
                       "1 "
                       "ORDER BY n DESC, speaker LIMIT 15")
    assert _chart(rendered, "speakers") == _approx(sql)  # no one-word first names in this corpus
    quotes = pl.DataFrame(
        {
            "speaker": [
                "Agus Rahardjo",
                "Agus",
                "Agus",
                "Agus Gumiwang",
                "Jokowi",
                "Jokowi",
                "Jokowi",
                None,
            ]
        }
    )
    ranked, apart = _speakers(quotes)
    assert ranked == [("Jokowi", 3), ("Agus Gumiwang", 1), ("Agus Rahardjo", 1)] and apart == [
        ("Agus", 2)
    ]


def test_story_and_copied_article_ids_are_ids_show_accepts(rendered, corpus):
    ids = [r[0] for r in rendered.tables["stories_top"]] + [
        r[0] for r in rendered.tables["most_copied"]
    ]
    assert ids
    for aid in ids:
        r = CliRunner().invoke(app, ["show", aid, "-o", str(corpus)])
        assert r.exit_code == 0 and f"article {aid}" in r.output, r.output


def test_report_shows_the_runs_metadata(rendered, corpus):
    run = rendered.tables["run"]
    assert [r[0] for r in run] == ["ingest", "clean", "dedup", "extract"]
    assert run[0][3].endswith("raw")  # the input folder of the ingest


def test_report_fits_a_phone_width_without_sideways_scrolling(corpus, tmp_path):
    """At 390 CSS px (headless Chromium's window is at least 500 px wide, so the report is put in an
    iframe of that width) the page needs no sideways scrolling: wide tables scroll inside their own
    box."""
    import re

    from tasks.html_report import render_report

    probe = ("<script>addEventListener('load', () => parent.postMessage("
             "document.documentElement.scrollWidth + ' ' + innerWidth, '*'))</script></body>")
    (tmp_path / "phone.html").write_text(
        render_report(corpus).replace("</body>", probe), encoding="utf-8"
    )
    # test-only pages with a probe script (the report itself has none)
    wrap = tmp_path / "wrap.html"
    wrap.write_text("<html><body style='margin:0'><iframe src='phone.html' "
                    "style='border:0;width:390px;"
                    "height:800px'></iframe><script>addEventListener('message', e => "
                    "document.body.setAttribute("
                    "'data-scroll-width', e.data))</script></body></html>", encoding="utf-8")
    dom = _headless(
        _chromium(),
        tmp_path,
        "--window-size=500,800",
        "--virtual-time-budget=5000",
        "--dump-dom",
        wrap.as_uri(),
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    scroll, viewport = map(int, re.search(r'data-scroll-width="(\d+) (\d+)"', dom.stdout).groups())
    assert viewport == 390 and scroll <= viewport, (scroll, viewport)
