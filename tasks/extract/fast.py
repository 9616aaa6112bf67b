"""The fast twins of extract's rules (tasks/extract/extract.py holds the plain ones, the
specification): the literal pre-checks as polars expressions over a chunk's paragraphs
(may_hold_cue, may_cite, may_name_source, may_hold_english) and the prefix word counts, the
person, mention and quote scans that take those hints or cut work short, and extract_chunk, the
batch path that computes the hints once for a chunk of articles and calls them.
tests/test_extract_twins.py checks each twin gives what its plain version gives.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import cache

import polars as pl

from tasks import rules
from tasks.extract.extract import (
    _APPOS,
    _APPOS_WORDS,
    _CAPSEQ,
    _KATA_WORDS,
    _MENURUT,
    _SENTENCE_END,
    FREE_QUOTE_GAP,
    LANG_PREFIX_CHARS,
    PERSONS_SCHEMA,
    Resolver,
    _apposed_name,
    _before_verbs,
    _capitalised_run,
    _citing_regex,
    _common_words,
    _free_quote,
    _is_role,
    _mask_quotes,
    _mask_spans,
    _quote_candidates,
    _role_person,
    _source_regex,
    _verb_after_name,
    after_object_marker,
    cited_by_phrase,
    entities,
    first_in_sentence,
    fullest_name,
    is_entity_name,
    language_of_counts,
    looks_foreign,
    nickname_aliases,
    resolve_surname,
    settled_speaker,
    speaker_name,
    story_surname_index,
    subject_mentions,
    title_name,
    unique_sources,
)
from tasks.extract.fields import column_people, header_fields
from tasks.extract.quote_spans import PARA_SEP, Span
from tasks.schema import EXTRACT_ARTICLES, EXTRACT_ENTITIES, EXTRACT_QUOTES, conform
from tasks.text_fast import LiteralPrefilter, contains_any_expr, is_ascii_expr


@cache
def _citing_prefilter() -> LiteralPrefilter:
    """Most paragraphs hold none of the words a citing phrase needs: they skip the costly scan."""
    return LiteralPrefilter(_citing_regex().pattern)


@cache
def _cue_after_name() -> re.Pattern[str]:
    """A speech verb or an appositive (", seorang") right after a name: both cues in one match
    call."""
    return re.compile(f"(?:{_verb_after_name().pattern})|(?:{_APPOS.pattern})")


@cache
def _cue_words() -> tuple[str, ...]:
    """Words one of the cues other than a title needs (a speech verb or appositive after the name, a
    _KATA_WORDS word before it): a text holding none of them names persons by title cues only."""
    verbs = (v for v, p in rules.speech_verbs().items() if p == "before")
    return tuple(sorted({*verbs, *_APPOS_WORDS, *_KATA_WORDS}))


def may_hold_cue(texts: pl.Expr) -> pl.Expr:
    """Per text: does it hold one of _cue_words() (substrings, case as written)? One literal search
    in polars for a chunk's paragraphs: the same test in Python cost a third of
    person_candidates."""
    return contains_any_expr(texts, _cue_words())


def person_candidates_batch(texts: list[str]) -> list[list[str]]:
    """extract.person_candidates of each text, the cue words looked for in one polars pass
    (may_hold_cue)."""
    cues = pl.Series(texts, dtype=pl.String).to_frame("t").select(may_hold_cue(pl.col("t")))
    return [_person_candidates(t, cue) for t, cue in zip(texts, cues.to_series(), strict=True)]


def _person_candidates(text: str, cue: bool | None) -> list[str]:
    """extract.person_candidates, given cue: whether text holds one of _cue_words() (may_hold_cue;
    None: not known). One regex over the 40 characters after a run for both cues after it, the
    (cached) work on each run first; without a cue word only title cues are looked at."""
    run_info = _capitalised_run
    if cue is None:
        cue = any(w in text for w in _cue_words())
    if not cue:  # two paragraphs in three: only the (cached) title cue is left to look at
        return [
            info[0]
            for run in _CAPSEQ.findall(text)
            if (info := run_info(run)) is not None and info[1]
        ]
    found = []
    cue_after = _cue_after_name()
    for m in _CAPSEQ.finditer(text):
        info = run_info(m.group())  # checked first: it is cached, the cues below are not
        if info is None:
            continue
        stripped, titled = info
        if not titled:  # no title cue: look for the others (40 characters after, 12 before)
            start, end = m.span()
            if not (cue_after.match(text, end, end + 40)
                    or text[max(0, start - 12):start].rstrip().endswith(_KATA_WORDS)):
                continue
        found.append(stripped)
    return found


def mentions(
    text: str, persons: list[str], resolver: Resolver | None = None
) -> list[tuple[int, str]]:
    """extract.mentions, with a resolver of persons (made when None): the capitalised runs found in
    one scan, each verb's window rescanned only from the last run wholly before it."""
    masked = _mask_quotes(text)
    resolver = resolver or Resolver(persons)
    found: list[tuple[int, str]] = []
    run_ends: list[int] | None = None
    for vm in _before_verbs().finditer(masked):
        # the runs of masked[:end].rstrip() ending at most 40 characters before its end
        end = vm.start()
        while end and masked[end - 1].isspace():
            end -= 1
        if run_ends is None:
            run_ends = [m.end() for m in _CAPSEQ.finditer(masked)]
        # "Karl-Heinz Glassmeier, peneliti utama ... (RPC), mengungkapkan"
        appos = _apposed_name(masked, end)
        if appos is not None:
            found.append((appos[0], resolver(appos[1])))
            continue
        # rescan only from the end of the last run that lies wholly before the window: the runs up
        # to there
        # are the same in the cut text, so finditer from there yields what finditer from 0 would
        k = bisect_left(run_ends, end - 40)
        for seq in reversed([m for m in _CAPSEQ.finditer(masked, run_ends[k - 1] if k else 0, end)
                             if end - m.end() <= 40][-3:]):
            if after_object_marker(masked, seq.start()):
                break  # "diciptakan oleh Pungu Sinaga, bercerita": an object, no speaker
            # "Asep, saksi di TKP mengatakan": skip the acronym, take Asep
            name = speaker_name(seq.group())
            if name and is_entity_name(name) and name.split()[0].lower() not in _common_words():
                found.append((seq.start(), resolver(name)))
                break
    for mm in _MENURUT.finditer(masked):
        name = speaker_name(mm.group(1))
        if name and is_entity_name(name):
            found.append((mm.start(1), resolver(name)))
    return found


