"""Header fields parsed from the rows the clean stage labelled: outlet, title, date, dateline,
people, sign-off."""

from __future__ import annotations

import re
from datetime import datetime

import polars as pl

from tasks import rules
from tasks.clean import bylines
from tasks.extract.dates import check_with_url, parse_datetime
from tasks.schema import UTC_TS

_DOMAIN = re.compile(r"(?i)^(?:https?://)?(?:www\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[/:?#].*)?$")
_SECOND_LEVEL = {
    "co",
    "or",
    "go",
    "ac",
    "web",
    "my",
    "sch",
    "net",
    "com",
    "org",
    "ponpes",
    "mil",
    "biz",
}
_NAME_SPLIT = re.compile(r"\s*(?:,|&|/|\bdan\b|\band\b)\s*", re.I)
_CREDIT = re.compile(r"^[^:：]{1,40}[:：]\s*(?P<v>.+)$")
# line_rules.tsv
_CREDIT_RULES = {"author_credit": "authors", "byline_oleh": "authors", "editor_credit": "editors"}
_OLEH = re.compile(r"^(?i:oleh)\s*[:：]?\s*(?P<v>.+)$")


def registered_domain(host: str) -> str:
    """'sport.detik.com' -> 'detik.com'; 'ekonomi.kontan.co.id' -> 'kontan.co.id'."""
    parts = host.lower().strip(".").split(".")
    if len(parts) >= 3 and parts[-2] in _SECOND_LEVEL and len(parts[-1]) == 2:
        return ".".join(parts[-3:])
    return ".".join(parts[-2:])


def outlet_name(text: str | None) -> str | None:
    """Canonical outlet for a name seen in text: domains lower-cased, brand names via
    outlets.tsv."""
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


def dateline_parts(text: str, rule: str | None = None) -> dict[str, str]:
    """city/outlet/agency groups of a dateline row (re-matching the dateline rules, the row's own
    rule first). A dateline on its own row ("JAKARTA, KOMPAS.com") is matched as if its dash
    followed. A "city" that is an outlet's brand in outlets.tsv ("POSMETRO MEDAN") is the outlet,
    not a city."""
    order = sorted(rules.datelines(), key=lambda r: r.name != rule)
    for suffix in (" ", " - x"):
        for r in order:
            m = r.regex.match(text.strip() + suffix)
            if m:
                parts = {k: v for k, v in m.groupdict().items() if v}
                city = parts.get("city")
                if city and (city.casefold() in rules.outlet_aliases() or city.casefold() == "x"):
                    parts.setdefault("outlet", city)
                    del parts["city"]
                return parts
    return {}


def title_case_city(city: str) -> str:
    return " ".join(w.capitalize() if w.isupper() or w.islower() else w for w in city.split())


