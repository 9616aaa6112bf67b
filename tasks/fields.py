"""Header fields parsed from the rows the clean stage labelled: outlet, title, date, dateline, people, sign-off."""

from __future__ import annotations

import re
from datetime import datetime

import polars as pl

from tasks import rules
from tasks.dates import parse_datetime
from tasks.schema import UTC_TS

_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#].*)?$")
_SECOND_LEVEL = {"co", "or", "go", "ac", "web", "my", "sch", "net", "com", "org", "ponpes", "mil", "biz"}
_NAME_SPLIT = re.compile(r"\s*(?:,|&|/|\bdan\b|\band\b)\s*", re.I)
_CREDIT = re.compile(r"^[^:：]{1,40}[:：]\s*(?P<v>.+)$")
_OLEH = re.compile(r"^(?i:oleh)\s*[:：]?\s*(?P<v>.+)$")


def registered_domain(host: str) -> str:
    """'sport.detik.com' -> 'detik.com'; 'ekonomi.kontan.co.id' -> 'kontan.co.id'."""
    parts = host.lower().strip(".").split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def outlet_name(text: str | None) -> str | None:
    """Canonical outlet for a name seen in text: domains lower-cased, brand names via outlets.tsv."""
    if not text:
        return None
    t = text.strip().strip(".-–— ")
    alias = rules.outlet_aliases().get(t.casefold())
    if alias:
        return alias
    m = _DOMAIN.match(t)
    if m:
        return registered_domain(m.group(1))
    return None


def split_names(value: str) -> list[str]:
    v = re.sub(r"\s+\.$|[.\s]+$", "", value.strip())
    v = re.sub(r"\(.*?\)", "", v).strip()
    return [n.strip(" .") for n in _NAME_SPLIT.split(v) if n.strip(" .") and len(n.strip(" .")) > 1]


def credit_names(text: str) -> list[str]:
    m = _OLEH.match(text.strip()) or _CREDIT.match(text.strip())
    return split_names(m.group("v")) if m else []


def dateline_parts(text: str) -> dict[str, str]:
    """city/outlet/agency groups of a dateline row (re-matching the dateline rules)."""
    for rule in rules.datelines():
        m = rule.regex.match(text.strip() + " ")
        if m:
            return {k: v for k, v in m.groupdict().items() if v}
    return {}


def title_case_city(city: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in city.split())


def header_fields(rows: list[tuple[str, str | None]], url: str | None, outlet_hint: str | None,
                  title_hint: str | None, published_hint: str | None) -> dict[str, object]:
    """Fields from one article's (text, rule) rows plus its export metadata."""
    f: dict[str, object] = {"title": None, "published_at": None, "dateline": None, "authors": [], "editors": [],
                            "signoff": None, "related_titles": [], "captions": [], "photo_credits": [],
                            "agency": None}
    outlets: list[str | None] = []
    if url:
        m = _DOMAIN.match(url.strip())
        outlets.append(registered_domain(m.group(1)) if m else None)
    cats = rules.line_rule_categories()
    for text, rule in rows:
        if rule is None:
            continue
        t = text.strip()
        if rule == "title" and f["title"] is None:
            f["title"] = t
        elif rule == "publish_date" and f["published_at"] is None:
            f["published_at"] = parse_datetime(t)
        elif cats.get(rule) == "dateline":
            parts = dateline_parts(t)
            if parts.get("city") and f["dateline"] is None:
                f["dateline"] = title_case_city(parts["city"])
            if parts.get("outlet"):
                outlets.append(outlet_name(parts["outlet"]))
            if parts.get("agency"):
                f["agency"] = parts["agency"]
        elif rule in ("editor_credit",):
            f["editors"] += credit_names(t)
        elif rule in ("author_credit", "byline_oleh"):
            f["authors"] += credit_names(t)
        elif rule == "signoff":
            f["signoff"] = t.strip("() ")
        elif cats.get(rule) == "related" and rule not in ("related_heading", "related_single"):
            t = t.strip("() ")  # "(Baca: <headline>)"; a related_headline row is the headline alone
            head = rules.related_prefix_regex().match(t)
            title = t[head.end():].strip(" \u00a0:-") if head else (t if rule == "related_headline" else "")
            if title:
                f["related_titles"].append(" ".join(title.split()))
        elif rule == "caption":
            from tasks.clean import _CAPTION  # the caption pattern lives with the rule that uses it

            m = _CAPTION.match(" ".join(t.split()))
            if m:
                f["captions"].append(m.group("caption").strip())
                f["photo_credits"].append(m.group("credit").strip())
        elif rule == "photo_credit":
            m = _CREDIT.match(t.strip("()[] "))
            if m:
                f["photo_credits"].append(m.group("v").strip(" )"))
        elif rule == "site_name":
            outlets.append(outlet_name(t))
        elif rule in ("copyright", "google_news"):
            m = re.search(r"(?i)(?:by|dari|oleh)\s+((?:[a-z0-9-]+\.)+[a-z]{2,})", t) or re.search(
                r"((?:[A-Za-z0-9-]+\.)+(?:com|co\.id|co|id|net|tv))", t)
            if m:
                outlets.append(outlet_name(m.group(1)))
    if f["title"] is None and title_hint:
        f["title"] = " ".join(title_hint.split())
    if f["published_at"] is None and published_hint:
        f["published_at"] = parse_datetime(published_hint)
    outlets.append(outlet_name(outlet_hint) if outlet_hint else None)
    f["outlet"] = next((o for o in outlets if o), None)
    return f


def estimate_published(articles: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """article_id -> published_at (UTC) from the first publish_date row, else the export's date columns."""
    first = (paragraphs.filter(pl.col("boilerplate_rule") == "publish_date").group_by("article_id")
             .agg(pl.col("text").first()))
    df = articles.select("article_id", "published_hint").join(first, on="article_id", how="left")
    vals: list[datetime | None] = []
    for line, hint in df.select("text", "published_hint").iter_rows():
        vals.append(parse_datetime(line) or parse_datetime(hint))
    return df.select("article_id").with_columns(pl.Series("published_at", vals, dtype=UTC_TS))