def quotes(paragraphs: list[tuple[int, str]], persons: list[str], resolver: Resolver | None = None,
           title: str | None = None) -> list[dict[str, object]]:
    """extract.quotes, with a resolver of persons (made when None): mentions looked for only in
    paragraphs up to the last quote that may take the person named last, each speaker's fullest
    name worked out once per article."""
    return _assign_speakers(
        *_quote_candidates(paragraphs), persons, resolver or Resolver(persons), True, title
    )


_AS_WRITTEN = Resolver([])


def _assign_speakers(
    text: str,
    starts: list[int],
    idxs: list[int],
    found: list[tuple[Span, tuple[str, str] | None]],
    persons: list[str],
    resolver: Resolver,
    lazy: bool,
    title: str | None = None,
) -> list[dict[str, object]]:
    """Speakers for the found quotes, in text order. lazy: look for mentions only in paragraphs up
    to the last quote that needs the person named last (the plain version looks everywhere)."""
    if not found:
        return []
    # quotes that may take the person named last: pronoun attributions, and unattributed quotes near
    # another
    needs_last = [k for k, (sp, attr) in enumerate(found)
                  if (attr is not None and not attr[0])
                  or (attr is None and k > 0 and sp.start - found[k - 1][0].end <= FREE_QUOTE_GAP)]
    until = found[needs_last[-1]][0].start if needs_last else -1
    said: list[tuple[int, str]] = []
    masked = _mask_spans(text, [sp for sp, _ in found])
    for k, st in enumerate(starts):
        if lazy and st > until:
            break
        end = starts[k + 1] - len(PARA_SEP) if k + 1 < len(starts) else len(text)
        # mentions as written (no resolver): the speaker's fullest name is worked out from the text
        # below
        said.extend(
            (st + p, name) for p, name in mentions(masked[st:end], persons, _AS_WRITTEN)
        )
        said.extend((st + p, name) for p, name in subject_mentions(masked[st:end]))
    said = first_in_sentence(sorted(said), masked)
    out: list[dict[str, object]] = []
    seen: set[str] = set()
    names = _NameIndex(text, title)
    given: dict[str, None] = {}  # the speakers so far, in order
    aliases = nickname_aliases(text)  # nickname -> full name
    variants: dict[str, str] = {}  # speaker -> spelling_variant, for the speakers given so far
    last: tuple[int, str] | None = None
    mi = 0
    prev_end = -1
    for sp, attr in found:
        while mi < len(said) and said[mi][0] < sp.start:
            if last is None or said[mi][0] > last[0]:
                last = said[mi]
            mi += 1
        # no attribution: the rest of a split quote, a full-sentence quote after another
        if attr is None:
            between = text[prev_end:sp.start] if prev_end >= 0 else ""
            split = prev_end >= 0 and len(between) <= 120 and not _SENTENCE_END.search(between)
            if not split and (
                prev_end < 0 or sp.start - prev_end > FREE_QUOTE_GAP or not _free_quote(sp.text)
            ):
                continue
            name, verb = "", None
        else:
            name, verb = attr
        if name[:1].isupper() and not is_entity_name(name):
            continue
        if name:
            speaker = _role_person(name, text) if _is_role(name) else names.fullest(name, resolver)
        else:
            speaker = names.fullest(last[1], resolver) if last else None
        if speaker:
            speaker = settled_speaker(speaker, bool(name), sp, text, persons, given, aliases,
                                      variants)
            last = (sp.start, speaker)
        prev_end = sp.end
        key = " ".join(sp.text.casefold().split())
        if key in seen:  # the scrape repeats the article: the quote is counted once
            continue
        seen.add(key)
        para = bisect_right(starts, sp.start) - 1
        out.append(
            {"paragraph_index": idxs[para], "quote": sp.text, "speaker": speaker, "verb": verb}
        )
    for q in out:  # a nickname the article explains later ("lanjut Buwas" ... "akrab disapa Buwas")
        q["speaker"] = aliases.get(q["speaker"], q["speaker"])
    return out