def header_fields(rows: list[tuple[str, str | None]], url: str | None, outlet_hint: str | None,
                  title_hint: str | None, published_hint: str | None,
                  source_format: str | None = None) -> dict[str, object]:
    """Fields from one article's (text, rule) rows plus its export metadata. The publish time is
    checked against the URL's date (dates.check_with_url): date_source says where it came from
    (text, column, html_meta, url), date_check what the URL said."""
    f: dict[str, object] = {
        "title": None,
        "published_at": None,
        "dateline": None,
        "authors": [],
        "editors": [],
        "signoff": None,
        "related_titles": [],
        "captions": [],
        "photo_credits": [],
        "agency": None,
    }
    outlets: list[str | None] = []
    if url:
        m = _DOMAIN.match(url.strip())
        outlets.append(registered_domain(m.group(1)) if m else None)
    cats = rules.line_rule_categories()
    byline_city = credit_date = None
    for text, rule in rows:
        if rule is None:
            continue
        t = text.strip()
        if rule == "title" and f["title"] is None:
            f["title"] = t
        elif rule == "publish_date" and f["published_at"] is None:
            f["published_at"] = parse_datetime(t)
        elif cats.get(rule) == "dateline":
            parts = dateline_parts(t, rule)
            if parts.get("city") and f["dateline"] is None:
                f["dateline"] = title_case_city(parts["city"])
            if parts.get("outlet"):
                outlets.append(outlet_name(parts["outlet"]))
            if parts.get("agency"):
                f["agency"] = parts["agency"]
        elif rule in _CREDIT_RULES or rule in bylines.rule_names():
            credit = bylines.parse_credit(t, rule)
            if not (credit["authors"] or credit["editors"]) and rule in _CREDIT_RULES:
                credit[_CREDIT_RULES[rule]] = [
                    n for v in credit_names(t) for n in bylines.person_names(v)
                ]
            f["authors"] += [n for n in credit["authors"] if n not in f["authors"]]
            f["editors"] += [n for n in credit["editors"] if n not in f["editors"]]
            byline_city = byline_city or credit["city"]
            credit_date = credit_date or (
                parse_datetime(credit["date"]) if credit["date"] else None
            )
        elif rule == "signoff":
            f["signoff"] = t.strip("() ")
        elif cats.get(rule) == "related" and rule not in ("related_heading", "related_single"):
            t = t.strip("() ")  # "(Baca: <headline>)"; a related_headline row is the headline alone
            head = rules.related_prefix_regex().match(t)
            title = (
                t[head.end() :].strip(" \u00a0:-")
                if head
                else (t if rule == "related_headline" else "")
            )
            if title:
                f["related_titles"].append(" ".join(title.split()))
        elif rule == "caption":
            # the caption pattern lives with the rule that uses it
            from tasks.clean.clean import _CAPTION

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
    if f["dateline"] is None and byline_city:  # "Laporan Wartawan X, Y I City"
        f["dateline"] = title_case_city(byline_city)
    if f["title"] is None and title_hint:
        f["title"] = " ".join(title_hint.split())
    if f["published_at"] is None:  # "X, Jurnalis · Selasa 17 September 2019 07:03 WIB"
        f["published_at"] = credit_date
    f["date_source"] = "text" if f["published_at"] is not None else None
    if f["published_at"] is None and published_hint:
        f["published_at"] = parse_datetime(published_hint)
        if f["published_at"] is not None:
            f["date_source"] = "html_meta" if source_format == "html" else "column"
    f["published_at"], f["date_check"] = check_with_url(f["published_at"], url)
    if f["date_check"] == "from_url":
        f["date_source"] = "url"
    outlets.append(outlet_name(outlet_hint) if outlet_hint else None)
    f["outlet"] = next((o for o in outlets if o), None)
    return f


def estimate_published(articles: pl.DataFrame, paragraphs: pl.DataFrame) -> pl.DataFrame:
    """article_id -> published_at (UTC) from the first publish_date row, else the export's date
    columns, checked against the URL's date when `articles` has a url column (as header_fields
    does)."""
    first = (paragraphs.filter(pl.col("boilerplate_rule") == "publish_date").group_by("article_id")
             .agg(pl.col("text").first()))
    urls = (
        pl.col("url") if "url" in articles.columns else pl.lit(None, dtype=pl.String).alias("url")
    )
    df = articles.select("article_id", "published_hint", urls).join(
        first, on="article_id", how="left"
    )
    vals: list[datetime | None] = []
    for line, hint, url in df.select("text", "published_hint", "url").iter_rows():
        vals.append(check_with_url(parse_datetime(line) or parse_datetime(hint), url)[0])
    return df.select("article_id").with_columns(pl.Series("published_at", vals, dtype=UTC_TS))


def column_people(f: dict[str, object], meta: dict[str, object]) -> None:
    """Add the export's author/editor columns (normalised: "Name - detikNews" -> Name, teams
    dropped) after the persons the text credits, and its category and tags, to one article's fields
    in place."""
    from tasks.ingest.columns import tag_list

    for key, hint in (("authors", "author_hint"), ("editors", "editor_hint")):
        names = f[key]
        for n in bylines.person_names(meta.get(hint)):
            if n not in names:
                names.append(n)
    f["category"] = meta.get("category_hint")
    f["tags"] = tag_list(meta.get("tags_hint"))
