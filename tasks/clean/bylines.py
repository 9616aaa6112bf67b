"""Bylines and credits: who wrote and who edited an article, from the credit lines at its top and
bottom.

The shapes are rules in tasks/rules/bylines.tsv ("Penulis: X | Editor: Y", "Laporan Wartawan
Tribunnews.com, X", "(Reporter: X | Editor: Y)", a closing "(Full Name)", author boxes with the
label on its own line...). The clean stage calls label_credits() on an article's rows: only the
first LEAD_ROWS and last TAIL_ROWS body rows are looked at, so the rules cost a few regex calls an
article whatever its length. The credit becomes its own boilerplate row (category `credit`, rule =
the byline rule's name); extract calls parse_credit() on it to get the persons. Names are normalised
by person_names(): outlet suffixes ("X - detikNews") dropped, teams ("Tim detikcom", "Tim Redaksi")
are not persons, titles stripped, lists split on "dan", ",", "&", "/".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tasks import rules

LEAD_ROWS = 3  # body rows at the top an opening byline can be in
TAIL_ROWS = 4  # body rows at the bottom a closing credit can be in
LONG_ROW = 400  # characters: a row this long is a paragraph, no credit lies beyond it

_AUTHOR = (
    r"(?:(?i:penulis|reporter(?:\s+magang)?|pewarta|wartawan|jurnalis|kontributor|koresponden"
    r"|writer|author)|Rep)"
)
_EDITOR = r"(?:(?i:editor|redaktur(?:\s+pelaksana)?|penyunting|editing)|Red)"
_WORD = r"[A-Z][\w'’.-]*"
_PARTICLE = r"(?:(?:bin|binti|van|von|de|da|al|el)\s+)"
# one capitalised name; a lone "I" after the first word is the "Laporan X I City" separator, not a
# word
# "I City", "TRIBUNNEWS.COM", "JAKARTA"
_NOT_NAME_WORD = r"(?!I\s|[A-Z0-9]{3,}\b|[A-Za-z0-9-]+\.[A-Za-z]{2,})"
_NAME = rf"(?![A-Z0-9]{{3,}}\b){_WORD}(?:\s+{_PARTICLE}?{_NOT_NAME_WORD}{_WORD}){{0,5}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|&|/|\b(?i:dan)\b)\s*{_NAME}){{0,4}}"
_VALUE = rf"(?:(?![,|/;]?\s*(?:{_AUTHOR}|{_EDITOR}|(?i:sumber))\s*[:：])[^()\[\]\n|:;：]){{2,80}}?"
_CITY = r"[A-Z][A-Za-z'-]+(?:\s[A-Z][A-Za-z'-]+){0,2}"
_OUTLET = r"[A-Za-z0-9-]+(?:\.[A-Za-z]{2,})+|[A-Z][\w-]*(?:\s[A-Z][\w-]*){0,2}"
_CAPS_WORD = r"[A-Z](?:[A-Z'’-]|\.(?=[A-Z]))*\.?"
_CAPSNAME = rf"{_CAPS_WORD}(?:(?:\s*\|\s*|\s+){_CAPS_WORD}){{1,5}}"  # "REUTERS | EKO WIDIANTO"
_BRAND = (
    r"(?:detik(?:com|News|Finance|Sport|Hot|Inet|Health|Oto|Travel|Food|Edu|Jateng|Jatim|Jabar|Sulsel|Sumut"
    r"|Bali)?|[A-Z][\w-]*\.(?:com|co\.id|id))"
)
_DATE = r"(?:\s*[|·•,-]\s*(?P<date>[^|()]{0,40}?\d{4}\b[^|()]{0,24}?))?"
_PLACEHOLDERS = {
    "{DATE}": _DATE,
    "{CAPSNAME}": _CAPSNAME,
    "{BRAND}": _BRAND,
    "{AUTHOR}": _AUTHOR,
    "{EDITOR}": _EDITOR,
    "{NAMES}": _NAMES,
    "{NAME}": _NAME,
    "{VALUE}": _VALUE,
    "{CITY}": _CITY,
    "{OUTLET}": _OUTLET,
}
# what the credits the rules know hold, tested before any rule is tried: a whole-row credit has a
# colon, a
# closing parenthesis or opens with one of _LINE_OPENERS; a closing credit has a label and a colon,
# or ends with ")"
_LINE_OPENERS = (
    "laporan",
    "kontributor",
    "oleh",
    "penulis",
    "reporter",
    "pewarta",
    "wartawan",
    "editor",
    "redaktur",
    "penyunting",
)
_LABEL_COLON = re.compile(rf"(?:{_AUTHOR}|{_EDITOR})\s*[:：]")


def _may_be_line_credit(text: str) -> bool:
    return (
        ":" in text
        or "：" in text
        or ")" in text
        or "|" in text
        or text[:12].lower().startswith(_LINE_OPENERS)
        or " detik" in text
        or ".co" in text
    )


_TEAM = re.compile(r"(?i)^(?:tim|team|redaksi|admin|editorial|desk)\b|^(?:[\w-]+\.)+[a-z]{2,}$")
_OUTLET_SUFFIX = re.compile(
    r"\s*(?:[-–—|/,]\s*|\()\s*(?:(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}|detik\w*|kompas\w*"
    r"|tribun\w*|okezone|sindonews|liputan6|antara\w*|merdeka|tempo|viva)\)?\s*$",
    re.I,
)
_KONTRIBUTOR = re.compile(r"(?i)^kontributor\s+[A-Z][\w'-]*(?:\s[A-Z][\w'-]*){0,2}\s*,\s*")
_SPLIT = re.compile(r"\s*(?:,|&|/|;|\||\bdan\b|\band\b)\s*", re.I)
_LABEL_PREFIX = re.compile(
    r"(?i)^(?:oleh|by|penulis|reporter|pewarta|wartawan|editor|redaktur)\s*[:：]?\s+"
)
# "Aminuddin A.S.": the dot belongs to the name
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s.])[A-Z]\.$")
_LOWER_OK = {"bin", "binti", "van", "von", "de", "da", "al", "el", "di"}


@dataclass(frozen=True)
class BylineRule:
    name: str
    where: str  # line | lead | tail
    regex: re.Pattern[str]


@cache
def byline_rules() -> tuple[BylineRule, ...]:
    out = []
    for r in rules.read_table("bylines.tsv"):
        pattern = r["pattern"]
        for k, v in _PLACEHOLDERS.items():
            pattern = pattern.replace(k, v)
        out.append(BylineRule(r["name"], r["where"], re.compile(pattern)))
    return tuple(out)


@cache
def _rules(where: str) -> tuple[BylineRule, ...]:
    return tuple(r for r in byline_rules() if r.where == where)


@cache
def rule_names() -> frozenset[str]:
    return frozenset(r.name for r in byline_rules())


@cache
def _named_line_rules() -> tuple[BylineRule, ...]:
    """The whole-row rules that name someone on the row itself (not the author-box labels)."""
    return tuple(r for r in _rules("line") if not r.name.startswith("credit_box"))


def person_names(value: str | None) -> list[str]:
    """Persons in a credit's value: "Tim detikcom" -> []; "Ahmad Fauzi - detikNews" -> ["Ahmad
    Fauzi"]; "Kontributor Makassar, Hendra Cipto" -> ["Hendra Cipto"]; "A, B dan C" -> [A, B, C];
    titles dropped."""
    if not value:
        return []
    if value.startswith("["):  # a JSON list from an export column
        try:
            items = json.loads(value)
            if isinstance(items, list):
                return [n for item in items for n in person_names(str(item))]
        except ValueError:
            pass
    v = " ".join(value.split()).strip(" ,;:-–—|()")
    v = _KONTRIBUTOR.sub("", _LABEL_PREFIX.sub("", v))
    while True:
        cut = _OUTLET_SUFFIX.sub("", v)
        if cut == v:
            break
        v = cut.strip(" .,;:-–—|")
    names = []
    for part in _SPLIT.split(v):
        n = part.strip(" ,;:-–—|()")
        n = n if _ENDS_WITH_INITIAL.search(n) else n.strip(" .")
        n = _strip_titles(n)
        if _person_shaped(n) and n not in names:
            names.append(n)
    return names


def _strip_titles(name: str) -> str:
    titles = rules.titles()
    changed = True
    while changed and name:
        changed = False
        for t in titles:
            if name.startswith(t + " ") and len(name) > len(t) + 1:
                name, changed = name[len(t) + 1:].strip(" ."), True
                break
    return name


def _person_shaped(name: str) -> bool:
    """1-6 words, no digits, capitalised words (particles aside), not a team, an outlet or a
    place."""
    if not name or len(name) < 2 or _TEAM.search(name) or any(c.isdigit() for c in name):
        return False
    words = name.split()
    if len(words) > 6 or not words[0][:1].isupper():
        return False
    if any(not (w[:1].isupper() or w in _LOWER_OK) for w in words):
        return False
    if len(words) == 1 and name.isupper():
        return False  # an acronym or initials ("DPR", "HS"), not a person
    folded = name.casefold()
    return (folded not in rules.outlet_aliases() and folded not in rules.places_casefold()
            and name not in rules.orgs())


def parse_credit(text: str, rule: str | None = None) -> dict[str, Any]:
    """{authors, editors, city} of one credit row. rule: the row's rule when known (a byline rule
    name, or a clean line rule like author_credit); the row is re-matched against the byline
    rules."""
    t = " ".join(text.split())
    out: dict[str, Any] = {"authors": [], "editors": [], "city": None, "date": None}
    if rule in ("credit_box_author", "credit_box_editor"):
        if not _box_label(t):
            out["authors" if rule == "credit_box_author" else "editors"] = person_names(t)
        return out
    named = {r.name: r for r in byline_rules()}
    order = [named[rule]] if rule in named else []
    order += [r for r in _named_line_rules() if r not in order]
    for r in order:
        m = r.regex.fullmatch(t) if r.where in ("line", "last") else r.regex.search(t)
        if m:
            g = _credit_groups(m, r)
            out["authors"] = person_names(g.get("authors"))
            out["editors"] = person_names(g.get("editors"))
            if g.get("city") and g["city"].casefold() in rules.dateline_places_casefold():
                out["city"] = g["city"]
            out["date"] = g.get("date")
            return out
    return out


def _caps_names(value: str) -> str:
    """'CNN  MEIDYANA ADITAMA' -> 'Meidyana Aditama': a closing name in capitals, title-cased,
    without the agencies and outlets (sources.tsv, outlets.tsv) Tempo lists before it ("REUTERS |
    NAME")."""
    known = {k.casefold() for k in rules.sources()} | set(rules.outlet_aliases())
    parts = [p for p in re.split(r"\s{2,}|\s*\|\s*", value.strip()) if p]
    while len(parts) > 1 and parts[0].casefold() in known:
        parts = parts[1:]
    words = parts[0].split() if len(parts) == 1 else " ".join(parts).split()
    while len(words) > 2 and words[0].casefold() in known:
        words = words[1:]
    return " ".join(words).title()


def _credit_groups(m: re.Match[str], r: BylineRule) -> dict[str, str | None]:
    """A rule match's groups, read in the rule's sense: names in capitals title-cased; "Laporan: X,
    City" (the outlet slot took the name, the name slot a place) read as author X in City."""
    g = m.groupdict()
    if r.where == "last" or r.name == "tail_caps_name":
        return {"authors": _caps_names(g["authors"])}
    a, o = g.get("authors"), g.get("outlet")
    if a and o and a.casefold() in rules.places_casefold() and not person_names(a):
        g = {**g, "authors": o, "outlet": None, "city": a}
    return g


def _box_label(text: str) -> str | None:
    """'Penulis' / 'Editor :' alone on a line (an author box): the rule that labels it, else
    None."""
    for r in _rules("line"):
        if r.name.startswith("credit_box") and r.regex.fullmatch(text):
            return r.name
    return None


def match_line(text: str, last: bool = False) -> str | None:
    """The byline rule a whole row is (only when it names someone, or a team), else None. last: the
    row is the article's last body row, where a name in capitals alone is the reporter's
    sign-off."""
    if len(text) > 200:
        return None
    if last and text.isupper():
        t = " ".join(text.split())
        for r in _rules("last"):
            m = r.regex.fullmatch(t)
            if m and person_names(m.group("authors").title()):
                return r.name
    if not _may_be_line_credit(text):
        return None
    t = " ".join(text.split())
    for r in _named_line_rules():
        m = r.regex.fullmatch(t)
        if m:
            g = _credit_groups(m, r)
            value = g.get("authors") or g.get("editors") or ""
            if (
                person_names(g.get("authors"))
                or person_names(g.get("editors"))
                or _TEAM.search(value)
            ):
                return r.name
    return None


def match_lead(text: str) -> tuple[int, str] | None:
    """(end, rule) of an opening byline glued before the text ("Laporan Wartawan X, Y JAKARTA -
    ...")."""
    if not text[:12].lower().startswith(("laporan", "oleh")):
        return None
    for r in _rules("lead"):
        m = r.regex.match(text)
        if m and person_names(m.groupdict().get("authors")):
            return m.end(), r.name
    return None


_SENTENCE_END = re.compile(r"[.!?\"”’')]\s*$")


def match_tail(text: str) -> tuple[int, str] | None:
    """(start, rule) of a closing credit after the last sentence of the text ("... kata dia.
    Penulis: X")."""
    tail = text[-200:]
    ends_paren = tail.rstrip().endswith(")")
    ends_caps = tail[-12:].isupper()
    labelled = (":" in tail or "：" in tail) and _LABEL_COLON.search(tail) is not None
    if not (ends_paren or labelled or ends_caps):
        return None
    for r in _rules("tail"):
        need = {"tail_name_credit": ends_paren, "tail_caps_name": ends_caps}.get(r.name, labelled)
        if not need:
            continue
        for m in r.regex.finditer(text, max(0, len(text) - 200)):
            start = m.start()
            before = text[:start]
            if not before.strip() or not _SENTENCE_END.search(before):
                continue
            g = m.groupdict()
            if r.name == "tail_caps_name":
                g = {"authors": g["authors"].title()}
            names = person_names(g.get("authors")) + person_names(g.get("editors"))
            if not names:
                continue
            if r.name == "tail_name_credit" and rules.orgs() and g["editors"] in rules.orgs():
                continue
            return start, r.name
    return None


def label_credits(rows: list[Any]) -> None:
    """Label the bylines at the top and bottom of one article's clean rows, in place.

    rows: clean.Row objects (source_line, text, rule; rule None = body). A body row that is a credit
    becomes a credit row; a credit glued to a body row is cut into its own row (the row class is the
    caller's). Only the last TAIL_ROWS and first LEAD_ROWS body rows are looked at, and neither side
    looks past a long paragraph (LONG_ROW characters): credits sit outside the article's
    paragraphs."""
    if not rows:
        return
    own_line_dateline(rows)
    make = type(rows[0])
    if any(len(r.text) <= 12 for r in rows[-2 * TAIL_ROWS:]):
        _label_boxes(rows)
    seen, last = 0, True
    # from the end: inserted rows do not move the ones still to see
    for i in range(len(rows) - 1, -1, -1):
        row = rows[i]
        if row.rule is not None:
            continue
        seen += 1
        name = match_line(row.text, last=last)
        last = False
        if name:
            row.rule = name
        else:
            cut = match_tail(row.text)
            if cut:
                start, name = cut
                rows[i] = make(row.source_line, row.text[:start].rstrip(), None)
                rows.insert(i + 1, make(row.source_line, row.text[start:].strip(), name))
            if len(row.text) > LONG_ROW:
                break
        if seen >= TAIL_ROWS:
            break
    relabelled = False
    lead = []
    for i in range(min(len(rows), LEAD_ROWS + 1)):
        if rows[i].rule in (None, "title"):
            lead.append(i)
            if rows[i].rule is None and len(rows[i].text) > LONG_ROW:
                break
    for i in reversed(lead[:LEAD_ROWS]):
        row = rows[i]
        name = match_line(row.text)
        if name:
            row.rule, relabelled = name, True
            continue
        cut = match_lead(row.text)
        if cut:
            end, name = cut
            rest = row.text[end:].strip()
            new = [make(row.source_line, row.text[:end].strip(), name)]
            if rest:
                from tasks.clean.clean import match_dateline

                dl = match_dateline(rest)
                if dl:
                    m, dname = dl
                    new.append(make(row.source_line, rest[: m.end()].strip(), dname))
                    rest = rest[m.end():].strip()
                if rest:
                    new.append(make(row.source_line, rest, None))
            rows[i: i + 1] = new
    names = rule_names()
    if relabelled or any(r.rule in names for r in rows[:LEAD_ROWS + 1]):
        _redo_header(rows)


def _redo_header(rows: list[Any]) -> None:
    """A credit row the clean loop took for the start of the body ("X - detikNews", "X, Jurnalis ·
    ...") hid the header rows after it: a date line among them becomes publish_date, and a dateline
    opening the first body row after them is cut (unless a dateline row came before)."""
    from tasks.clean.clean import match_dateline
    from tasks.extract.dates import is_date_line

    cats = rules.line_rule_categories()
    for i in range(min(len(rows), LEAD_ROWS + 3)):
        row = rows[i]
        if row.rule is not None:
            if cats.get(row.rule) == "dateline":
                return
            continue
        if is_date_line(row.text):
            row.rule = "publish_date"
            continue
        dl = match_dateline(row.text)
        if dl:
            m, name = dl
            rest = row.text[m.end():].strip()
            rows[i: i + 1] = [type(row)(row.source_line, row.text[: m.end()].strip(), name),
                              type(row)(row.source_line, rest, None)]
        return


def _label_boxes(rows: list[Any]) -> None:
    """An author box: a label alone on its row ("Penulis", "Editor:") with the name on the next row,
    in the last rows of the article. Both rows become credit rows of the label's rule."""
    start = max(0, len(rows) - 2 * TAIL_ROWS)
    for i in range(start, len(rows) - 1):
        row = rows[i]
        if row.rule not in (None, "empty_punct") or len(row.text) > 12:
            continue
        label = _box_label(" ".join(row.text.split()))
        nxt = rows[i + 1]
        if label and nxt.rule is None and person_names(nxt.text) and len(nxt.text) <= 60:
            row.rule = nxt.rule = label


_DASHES = "-–—"


def own_line_dateline(rows: list[Any]) -> None:
    """A dateline on its own row ("JAKARTA, KOMPAS.com" or "Teheran", then "-" on the next row or
    opening the next paragraph): relabelled as the dateline rule it is, the dash cut from the next
    paragraph. Only the first rows before the body are looked at."""
    from tasks.clean.clean import match_dateline

    make = type(rows[0])
    for i, row in enumerate(rows[:4]):
        if row.rule not in (None, "title"):
            continue
        t = row.text.strip()
        if len(t) > 60 or i + 1 >= len(rows):
            return
        nxt = rows[i + 1]
        nt = nxt.text.strip()
        dash_row = nxt.rule is not None and nt and all(c in _DASHES + " " for c in nt)
        dash_open = nxt.rule is None and nt[:1] in _DASHES
        dl = match_dateline(t + " - x") if (dash_row or dash_open) else None
        if dl is None or dl[0].end() < len(t):
            if row.rule is None:
                return  # the body has begun
            continue
        row.rule = dl[1]
        if dash_open:
            rest = nt.lstrip(_DASHES + " ")
            rows[i + 1 : i + 2] = [
                make(nxt.source_line, nt[: len(nt) - len(rest)].strip(), "dash_residue")
            ] + ([make(nxt.source_line, rest, None)] if rest else [])
        return