class _NameIndex:
    """One article's text, for fullest_name: the fullest form of each speaker name, cached."""

    def __init__(self, text: str, title: str | None = None) -> None:
        self.text = text
        self.title = title
        self.cache: dict[str, str] = {}

    def fullest(self, name: str, resolver: Resolver | None = None) -> str:
        """fullest_name, then title_name."""
        if name not in self.cache:
            self.cache[name] = title_name(fullest_name(name, self.text, resolver), self.title,
                                          self.text)
        return self.cache[name]


@cache
def _source_names() -> list[str]:
    return sorted(rules.sources())


def may_cite(texts: pl.Expr) -> pl.Expr:
    """Per paragraph, False where it holds no citing phrase (cited_sources' pre-check,
    vectorised)."""
    return _citing_prefilter().expr(texts)


def may_name_source(texts: pl.Expr) -> pl.Expr:
    """Per paragraph, False where it names no source (sources.tsv): one pass in polars instead of a
    scan in re (one paragraph in a hundred names one)."""
    return contains_any_expr(texts, _source_names())


def cited_sources(paragraphs: list[str], agency: str | None, cites: list[bool | None] | None = None,
                  names: list[bool | None] | None = None) -> list[str]:
    """extract.cited_sources, given cites / names: may_cite / may_name_source of the paragraphs
    (None: worked out): a paragraph that holds no citing phrase or source name is not scanned for
    one."""
    found: list[str] = []
    maybe = _citing_prefilter()
    for i, text in enumerate(paragraphs):
        if maybe(text) if cites is None or cites[i] is None else cites[i]:
            found += cited_by_phrase(text)
        if names is None or names[i] is not False:
            found += [m.group() for m in _source_regex().finditer(text)]
    return unique_sources(found, agency)


