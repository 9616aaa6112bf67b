"""Paragraph reconstruction: join the line fragments a scraper made of one paragraph back together.

Some scrapers put the anchor text of every inline link on a line of its own:

    ... kata aktivis asal Swedia,
    Greta
    Thunberg
    , telah ...

Read line by line, those fragments become separate paragraphs: the line rules misjudge them ("Video"
alone looks like a navigation link), dedup drops a repeated name as a within-article copy, and quote
detection loses the attribution. This module rebuilds the paragraph before any line rule runs. A
line is joined onto the paragraph before it when it cannot start a paragraph:

- it opens with continuation punctuation (`, . ; : ! ? ) ] ” ’ %`): nothing starts a paragraph with
  a comma;
- it opens with a lower-case letter and the paragraph before does not end a sentence (nor with `:`,
  a list), nor opens in lower case itself (list items);
- it is a short capitalised fragment (a name, a title: at most 5 words, no sentence end), possibly
  several in a row, between a paragraph that does not end a sentence and a line that continues it
  (one of the above).

So real short paragraphs (they end a sentence), headings (the next line starts a new sentence) and
list items are left alone. The same holds for the pieces tasks/text.split_lines cuts a glued export
into: Scrapy joins the text nodes of a page with "," and drops the anchor text, so an inline link
leaves a gap inside its paragraph ("... setelah ,bererupsi pada ...", "Provinsi ,. ,Mereka ...")
that the comma splitter cuts at.

Nothing is lost: a joined paragraph holds the text of every line it was rebuilt from, in order,
separated by one space (none before continuation punctuation); `Join` records the rule and the
source lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

RULE = "link_fragments"  # the name recorded on rebuilt paragraphs (clean/paragraphs.joined_from)
PROMO = 2  # is_template's answer for a call-to-action line (see join_fragments)

_CONT_PUNCT = ",.;:!?)]”’%"
# a paragraph ending so is complete (":" opens a list or a quote: never joined after)
_SENT_END = ".!?\"”’:;"
_OPEN = "([“‘\"'"
_MAX_FRAGMENT_WORDS = 5
_MAX_FRAGMENT_CHARS = 48
_MAX_FRAGMENTS = 4
# a text worth looking at: some line (not the first) opening with a lower-case letter or
# continuation punctuation, or a glued comma before one (a piece the comma splitter will make)
_CANDIDATE = re.compile(r"\n[ \t]*[a-z,.;:!?)\]”’%]|,[ \t]*[.;:!?)\]”’%]|,[a-z]")


@dataclass(frozen=True)
class Join:
    """One rebuilt paragraph: the source lines (first..last, inclusive) it was joined from."""
    first: int
    last: int
    rule: str = RULE

    def label(self) -> str:
        return f"{self.rule}:{self.first}-{self.last}"


def _is_continuation(line: str, before: str) -> bool:
    """Whether `line` continues the paragraph ending in `before` (cannot open a paragraph)."""
    c = line[0]
    if c in _CONT_PUNCT:
        return any(ch.isalnum() for ch in line) or before[-1] not in _SENT_END
    return c.islower() and before[-1] not in _SENT_END


def _is_fragment(line: str) -> bool:
    """A short capitalised piece (anchor text: a name, a title, a handle) ending no sentence."""
    if len(line) > _MAX_FRAGMENT_CHARS or len(line.split()) > _MAX_FRAGMENT_WORDS:
        return False
    if line[-1] in _SENT_END:
        return False
    c = line[0]
    return c.isupper() or c.isdigit() or c in "@#"


def _glue(para: str, line: str) -> str:
    if line[0] in _CONT_PUNCT or para[-1] in _OPEN:
        return para + line
    return para + " " + line


def may_join(text: str) -> bool:
    """The cheap pre-check: without a line (or glued-comma piece) opening in lower case or with
    continuation punctuation, nothing in the text can be joined."""
    return _CANDIDATE.search(text) is not None


def join_fragments(lines: list[tuple[int, str]], text: str | None = None,
                   is_template: Callable[[str], int] | None = None,
                   flags: Sequence[int] | None = None) -> tuple[list[tuple[int, str]], list[Join]]:
    """Lines (source line, stripped text) -> the lines with fragment runs joined into one paragraph
    each, and the joins made (a joined paragraph keeps the source line of its first line). `text`,
    the raw article, is an optional cheap pre-check: without a line opening in lower case or with
    continuation punctuation, nothing can be joined. `is_template(line)` tells a whole boilerplate
    line ("loading...", a share prompt) is never joined onto a paragraph, and nothing is joined onto
    one unless the result is still a whole boilerplate line (a promo split over lines); it is asked
    only about lines that would be joined. A line without a letter or digit ("-", a lone bracket) is
    no paragraph: nothing is joined onto it. is_template answers 0 (no boilerplate line), 1 or 2 (a
    call to action, PROMO): a promo takes the lines that continue it whatever they are (a channel
    promo split by its link: "... caranya klik link / https://t.me/x / , kemudian join."). `flags`,
    when given, is is_template of each input line already worked out (by a vectorised pass); then
    is_template is asked only about joined text."""
    if len(lines) < 2 or (text is not None and not _CANDIDATE.search(text)):
        return lines, []
    out: list[tuple[int, str]] = []
    joins: list[Join] = []
    last: list[int] = []  # last source line of each output line
    src: list[int] = []  # index in `lines` of each output line's first line
    kinds: list[int] = []  # is_template of each output line as it stands (a joined promo stays one)

    def template_at(j: int) -> int:
        if flags is not None:
            return flags[j]
        return is_template(lines[j][1]) if is_template is not None else 0

    i, n = 0, len(lines)
    while i < n:
        ln, line = lines[i]
        if out and not line[0].isspace():
            para = out[-1][1]
            take = 0
            if _is_continuation(line, para) and not (line[0].islower() and para[0].islower()):
                take = 1  # (two lines opening in lower case one after the other: list items)
            elif para[-1] not in _SENT_END and _is_fragment(line):
                k = i
                while k < n and k - i < _MAX_FRAGMENTS and _is_fragment(lines[k][1]):
                    k += 1
                if k < n and k > i and _is_continuation(lines[k][1], lines[k - 1][1]):
                    take = k + 1 - i
            was = 0
            if take:
                was = kinds[-1]
            if take and (not any(ch.isalnum() for ch in para)
                         or (was != PROMO and any(template_at(j) for j in range(i, i + take)))):
                take = 0
            if take:
                for j in range(i, i + take):
                    para = _glue(para, lines[j][1])
                if was == 1 and not (is_template is not None and is_template(para)):
                    # a boilerplate line stays apart, unless the join completes it
                    out.append((ln, line))
                    last.append(ln)
                    src.append(i)
                    kinds.append(template_at(i))
                    i += 1
                    continue
                first = out[-1][0]
                out[-1] = (first, para)  # its kind stays: a promo goes on, a template is whole
                last[-1] = lines[i + take - 1][0]
                if joins and joins[-1].first == first:
                    joins[-1] = Join(first, last[-1])
                else:
                    joins.append(Join(first, last[-1]))
                i += take
                continue
        out.append((ln, line))
        last.append(ln)
        src.append(i)
        kinds.append(template_at(i))
        i += 1
    return out, joins


# --- within-article repeats by containment ----------------------------------------------------

RUNTOGETHER_RULE = "repeated_runtogether"


@dataclass(frozen=True)
class RunTogetherConfig:
    """When a long line is the article's run-together copy: it contains at least `min_contained`
    of the article's other paragraphs (each of `min_words`+ words) and they make up `min_share` of
    its words."""
    min_chars: int = 300
    min_contained: int = 2
    min_words: int = 6
    min_share: float = 0.5


_NON_WORD = re.compile(r"\W+")


def _norm(text: str) -> str:
    return " " + _NON_WORD.sub(" ", text.casefold()).strip() + " "


def runtogether_possible(lengths: list[int],
                         config: RunTogetherConfig = RunTogetherConfig()) -> bool:
    """The cheapest pre-check, on line lengths alone: some line is long enough to hold a copy of
    others."""
    return max(lengths, default=0) >= config.min_chars


def runtogether_copies(texts: list[str],
                       config: RunTogetherConfig = RunTogetherConfig()) -> list[int]:
    """Indices of the paragraphs that are a run-together copy of others of the same article: one
    long line holding the article (with its related links and promos glued in) that the article also
    holds paragraph by paragraph. The paragraphed copy is the body; the long line is the repeat.
    Linear in the article's text for each long line (substring search of its paragraphs in it); only
    lines of `min_chars`+ that are at least twice as long as another paragraph are looked at."""
    if len(texts) < config.min_contained + 1:
        return []
    # cheap pre-checks: a copy holding the others' words is a large share of the article's text,
    # and the opening words of at least min_contained paragraphs occur verbatim in it
    floor = max(config.min_chars, config.min_share * 0.5 * sum(len(t) for t in texts))
    big = [t for t in texts if len(t) >= floor]
    if not big:
        return []
    probes = [t[:24] for t in texts if len(t) >= 24]
    if not any(sum(p in t for p in probes) > config.min_contained for t in big):
        return []
    norms = [_norm(t) for t in texts]
    words = [n.count(" ") - 1 for n in norms]
    out = []
    for i, big in enumerate(norms):
        if len(texts[i]) < floor:
            continue
        inside = [j for j, small in enumerate(norms)
                  if j != i and j not in out and words[j] >= config.min_words
                  and len(small) * 2 <= len(big) and small in big]
        share = sum(words[j] for j in inside)
        if len(inside) >= config.min_contained and share >= config.min_share * words[i]:
            out.append(i)
    return out
