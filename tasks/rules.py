"""Load the rule tables in tasks/rules/*.tsv once.

Rules are data: each table is a readable TSV (lines starting with '#' are comments) and every rule
has a name that ends up in the output, so a user can see which rule removed a line and why.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

RULES_DIR = Path(__file__).parent / "rules"


def read_table(name: str) -> list[dict[str, str]]:
    """Rows of a TSV rule table as dicts (comment lines skipped)."""
    path = RULES_DIR / name
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return [
        {k: (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    ]


def word_set(name: str) -> frozenset[str]:
    """The `word` column of a rule table, as a set."""
    return frozenset(r["word"] for r in read_table(name))


@dataclass(frozen=True)
class LineRule:
    name: str
    category: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class NamedPattern:
    name: str
    regex: re.Pattern[str]
    check_city: bool = False


@cache
def line_rules() -> tuple[LineRule, ...]:
    return tuple(
        LineRule(r["name"], r["category"], re.compile(r["pattern"]))
        for r in read_table("line_rules.tsv")
    )


@cache
def tail_rules() -> tuple[LineRule, ...]:
    return tuple(
        LineRule(r["name"], r["category"], re.compile(r["pattern"]))
        for r in read_table("tail_rules.tsv")
    )


@cache
def line_rule_categories() -> dict[str, str]:
    cats = {r.name: r.category for r in line_rules()}
    cats.update({r.name: r.category for r in tail_rules()})
    cats.update({p.name: "related" for p in related_prefixes()})
    cats.update({p.name: "dateline" for p in datelines()})
    cats.update(EXTRA_RULE_CATEGORIES)
    cats.update({r["name"]: "credit" for r in read_table("bylines.tsv")})  # tasks/clean/bylines.py
    return cats


# Structural rules implemented in clean.py (not simple regex tables), with their categories.
EXTRA_RULE_CATEGORIES = {
    "title": "metadata",
    "publish_date": "metadata",
    "caption": "caption",
    "signoff": "credit",
    "repeated_in_outlet": "template",
    "within_article_repeat": "duplicate",
    "repeated_runtogether": "duplicate",
    # a call to action recurring (numbers varying) in a few articles of one outlet
    "repeated_promo": "social",
    # lone punctuation left by the scraper, counted apart from real boilerplate  # the
    # article's run-together copy (tasks/clean/fragments.py)
    "dash_residue": "residue",
    "related_headline": "related",
    # the caption of a top image, set apart by a wider gap (clean.lead_caption)  # a headline
    # line after a related-links prefix alone on its line
    "lead_caption": "caption",
}


@cache
def related_prefixes() -> tuple[NamedPattern, ...]:
    return tuple(
        NamedPattern(r["name"], re.compile(r["pattern"]))
        for r in read_table("related_prefixes.tsv")
    )


def related_prefix_alternation() -> str:
    """The related-article prefixes as one alternation; group name = rule name."""
    return "(?:" + "|".join(f"(?P<{p.name}>{p.regex.pattern})" for p in related_prefixes()) + ")"


@cache
def related_prefix_regex() -> re.Pattern[str]:
    """One regex finding any related-article prefix at a line or sentence start; group name = rule
    name."""
    return re.compile(
        rf"(?:(?<=^)|(?<=[.!?\"”'’)\]]\s)|(?<=[.!?\"”'’)\]])|(?<=\s)|(?<=\()){related_prefix_alternation()}"
    )


@cache
def datelines() -> tuple[NamedPattern, ...]:
    brands = "(?i:" + "|".join(re.escape(r["alias"]) for r in sorted(
        # {BRANDS}: outlets.tsv's names
        read_table("outlets.tsv"), key=lambda r: -len(r["alias"]))) + ")"
    return tuple(
        NamedPattern(
            r["name"],
            re.compile(r["pattern"].replace("{BRANDS}", brands)),
            r["check_city"] == "yes",
        )
        for r in read_table("datelines.tsv")
    )


@cache
def outlet_aliases() -> dict[str, str]:
    return {r["alias"].casefold(): r["outlet"] for r in read_table("outlets.tsv")}


@cache
def sources() -> dict[str, str]:
    return {r["name"]: r["kind"] for r in read_table("sources.tsv")}


@cache
def citing_phrases() -> tuple[NamedPattern, ...]:
    return tuple(
        NamedPattern(r["name"], re.compile(r["pattern"], re.I))
        for r in read_table("citing_phrases.tsv")
    )


@cache
def speech_verbs() -> dict[str, str]:
    return {r["verb"]: r["position"] for r in read_table("speech_verbs.tsv")}


@cache
def function_words(language: str) -> frozenset[str]:
    return frozenset(
        r["word"] for r in read_table("function_words.tsv") if r["language"] == language
    )


@cache
def position_words() -> frozenset[str]:
    return word_set("position_words.tsv")


@cache
def not_names() -> frozenset[str]:
    return word_set("not_names.tsv")


@cache
def titles() -> tuple[str, ...]:
    """Title words, longest first so "Menteri Luar Negeri" wins over "Menteri"."""
    return tuple(sorted((r["title"] for r in read_table("titles.tsv")), key=len, reverse=True))


@cache
def headline_words() -> frozenset[str]:
    return word_set("headline_words.tsv")


@cache
def places() -> dict[str, str]:
    return {r["name"]: r["kind"] for r in read_table("places.tsv")}


@cache
def places_casefold() -> frozenset[str]:
    return frozenset(p.casefold() for p in places())


@cache
def dateline_places_casefold() -> frozenset[str]:
    """places.tsv plus dateline_places.tsv (towns safe to name only as a dateline), case-folded."""
    return places_casefold() | {r["name"].casefold() for r in read_table("dateline_places.tsv")}


@cache
def orgs() -> frozenset[str]:
    return frozenset(r["name"] for r in read_table("orgs.tsv"))


@cache
def background_df() -> tuple[int, dict[str, int]]:
    """(documents, word -> document frequency) of the reference corpus (background_df.tsv)."""
    table = {r["word"]: int(r["df"]) for r in read_table("background_df.tsv")}
    return table.pop("__docs__", 0), table


@cache
def venue_words() -> frozenset[str]:
    return word_set("venue_words.tsv")


@cache
def statement_words() -> frozenset[str]:
    return word_set("statement_words.tsv")


@cache
def object_markers() -> frozenset[str]:
    return word_set("object_markers.tsv")