def languages(bodies: list[str]) -> list[str | None]:
    """extract.language of each body, the prefixes' function words counted in one polars pass
    (prefix_word_counts)."""
    return [
        language_of_counts(body[:LANG_PREFIX_CHARS], counts)
        for body, counts in zip(bodies, prefix_word_counts(bodies), strict=True)
    ]


def prefix_word_counts(bodies: list[str]) -> list[tuple[int, int, int]]:
    """function_word_counts(body[:LANG_PREFIX_CHARS]) of each body, in one polars pass for a chunk
    (half the cost of the Python loop; the same lower-casing and the same ASCII letter runs)."""
    words = (pl.Series(bodies, dtype=pl.String).str.slice(0, LANG_PREFIX_CHARS).str.to_lowercase()
             .str.extract_all("[a-z]+").to_frame("w"))
    counts = words.select(
        pl.col("w").list.len().alias("n"),
        *(
            pl.col("w")
            .list.eval(pl.element().is_in(sorted(rules.function_words(lang))))
            .list.sum()
            .alias(lang)
            for lang in ("en", "id")
        ),
    )
    return list(counts.iter_rows())


def may_hold_english(texts: pl.Expr) -> pl.Expr:
    """Per paragraph, False where it holds no English function word as function_word_counts finds
    words (ASCII letter runs, any case); non-ASCII texts are True. Such a paragraph is not foreign
    in an Indonesian article, so nine in ten need no counting (foreign_paragraphs)."""
    words = "|".join(re.escape(w) for w in sorted(rules.function_words("en")))
    return texts.str.contains(rf"(?i)(?:^|[^a-z])(?:{words})(?:[^a-z]|$)") | ~is_ascii_expr(texts)


def foreign_paragraphs(
    paragraphs: list[str], lang: str | None, english: list[bool | None] | None = None
) -> int:
    """extract.foreign_paragraphs, given english: may_hold_english of the paragraphs (None: not
    known); in an Indonesian article those without English function words are not counted."""
    if lang not in ("id", "en"):
        return 0
    hints = english if lang == "id" and english is not None else [None] * len(paragraphs)
    return sum(
        looks_foreign(t, lang)
        for t, maybe_en in zip(paragraphs, hints, strict=True)
        if maybe_en is not False
    )


def extract_chunk(
    data: pl.DataFrame,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Fields, quotes and entities of the articles in data (metadata with story sizes + paragraph
    lists).

    Speakers named by surname only are resolved with the full names seen in the story's articles. A
    story whose articles are all in this chunk is resolved here; for the others the quote keeps
    `_story` and the chunk's full names come back as (_story, person) rows, for
    resolve_story_speakers."""
    arts, qrows, erows = [], [], []
    persons_by_story: dict[str, set[str]] = {}
    in_chunk: dict[str, int] = {}
    story_n: dict[str, int] = {}
    data = data.with_columns(pl.col("text").list.eval(may_hold_cue(pl.element())).alias("_cue"),
                             pl.col("text").list.eval(may_cite(pl.element())).alias("_cite"),
                             pl.col("text").list.eval(may_name_source(pl.element())).alias("_src"),
                             pl.col("text").list.eval(may_hold_english(pl.element())).alias("_en"))
    rows = list(data.iter_rows(named=True))
    bodies = [
        "\n\n".join(t for t, b in zip(r["text"] or [], r["in_body"] or [], strict=False) if b)
        for r in rows
    ]
    for r, body, lang in zip(rows, bodies, languages(bodies), strict=True):
        story = r["story_id"] or r["article_id"]
        in_chunk[story] = in_chunk.get(story, 0) + 1
        story_n[story] = r["_story_n"] or 1
        idxs, texts, rls, inb = (
            r["paragraph_index"] or [],
            r["text"] or [],
            r["boilerplate_rule"] or [],
            r["in_body"] or [],
        )
        f = header_fields(
            list(zip(texts, rls, strict=False)),
            r["url"],
            r["outlet_hint"],
            r["title_hint"],
            r["published_hint"],
            r.get("source_format"),
        )
        # authors/editors/category/tags from export columns (tasks/extract/fields.py)
        column_people(f, r)
        body_at = [k for k, b in enumerate(inb) if b]
        body_texts = [texts[k] for k in body_at]
        cues, cites, names, english = (
            [m[k] for k in body_at] for m in (r["_cue"], r["_cite"], r["_src"], r["_en"])
        )
        persons = []
        for t, cue in zip(body_texts, cues, strict=True):
            persons.extend(_person_candidates(t, cue))
        full_persons = sorted(set(persons), key=lambda s: (-len(s.split()), s))
        # lone quote marks that the clean stage removed (`"` on its own line) still delimit split
        # quotes
        quote_rows = [
            (i, t)
            for i, t, b, rl in zip(idxs, texts, inb, rls, strict=False)
            if b or rl == "empty_punct"
        ]
        resolver = Resolver(full_persons)  # for the quotes' speakers and the entities
        qs = quotes(quote_rows, full_persons, resolver, f["title"])
        persons_by_story.setdefault(story, set()).update(full_persons)
        for q in qs:
            qrows.append({"article_id": r["article_id"], **q, "_story": story})
        for t, lab, c in entities(body_texts, [resolver(p) for p in full_persons]):
            erows.append({"article_id": r["article_id"], "text": t, "label": lab, "count": c})
        arts.append(
            {
                "article_id": r["article_id"],
                "source_path": r["source_path"],
                "source_row": r["source_row"],
                "url": r["url"],
                "outlet": f["outlet"],
                "title": f["title"],
                "published_at": f["published_at"],
                "dateline": f["dateline"],
                "authors": f["authors"],
                "editors": f["editors"],
                "signoff": f["signoff"],
                "language": lang,
                "foreign_paragraphs": foreign_paragraphs(body_texts, lang, english),
                "body": body,
                "word_count": len(body.split()),
                "related_titles": f["related_titles"],
                "cited_sources": cited_sources(body_texts, f["agency"], cites, names),
                "captions": f["captions"],
                "photo_credits": f["photo_credits"],
                "boilerplate_removed": sum(1 for b in inb if not b),
                "duplicate_of": r["duplicate_of"],
                "story_id": r["story_id"],
                "date_source": f["date_source"],
                "date_check": f["date_check"],
                "category": f["category"],
                "tags": f["tags"],
            }
        )
    complete = {s for s, n in in_chunk.items() if n >= story_n[s]}
    surnames: dict[str, dict[str, str]] = {}
    for q in qrows:
        if q["_story"] in complete:
            story = q.pop("_story")
            q["_story"] = None
            if q["speaker"] and len(q["speaker"].split()) == 1:
                if story not in surnames:
                    surnames[story] = story_surname_index(
                        sorted(persons_by_story.get(story, ()), key=lambda s: (-len(s), s))
                    )
                q["speaker"] = resolve_surname(q["speaker"], surnames[story])
    persons = [
        {"_story": s, "person": p}
        for s, ps in persons_by_story.items()
        if s not in complete
        for p in sorted(ps)
    ]
    a = conform(pl.DataFrame(arts, schema=EXTRACT_ARTICLES.schema), EXTRACT_ARTICLES)
    q = pl.DataFrame(qrows, schema={**EXTRACT_QUOTES.schema, "_story": pl.String}).select(
        *EXTRACT_QUOTES.columns, "_story"
    )
    e = conform(pl.DataFrame(erows, schema=EXTRACT_ENTITIES.schema), EXTRACT_ENTITIES)
    return a, q, e, pl.DataFrame(persons, schema=PERSONS_SCHEMA)
