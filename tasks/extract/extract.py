"""Extract: per-article fields, quotes with resolved speakers, cited sources, entities, language.

Entities come from gazetteers (tasks/rules/places.tsv, orgs.tsv) plus title and attribution cues for
persons; no statistical model, so results are explainable and load offline.

The rules here are the plain, readable versions (the specification); tasks/extract/fast.py holds
their fast twins (pre-checks over a chunk's paragraphs in polars, scans that cut work short) and
the batch path the stage runs, extract_chunk.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import polars as pl
from langdetect import DetectorFactory, LangDetectException, detect

from tasks import rules
from tasks.context import MapChunks
from tasks.extract.quote_spans import PARA_SEP, Span, quote_spans
from tasks.extract.unmarked_quotes import unmarked_spans
from tasks.schema import EXTRACT_QUOTES, conform
from tasks.text_fast import (
    first_char_guard,
    literal_union,
)

DetectorFactory.seed = 0
LANG_PREFIX_CHARS = 1200
_CAPSEQ = re.compile(r"[A-Z][\w'’-]*(?:\s+(?:(?:bin|binti|van|von|de|da|al|el)\s+)?[A-Z][\w'’-]*)*")
_QUOTE = re.compile(r"“(?P<a>[^“”]{2,}?)”|\"(?P<b>[^\"]{2,}?)\"")
_NAME_AFTER_POSITION = re.compile(r"[^,.;]{0,40},\s*(" + _CAPSEQ.pattern + ")")
_MENURUT_END = re.compile(r"(?i:menurut)\s+(" + _CAPSEQ.pattern + r")\s*,?\s*$")
_MENURUT_PRONOUN_END = re.compile(r"(?i:menurut)(?:nya|\s+(?:dia|ia|beliau))\s*,?\s*$")
_MENURUT = re.compile(r"(?i:menurut)\s+(?:[a-z]+\s+){0,3}(" + _CAPSEQ.pattern + ")")
_PRONOUNS = {"dia", "ia", "beliau", "nya", "mereka"}
_ASCII_WORD = re.compile(r"[a-z]+")


@cache
def _after_verbs() -> re.Pattern[str]:
    verbs = [v for v, p in rules.speech_verbs().items() if p == "after"]
    return re.compile(
        r"^\s*[,.]?\s*(?P<verb>" + literal_union(verbs) + r")\b\s*(?P<rest>.{0,120})", re.S
    )


@cache
def _before_verbs() -> re.Pattern[str]:
    verbs = [v for v, p in rules.speech_verbs().items() if p == "before"]
    return re.compile(r"(?P<verb>" + literal_union(verbs) + r")\b")


@cache
def _source_regex() -> re.Pattern[str]:
    return re.compile(literal_union(set(rules.sources()), not_after=r"[\w-]") + r"(?![\w-])")


@cache
def _citing_regex() -> re.Pattern[str]:
    alts = "|".join(f"(?:{p.regex.pattern})" for p in rules.citing_phrases())
    return re.compile(
        first_char_guard(
            rf"(?i:\b(?:{alts}))\s+(?P<src>[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){{0,4}})"
        )
    )


@cache
def _gazetteer() -> dict[str, str]:
    g = {p: "PLACE" for p in rules.places()}
    g.update({o: "ORG" for o in rules.orgs()})
    return g


@cache
def _gazetteer_regex() -> re.Pattern[str]:
    return re.compile(literal_union(set(_gazetteer()), not_after=r"[\w-]") + r"(?![\w-])")


@cache
def _titles_by_first_word() -> dict[str, tuple[str, ...]]:
    """Title cues keyed by their first word, longest first (rules.titles() order)."""
    out: dict[str, list[str]] = {}
    for t in rules.titles():
        out.setdefault(t.split(" ", 1)[0], []).append(t)
    return {k: tuple(v) for k, v in out.items()}


def _leading_title(n: str) -> str | None:
    """The longest title cue that is all of n or starts it followed by a space."""
    for t in _titles_by_first_word().get(n.split(" ", 1)[0], ()):
        if n == t or n.startswith(t + " "):
            return t
    return None


@lru_cache(maxsize=1 << 16)
def strip_name(name: str) -> str:
    """'Presiden Rusia Vladimir Putin' -> 'Vladimir Putin': drop leading titles, places and
    organisations.

    Cached: the same capitalised runs recur across a corpus (it was a third of the extract stage
    uncached)."""
    n = " ".join(name.replace("’s", "").split()).strip(" ,.")
    changed = True
    while changed and n:
        changed = False
        t = _leading_title(n)
        if t is not None:
            n, changed = n[len(t):].strip(), True
        m = _gazetteer_regex().match(n)
        if m and (m.end() == len(n) or n[m.end()] == " ") and m.end() < len(n):
            n, changed = n[m.end():].strip(), True
    return n


def is_entity_name(name: str) -> bool:
    return (
        bool(name)
        and name[0].isupper()
        and name not in _gazetteer()
        and name.lower() not in _PRONOUNS
        and name.split()[0] not in rules.not_names()
        and name.split()[0] not in rules.venue_words()  # "Kompleks Parlemen", "Jalan Gatot Subroto"
    )


# ", seorang ..." after a name
_APPOS_WORDS = ("seorang", "yang merupakan", "warga", "mantan", "salah satu")
_APPOS = re.compile(r",\s+(?:" + "|".join(_APPOS_WORDS) + r")\b")
# a cue when they end the text before a name
_KATA_WORDS = ("kata", "ujar", "ucap", "tutur", "ungkap", "menurut")


@cache
def _verb_after_name() -> re.Pattern[str]:
    return re.compile(
        r"\s+(?:\w+\s+)?(?:" + _before_verbs().pattern.replace("(?P<verb>", "(?:") + ")"
    )


KATA_BEFORE = re.compile(r"(?:kata|ujar|ucap|tutur|ungkap|menurut)\s*$")


def person_candidates(text: str) -> list[str]:
    """The capitalised runs of text that name a person: a run (stripped of titles and ranks) with a
    cue around it (a title it was stripped of, a speech verb or apposition after it,
    `kata`/`menurut` before it), an entity name of at most five words that is no gazetteer place or
    organisation."""
    found = []
    for m in _CAPSEQ.finditer(text):
        seq = m.group().rstrip(".")
        after = text[m.end():m.end() + 40]
        stripped = strip_name(seq)
        cues = (
            stripped != seq and stripped,
            _verb_after_name().match(after),
            _APPOS.match(after),
            KATA_BEFORE.search(text[max(0, m.start() - 12) : m.start()]),
        )
        if any(cues) and is_entity_name(stripped):
            if len(stripped.split()) <= 5 and not _gazetteer_regex().fullmatch(stripped):
                found.append(stripped)
    return found


@lru_cache(maxsize=1 << 16)
def _capitalised_run(run: str) -> tuple[str, bool] | None:
    """person_candidates' work on one capitalised run, cached (one lookup a run; a corpus has ~40
    runs an article): the run without titles, places and organisations and whether a title cue was
    stripped, or None when what is left cannot be a person."""
    seq = run.rstrip(".")
    stripped = strip_name(seq)
    if not _person_like(stripped):
        return None
    return stripped, stripped != seq and bool(stripped)


@lru_cache(maxsize=1 << 16)
def _person_like(name: str) -> bool:
    """A stripped capitalised run that can be a person: an entity name of at most five words, not a
    place or organisation."""
    return (
        is_entity_name(name) and len(name.split()) <= 5 and not _gazetteer_regex().fullmatch(name)
    )


class Resolver:
    """resolve() against one article's names, with each name's tokens worked out once: an article's
    mentions, quotes and entities resolve against the same names many times."""

    def __init__(self, known: list[str]) -> None:
        self.names = [(k, k.split()) for k in (speaker_name(k) or k for k in known)]

    def __call__(self, name: str) -> str:
        toks = name.split()
        n = len(toks)
        best, best_len = name, n
        for k, kt in self.names:
            if len(kt) > best_len and any(kt[i: i + n] == toks for i in range(len(kt) - n + 1)):
                best, best_len = k, len(kt)
        return best


def resolve(name: str, known: list[str]) -> str:
    """Short name -> the longest known full name that holds it as whole words ('Cha' -> 'Cha Du
    Hyeogn')."""
    return Resolver(known)(name)


def surname_index(known: list[str]) -> dict[str, str]:
    """word -> what resolve(word, known) gives for a one-word name, for every word at once: a
    story's quotes resolve their surnames by lookup instead of scanning all the story's names each
    (big stories have thousands)."""
    best: dict[str, tuple[int, str]] = {}
    for k in known:
        full = speaker_name(k) or k
        kt = full.split()
        for t in set(kt):
            if len(kt) > best.get(t, (1, ""))[0]:
                best[t] = (len(kt), full)
    return {t: full for t, (_, full) in best.items()}


# a word in more full names than this in one story is never resolved through it
STORY_NAMES_PER_WORD = 50


def story_surname_index(known: list[str]) -> dict[str, str]:
    """word -> the one full name of the story's persons that holds it, for words where that is
    unambiguous: "Bambang" in a story naming "Bambang Brodjonegoro" and "Bambang Soesatyo" stays
    "Bambang" (two people), while "Soesatyo" resolves. A name held inside a longer one ("Bambang
    Soesatyo" in "Bambang Soesatyo Putra") is the same person."""
    fulls: dict[str, set[str]] = {}
    for k in known:
        full = speaker_name(k) or k
        for t in set(full.split()):
            fulls.setdefault(t, set()).add(full)
    out: dict[str, str] = {}
    for t, names in fulls.items():
        if len(names) > STORY_NAMES_PER_WORD:
            continue
        widest = [f for f in names if not any(g != f and f" {f} " in f" {g} " for g in names)]
        if len(widest) == 1 and len(widest[0].split()) > 1:
            out[t] = widest[0]
    return out


def resolve_surname(name: str, index: dict[str, str]) -> str:
    """resolve() for a one-word name through surname_index()."""
    return index.get(name.strip(), name)


def _speaker_after(tail: str) -> tuple[str, str] | None:
    m = _after_verbs().match(tail)
    if not m:
        return None
    verb, rest = m.group("verb"), m.group("rest")
    if (verb.endswith("nya") and verb[:-3] in rules.speech_verbs()) or verb.split()[
        -1
    ] in _PRONOUNS:
        # "ujarnya" ("tanya" is no "ta" + "nya"), "kata dia dikutip dari ..."
        return "", verb
    hm = _honorific_dot().match(rest)  # "kata Mr. Schlegl": the abbreviated title ends no name
    if hm:
        rest = rest[hm.end():]
    pm = re.match(r"(dia|ia|beliau)\b", rest)
    if pm:
        return "", verb
    if rest[:1].islower() or rest[:1].isdigit():
        pn = _PARTICLE_NAME.match(rest)  # "kata de la Red"
        if pn:
            return pn.group(), verb
        return _role_after(rest, verb)
    nm = _CAPSEQ.match(rest)
    if nm:
        joined, end = nm.group(), nm.end()
        # a run a joiner cuts: "Kepala Bidang (Kabid) Humas ...", "Director Programming &
        # ...",
        for _ in range(3):
            # "Kabag Pemberitaan dan Publikasi KPK Priharsa" (a position's "dan" only: the run opens
            # with one)
            jm = _RUN_JOINER.match(rest, end)
            if not jm or speaker_name(joined) and not _is_position(joined.split()[0]):
                break
            joined, end = joined + " " + jm.group(1), jm.end()
        if end > nm.end() and speaker_name(joined):
            nm = _CAPSEQ.match(joined)
            rest = joined + rest[end:]
        name = speaker_name(nm.group())
        if not name and _INITIALS_ONLY.fullmatch(nm.group()) and nm.group() not in _gazetteer():
            name = nm.group()  # "kata NR, ibu korban": a person the article names by initials
        after = rest[nm.end():]
        nxt = _NAME_AFTER_POSITION.match(after)
        if nxt and (not name or (_is_position(nm.group().split()[0]) and _ROLE_REST.match(after))):
            # "kata Kasubbag Humas Kemenag Sumut, Abdul Azhim": the name follows the position
            candidate = _name_after_roles(after)
            if candidate:
                name = candidate
        run = nm.group().rstrip(".")
        if not name and (_is_role(run) or _is_position(run.split()[0]) or run in _gazetteer()):
            # a role or body: "ujar Kasat Reskrim singkat", "kata Kementerian Luar
            # Negeri Israel"
            name = run
        return (name, verb) if name else None
    return None


_INITIALS_ONLY = re.compile(r"[A-Z]{2,3}")
# comma-separated role parts a speaker's name may follow ("kata Subdit X, Kementerian Y, Name")
ROLE_SEGMENTS = 3


def _name_after_roles(after: str) -> str:
    """The person named after a position and up to ROLE_SEGMENTS comma-separated role or body parts:
    ", Kementerian Agama RI, Sofwan Abdul Jani, saat ..." -> 'Sofwan Abdul Jani'; '' when none."""
    for _ in range(ROLE_SEGMENTS):
        m = _NAME_AFTER_POSITION.match(after)
        if not m:
            return ""
        name = speaker_name(m.group(1))
        if name:
            return "" if name.split()[0] in _DAYS else name
        after = after[m.end():]
    return ""


@cache
def _honorific_dot() -> re.Pattern[str]:
    """An abbreviated rank or honorific with its dot before a capitalised name ("Mr. ", "Dr. ",
    "Prof. ")."""
    dotted = [r for r in _ranks() if r.endswith(".")]
    return re.compile(r"(?:" + literal_union(dotted) + r")\s+(?=[A-Z])")


# the rest of a position up to the comma before the name: "Pengamat Ekonomi dari Center of Budget
# Analysis, Ucok"
_ROLE_REST = re.compile(
    r"(?:\s+(?:dari|of|bidang|and|untuk|the|&|[A-Z][\w&'’.-]*|\([^()]{1,30}\)))*\s*,"
)
_RUN_JOINER = re.compile(
    r"\s*(?:&\s*|\([^()]{1,30}\)\s*|(?:dan|serta)\s+)(" + _CAPSEQ.pattern + ")"
)


# a nickname right after a quote's anaphoric attribution ("," ujar pria yang akrab disapa Buwas)
_NICK_TAIL = re.compile(r"[^.\"“”]{0,50}?\b(?:akrab|biasa)\s+(?:di)?(?:sapa|panggil)\s+("
                        + _CAPSEQ.pattern + ")")
# "Budi Waseso, yang akrab disapa Buwas", "Muhammad Iqbal (akrab disapa Baim)"; "Buwas, sapaan
# akrab Budi Waseso"
_NICK_AFTER_NAME = re.compile(r"(" + _CAPSEQ.pattern + r")\s*[,(]\s*(?:yang\s+)?(?:akrab|biasa)"
                              r"\s+(?:di)?(?:sapa|panggil)\s+(" + _CAPSEQ.pattern + ")")
_NICK_BEFORE_NAME = re.compile(r"(" + _CAPSEQ.pattern + r"),\s+(?:sapaan|panggilan)\s+akrab"
                               r"(?:nya)?\s+(" + _CAPSEQ.pattern + ")")


def _holds_person(name: str, persons: list[str]) -> bool:
    """Does name hold one of the article's person candidates, or one hold it, as whole words (so it
    is no club or product a wrong attribution gave)?"""
    padded = f" {name} "
    return any(f" {p} " in padded or padded in f" {p} " for p in persons)


def nickname_aliases(text: str) -> dict[str, str]:
    """nickname -> the person's name where the text gives both ("Budi Waseso, yang akrab disapa
    Buwas", "Muhammad Iqbal Ramadhan (akrab disapa Baim)", "Buwas, sapaan akrab Budi Waseso"): a
    speaker named by the nickname is given the name. Nicknames of one word, names of two or more."""
    if "sapa" not in text and "panggil" not in text:
        return {}
    out: dict[str, str] = {}
    pairs = [(m.group(2), m.group(1)) for m in _NICK_AFTER_NAME.finditer(text)]
    pairs += [(m.group(1), m.group(2)) for m in _NICK_BEFORE_NAME.finditer(text)]
    for nick, full in pairs:
        name = speaker_name(full)
        if " " not in nick and " " in name and name != nick and is_entity_name(name):
            out[nick] = fullest_name(name, text)
    return out


_ROLE_STOP = re.compile(
    r"\s*(?:[,.;:(]|\b(?:di|saat|ketika|kepada|dalam|pada|usai|seusai|seperti|dilansir|dikutip|"
    r"sebagaimana|yang|dan|sambil|kemarin|menjawab|singkat)\b|$)"
)
_ANAPHORA = re.compile(r"(?:\S+\s+){0,4}(?:itu|tersebut|ini)$")
_NICKNAME = re.compile(r".{0,40}?\b(?:disapa|dipanggil|bernama)\s+(" + _CAPSEQ.pattern + ")")


def _role_after(rest: str, verb: str) -> tuple[str, str] | None:
    """The speaker after a verb when it opens in lower case: "kata juru bicara Pansel KPK, Betti
    Alisjahbana" -> the name after the comma; "ujar pria yang akrab disapa Buwas" -> Buwas; "ujar
    pria 30 tahun itu" -> '' (the person named last); "sebut sales Honda di Kemayoran" -> the role
    "sales Honda"."""
    if _NICKNAME.match(rest):  # "ujar pria yang akrab disapa Buwas": the person named last
        return "", verb
    clause = re.split(r"[.;(]|,\s", rest, maxsplit=1)[0].strip()
    if len(clause.split()) <= 14 and clause.split()[-1:] in (["itu"], ["tersebut"], ["ini"]):
        return "", verb  # "ucap mantan atlet yang kini menjabat Kepala Bidang ... itu"
    stop = _ROLE_STOP.search(rest, 1)
    phrase = rest[: stop.start()] if stop else rest
    words = phrase.split()
    if not words or len(words) > 5 or words[0].lower() in _PRONOUNS:
        return None
    after = rest[len(phrase):]
    nxt = _NAME_AFTER_POSITION.match(after) if after.lstrip().startswith(",") else None
    if nxt:
        name = speaker_name(nxt.group(1))
        if name and name.split()[0] not in _DAYS:
            return name, verb
    if _ANAPHORA.fullmatch(phrase):
        return "", verb
    body = _statement_of(words)
    if body:
        return body, verb  # "tulis keterangan Warner Bros": the body the statement is from
    if not any(w[:1].isupper() for w in words) and len(words) < 2:
        return None  # one lower-case word ("kata sumber") is too little to name a role
    # "tulis seorang pengguna Weibo": "pengguna Weibo"
    return _ROLE_DETERMINER.sub("", phrase), verb


_DAYS = frozenset("Senin Selasa Rabu Kamis Jumat Sabtu Minggu".split())
_ROLE_DETERMINER = re.compile(r"^(?:seorang|sebuah|salah (?:seorang|satu))\s+(?=\S)")


def _statement_of(words: list[str]) -> str:
    """The name after a statement word and its lower-case words ("keterangan resmi Warner Bros" ->
    'Warner Bros', statement_words.tsv); '' when words open with none or no name follows."""
    if not words or words[0] not in rules.statement_words():
        return ""
    k = 1
    while k < len(words) and words[k][:1].islower():
        k += 1
    rest = " ".join(words[k:])
    name = speaker_name(rest) if rest else ""
    return name if name and is_entity_name(name) else ""


def _is_position(token: str) -> bool:
    """A job/rank/unit word, a place or organisation (gazetteers), or an acronym (RCTI, BMKG): not a
    name."""
    return (
        token in rules.position_words()
        or token in _gazetteer()
        or (len(token) >= 2 and token.isupper())
        or token[:1].islower()
    )


@lru_cache(maxsize=1 << 16)
def speaker_name(run: str) -> str:
    """The person's name inside a capitalised run that may also hold positions and organisations:
    'Director Programming & Acquisition RCTI Dini Putri' -> 'Dini Putri'; 'Richard Satur CEO
    dClinic' -> 'Richard Satur'; 'Kasubbag Humas Kemenag Sumut' -> '' (no name)."""
    toks = strip_name(run).replace("&", " ").split()
    if not toks:
        return ""
    pos = [i for i, t in enumerate(toks) if _is_position(t)]
    if not pos:
        return " ".join(toks)
    tail = toks[pos[-1] + 1:]
    if pos[0] > 0:  # name first, then the position ("Richard Satur CEO dClinic") ...
        head = toks[: pos[0]]
        # ... unless a name follows the last position: "Metro Jaya Irjen Pol Fadil Imran"
        if tail and (len(tail) >= len(head) or " ".join(head) in _gazetteer()):
            return " ".join(tail)
        return " ".join(head)
    return " ".join(tail) if tail else ""


def _speaker_before(head: str) -> tuple[str, str] | None:
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", head)[-1]
    best = None
    for vm in _before_verbs().finditer(sentence):
        pre = sentence[: vm.start()].rstrip()
        seqs = list(_CAPSEQ.finditer(pre))
        if seqs and len(pre) - seqs[-1].end() <= 25:
            best = (strip_name(seqs[-1].group()), vm.group("verb"))
            if best[0].lower() in _PRONOUNS:  # 'Ia menambahkan, "..."': the person named last
                best = ("", best[1])
    if best is None:
        mm = _MENURUT_END.search(sentence)
        if mm:
            best = (strip_name(mm.group(1)), "menurut")
        elif _MENURUT_PRONOUN_END.search(sentence):  # 'Menurutnya, "..."': the person named last
            best = ("", "menurutnya")
    return best


def _unbalanced(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") > text.count("”")


def join_split_quotes(
    paragraphs: list[tuple[int, str]], max_join: int = 3
) -> list[tuple[int, str]]:
    """Re-join quotes that a scraper split over paragraphs (`"Kami siap` / `" kata Budi.`), for
    quote detection.

    A paragraph with an unclosed quote mark is joined with the following ones (at most max_join)
    when that closes it; the joined text keeps the first paragraph's index. Paragraphs themselves
    are not changed.
    """
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(paragraphs):
        idx, text = paragraphs[i]
        if _unbalanced(text):
            joined, j = text, i
            while j + 1 < len(paragraphs) and j - i < max_join and _unbalanced(joined):
                j += 1
                joined = joined.rstrip() + " " + paragraphs[j][1].lstrip()
            if not _unbalanced(joined):
                out.append((idx, joined))
                i = j + 1
                continue
        out.append((idx, text))
        i += 1
    return out


def _mask_quotes(text: str) -> str:
    """The text with quoted words blanked (same length), so names inside quotes are not taken as
    mentions."""
    # every quote holds one of these: most paragraphs skip the scan
    if '"' not in text and "“" not in text:
        return text
    return _QUOTE.sub(lambda m: " " * len(m.group()), text)


APPOSITION_CHARS = 200  # how far before a speech verb a name with a lower-case apposition may stand
_APPOSITION = re.compile(r"(" + _CAPSEQ.pattern + r"),\s+[a-z]")
_APPOSITION_BREAK = re.compile(r"[.;!?\"“”]\s")


def _apposed_name(masked: str, end: int) -> tuple[int, str] | None:
    """(position, name) of a person presented with a lower-case apposition closed by a comma right
    before a speech verb at `end`: "Dr Brian Kantor, dokter gigi kosmetik ... di New York, Amerika
    Serikat, mengatakan" -> Brian Kantor (the last such name in the sentence: "Budi, sementara itu
    Andi, ketua RT, mengatakan" -> Andi); None when the text before the verb is no such
    apposition."""
    if masked[end - 1:end] != ",":
        return None
    at = max(0, end - APPOSITION_CHARS)
    last = None
    for am in _APPOSITION.finditer(masked, at, end):
        last = am
    if last is None or _APPOSITION_BREAK.search(masked, last.end(), end):
        return None
    name = speaker_name(last.group(1))
    if name and is_entity_name(name) and name.split()[0].lower() not in _common_words():
        return last.start(1), name
    return None


def mentions(text: str, persons: list[str]) -> list[tuple[int, str]]:
    """(position, speaker) of each person presented as speaking, outside quotes: a name with a
    lower-case apposition closed by a comma right before a speech verb ("Asep, saksi di TKP,
    mengatakan"), else the last of up to three capitalised runs within 40 characters before the
    verb (`X mengatakan`); and `Menurut X`. Each name resolved to the fullest of persons."""
    masked = _mask_quotes(text)
    found: list[tuple[int, str]] = []
    for vm in _before_verbs().finditer(masked):
        pre = masked[: vm.start()].rstrip()
        appos = _apposed_name(masked, len(pre))
        if appos is not None:
            found.append((appos[0], resolve(appos[1], persons)))
            continue
        for seq in reversed([m for m in _CAPSEQ.finditer(pre) if len(pre) - m.end() <= 40][-3:]):
            if after_object_marker(masked, seq.start()):
                break  # "diciptakan oleh Pungu Sinaga, bercerita": an object, no speaker
            name = speaker_name(seq.group())
            if name and is_entity_name(name) and name.split()[0].lower() not in _common_words():
                found.append((seq.start(), resolve(name, persons)))
                break
    for mm in _MENURUT.finditer(masked):
        name = speaker_name(mm.group(1))
        if name and is_entity_name(name):
            found.append((mm.start(1), resolve(name, persons)))
    return found


def quotes(paragraphs: list[tuple[int, str]], persons: list[str], title: str | None = None
           ) -> list[dict[str, object]]:
    """Direct quotes with speakers, found over the whole article (tasks/extract/quote_spans.py:
    quotes split over paragraphs or lines, newspaper multi-paragraph quotes, lost closing marks) and
    attributed by quote_attribution(). A pronoun or anaphoric attribution ("ujarnya", "kata dia",
    "ujar pria itu"), the rest of a split quote and a free full-sentence quote right after another
    take the person named last before the quote, outside quotes (a speaker, or any person mentioned
    in any paragraph: mentions, subject_mentions). Speakers are given the fullest name the article
    has for them (fullest_name), or its title (title_name: "Anies" -> "Anies Baswedan" where the
    title reads "..., Anies Baswedan: ..."). A quote repeated in the article (a scrape that stores
    it twice) is kept once."""
    text, starts, idxs, found = _quote_candidates(paragraphs)
    masked = _mask_spans(text, [sp for sp, _ in found])
    said = []  # (position, name) of every mention
    for k, at in enumerate(starts):
        end = starts[k + 1] - len(PARA_SEP) if k + 1 < len(starts) else len(text)
        said += [(at + p, name) for p, name in mentions(masked[at:end], [])]
        said += [(at + p, name) for p, name in subject_mentions(masked[at:end])]
    said = first_in_sentence(sorted(said), masked)
    out, seen, last, prev_end = [], [], None, -1
    given: dict[str, None] = {}  # the speakers so far, in order
    aliases = nickname_aliases(text)  # nickname -> full name
    variants: dict[str, str] = {}  # speaker -> spelling_variant, for the speakers given so far
    resolver = Resolver(persons)
    for sp, attr in found:
        before = [x for x in said if x[0] < sp.start]
        if before and (last is None or before[-1][0] > last[0]):
            last = before[-1]
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
        if name and _is_role(name):
            speaker = _role_person(name, text)
        elif name:
            speaker = title_name(fullest_name(name, text, resolver), title, text)
        else:
            speaker = (title_name(fullest_name(last[1], text, resolver), title, text) if last
                       else None)
        if speaker:
            speaker = settled_speaker(speaker, bool(name), sp, text, persons, given, aliases,
                                      variants)
            last = (sp.start, speaker)
        prev_end = sp.end
        if " ".join(sp.text.casefold().split()) in seen:
            continue
        seen.append(" ".join(sp.text.casefold().split()))
        para = max(k for k, at in enumerate(starts) if at <= sp.start)
        out.append(
            {"paragraph_index": idxs[para], "quote": sp.text, "speaker": speaker, "verb": verb}
        )
    for q in out:  # a nickname the article explains later ("lanjut Buwas" ... "akrab disapa Buwas")
        q["speaker"] = aliases.get(q["speaker"], q["speaker"])
    return out


def settled_speaker(speaker: str, named: bool, sp: Span, text: str, persons: list[str],
                    given: dict[str, None], aliases: dict[str, str],
                    variants: dict[str, str]) -> str:
    """A quote's speaker as the article settles it: its nickname's full name (aliases), the
    spelling the article gave first (spelling_variant against persons and the speakers so far,
    given); recorded in given. An unnamed attribution followed by "yang akrab disapa X" teaches
    aliases that X is this speaker ("ujar pria yang akrab disapa Buwas")."""
    speaker = aliases.get(speaker, speaker)
    if speaker not in variants:  # worked out again only when a new speaker comes
        variants.clear()
        variants[speaker] = spelling_variant(speaker, [*persons, *given], text)
    speaker = variants[speaker]
    given.setdefault(speaker)
    nick = _NICK_TAIL.match(text, sp.end, sp.end + _TAIL_WINDOW) if not named else None
    if nick and nick.group(1) != speaker and _holds_person(speaker, persons):
        aliases[nick.group(1)] = speaker
    return speaker


def _one_edit(a: str, b: str) -> bool:
    """Are words a and b one letter apart (one added, dropped or changed, or two neighbours swapped:
    "Adji"/"Adjie", "Jhon"/"John")?"""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i:i + 2] == b[i:i + 2][::-1] and a[i + 2:] == b[i + 2:])
    return a[i + 1:] == b[i:] if len(a) > len(b) else a[i:] == b[i + 1:]


def _swapped(a: str, b: str) -> bool:
    """Are words a and b the same letters with two neighbours swapped ("Jhon"/"John")?"""
    return len(a) == len(b) and a != b and sorted(a) == sorted(b) and _one_edit(a, b)


VARIANT_MIN_LETTERS = 4  # shorter words are too alike to be told apart as spellings of one name


def spelling_variant(name: str, known: list[str], text: str) -> str:
    """The form of a person's name the text writes first when it spells the name two ways: of the
    known names (the article's persons and speakers so far) one with the same words but one a letter
    apart ("Indriyanto Seno Adji" -> "Indriyanto Seno Adjie"), or for a one-word name a full name
    holding it with two letters swapped ("Jhon" -> "John Ely Tumanggor"), written earlier in text;
    else name. Words of fewer than VARIANT_MIN_LETTERS letters, or not sharing the first letter, are
    never variants."""
    toks = name.split()
    at = find_whole(text, name)
    best, best_key = name, (at if at >= 0 else len(text), -len(toks))
    for cand in known:
        ct = cand.split()
        if cand == name or not ct or ct[0][:1] != toks[0][:1]:
            continue
        if len(ct) == len(toks) >= 2:
            diff = [(x, y) for x, y in zip(toks, ct, strict=True) if x != y]
            ok = len(diff) == 1 and min(map(len, diff[0])) >= VARIANT_MIN_LETTERS \
                and diff[0][0][:1] == diff[0][1][:1] and _one_edit(*diff[0])
        else:
            ok = len(toks) == 1 and len(name) >= VARIANT_MIN_LETTERS and _swapped(name, ct[0])
        if ok:
            c_at = find_whole(text, cand)
            key = (c_at, -len(ct))
            if 0 <= c_at and key < best_key:
                best, best_key = cand, key
    return best


# what follows a name the title gives in full ("Anies Baswedan: Bisa Bantu ...")
_TITLE_NAME_END = re.compile(r"\s*[:,]")
TITLE_NAME_WORDS = 2  # words the title may add to a name
_TITLE_NAME_WORDS = re.compile(rf"(?:\s+[A-Z][\w'’-]*){{1,{TITLE_NAME_WORDS}}}")


def title_name(name: str, title: str | None, text: str) -> str:
    """The fuller form of a person's name the article's title gives when the text does not ("Anies"
    -> "Anies Baswedan" in "Lantik 2 Deputi, Anies Baswedan: Bisa Bantu"): the name extended to the
    right in the title, by at most TITLE_NAME_WORDS name words, taken only where the title's name
    ends at a colon or a comma (headline words are capitalised too: "Gading Kurangi Jadwal") and no
    added word is written in lower case in the text or is a common word."""
    if not title or not name or name not in title:
        return name
    toks = name.split()
    i = find_whole(title, name)
    if i < 0:
        return name
    rest = title[i + len(name):]
    words = _TITLE_NAME_WORDS.match(rest)
    if not words or not _TITLE_NAME_END.match(rest, words.end()):
        return name
    added = words.group().split()
    if any(not _name_word(w, False) or _written_lower(w, text) or w.lower() in _common_words()
           for w in added):
        return name
    return " ".join(toks + added)


def _quote_candidates(
    paragraphs: list[tuple[int, str]],
) -> tuple[str, list[int], list[int], list[tuple[Span, tuple[str, str] | None]]]:
    """The article text (paragraphs joined by PARA_SEP), each paragraph's start and index, and every
    quote span of at least 3 words with its attribution (None: none found)."""
    starts, pos = [], 0
    for _, t in paragraphs:
        starts.append(pos)
        pos += len(t) + len(PARA_SEP)
    text = PARA_SEP.join(t for _, t in paragraphs)
    found: list[tuple[Span, tuple[str, str] | None]] = []
    marked = quote_spans(text, _open_cut()) if '"' in text or "“" in text or "”" in text else []
    for sp in marked:
        q = sp.text.strip(" ,.")
        if len(q.split()) < 3:
            continue
        found.append((Span(sp.start, sp.end, q), quote_attribution(text, sp)))
    # marks the scrape lost
    lost = [(sp, quote_attribution(text, sp)) for sp in unmarked_spans(text, marked)]
    if lost:
        found = sorted(
            found + [(sp, attr) for sp, attr in lost if attr is not None], key=lambda f: f[0].start
        )
    return text, starts, [i for i, _ in paragraphs], found


# characters after a quote within which an unattributed quote may continue its speaker
FREE_QUOTE_GAP = 600


_SENTENCE_END = re.compile(r"[.!?]\s|\n")


def _is_role(name: str) -> bool:
    """A speaker given by role or body, no person: lower-case ("sales Honda") or position words only
    ("Kasat Reskrim")."""
    toks = name.split()
    if _PARTICLE_NAME.fullmatch(name):  # "de la Red"
        return False
    return name[:1].islower() or all(_is_position(t) or _leading_title(t) for t in toks)


def _role_person(role: str, text: str) -> str:
    """The person the article names with this role ("Kasat Reskrim" -> "Suryadi" where it writes
    "Kasat Reskrim Kompol Suryadi"), else the role itself (an organisation or role as the
    speaker)."""
    i = text.find(role)
    while i != -1:
        m = (
            _CAPSEQ.match(text, i + len(role) + 1)
            if text[i + len(role) : i + len(role) + 1] == " "
            else None
        )
        if m is None and text[i + len(role):i + len(role) + 2] == ", ":
            m = _CAPSEQ.match(text, i + len(role) + 2)
        if m:
            name = speaker_name(m.group())
            if name and is_entity_name(name):
                return name
        i = text.find(role, i + 1)
    return role


_SENTENCE_BREAK = re.compile(r"[.!?]\s+(?=[A-Z])")
_CONNECTIVE = re.compile(r"(?:Sementara itu|Namun|Selain itu|Kemudian|Adapun),\s+(?=[A-Z])")


def _sentence_starts(text: str) -> list[int]:
    """Where the sentences of text open with a capital (after a connective such as "Sementara
    itu,")."""
    starts = [0] if text[:1].isupper() else []
    starts += [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    out = []
    for at in starts:
        c = _CONNECTIVE.match(text, at)
        out.append(c.end() if c else at)
    return out


# "... Eri Cahyadi meninjau"
_PREDICATE = re.compile(r" (?:[a-z]+ )?(?:me|ber|di|ter|men|mem|meng|meny)[a-z]+")


def subject_mentions(text: str) -> list[tuple[int, str]]:
    """(position, person) for each sentence whose subject is a person named with a title or rank
    ("Wali Kota Surabaya Eri Cahyadi meninjau ...") or by a full name of two or more name words
    (_untitled_subject: "Evan Dimas Darmono akhirnya menjalani ...", "Thareq Kemal Habibie, yang
    merupakan ..."): a later "ujarnya" may be theirs. A titled name elsewhere in a sentence ("Budi
    menyebut Presiden Joko Widodo ...") is no subject and presents nobody."""
    out = []
    titles = _titles_by_first_word()
    for at in _sentence_starts(text):
        # a titled subject opens with a title's first word
        if text[at:at + 30].split(" ", 1)[0] not in titles:
            untitled = _untitled_subject(text, at)
            if untitled:
                out.append((at, untitled))
            continue
        run = _CAPSEQ.match(text, at)
        if run is None or not _PREDICATE.match(text, run.end()):
            continue
        info = _capitalised_run(run.group())
        if info is not None and info[1] and _leading_title(run.group()) is not None:
            name = speaker_name(run.group().rstrip("."))
            if name and is_entity_name(name):
                out.append((run.start(), name))
    return out


_PASSIVE = re.compile(r"Di[a-z]{4,}")  # "Diungkap", "Ditemui"
_REDUPLICATED = re.compile(r"(?i)(\w+)-\1\w*")  # "Pantai-pantai", "Kapal-kapalan"
_RELATIVE = re.compile(r",\s+(?:yang|seorang|salah satu)\b")


def _untitled_subject(text: str, at: int) -> str:
    """The person a sentence at `at` opens with, named without a title: a run of two to five name
    words (_name_word: no position, place, common or sentence word) followed by a predicate ("Evan
    Dimas Darmono akhirnya menjalani operasi") or a relative clause (", yang merupakan ..."); ''
    when the sentence opens with none."""
    run = _CAPSEQ.match(text, at)
    if run is None:
        return ""
    words = run.group().rstrip(".").split()
    if not 2 <= len(words) <= 5 or not all(
            _name_word(w, False) and not _REDUPLICATED.fullmatch(w) for w in words):
        return ""  # ... nor a plural ("Pantai-pantai Gold Coast")
    pred = _PREDICATE.match(text, run.end())
    if not ((pred and not pred.group().startswith(" yang ")) or _RELATIVE.match(text, run.end())):
        return ""  # "Pantai Gold Coast yang terkenal ..." describes, no predicate
    name, first = " ".join(words), words[0]
    # a sentence's first word that is a noun or verb: "Kedatangan ...", "Diungkap ...", "Wafatnya
    # ...", "Unggahan ...", "Aplikasi ..." where the text writes "aplikasi", "PT ..."
    if (_DERIVED_NOUN.fullmatch(first) or _PASSIVE.fullmatch(first) or _INITIAL.fullmatch(first)
            or first.endswith("nya") or first.lower() in rules.statement_words()
            or first.lower() in _common_words(NAMES.sentence_share) or _written_lower(first, text)
            or not is_entity_name(name) or _gazetteer_regex().fullmatch(name)):
        return ""
    return name


def first_in_sentence(said: list[tuple[int, str]], masked: str) -> list[tuple[int, str]]:
    """The sorted mentions said less those after another one in the same sentence of masked (the
    text, quotes blanked): "Jhon menambahkan, Syamsir juga sudah mengaku ..." presents Jhon, the
    sentence's subject, not the person his words are about."""
    if len(said) < 2:
        return said
    ends = [m.start() for m in _SENTENCE_END.finditer(masked)]
    out, last_sentence = [], -1
    for pos, name in said:
        k = bisect_left(ends, pos)
        if k != last_sentence:
            out.append((pos, name))
            last_sentence = k
    return out


def after_object_marker(masked: str, start: int) -> bool:
    """Is the name at `start` right after an object marker (object_markers.tsv: "diciptakan oleh
    Pungu Sinaga, bercerita"), so no subject of the speech verb after it?"""
    before = masked[max(0, start - 20):start].rsplit(None, 1)
    return (bool(before) and masked[start - 1:start].isspace()
            and before[-1] in rules.object_markers())


def _mask_spans(text: str, spans: list[Span]) -> str:
    """The text with the found quotes blanked (same length), so names inside quotes are not
    mentions."""
    if not spans:
        return text
    parts, pos = [], 0
    for sp in spans:
        parts.append(text[pos:sp.start])
        # paragraphs are cut by position, not by their breaks
        parts.append(" " * (sp.end - sp.start))
        pos = sp.end
    parts.append(text[pos:])
    return "".join(parts)


def _free_quote(q: str) -> bool:
    """A quote without attribution that can stand as one: five words or more, a sentence (not a
    title in
    capitals: most of its words capitalised)."""
    words = q.split()
    if len(words) < 5 or not q[:1].isupper():
        return False
    caps = sum(1 for w in words if w[:1].isupper())
    return caps * 2 < len(words)


@cache
def _open_cut() -> re.Pattern[str]:
    """Where a quote whose closing mark is lost ends: a comma, then an attribution verb."""
    verbs = [v for v, p in rules.speech_verbs().items() if p == "after" and v != "menurut"]
    return re.compile(r",\s*(?:" + literal_union(verbs) + r")\b(?=\s+[\w(]|[.,])")


_NAME_THEN_VERB_WORDS = r"(?:ia|dia|beliau)"
_TAIL_PRONOUN = re.compile(r"^\s*[,.]?\s*" + _NAME_THEN_VERB_WORDS + r"\s+(?P<verb>me\w+|ber\w+)\b")
_PARTICLE_NAME = re.compile(r"(?:(?:de|da|van|von|di|del|della|dos|du|la|le)\s+)+[A-Z][\w'’-]*")
_HEAD_WINDOW = 400  # characters before a quote searched for "X mengatakan," / "Menurut X,"
_TAIL_WINDOW = 200  # characters after it searched for "kata X" / "X menjelaskan"


def quote_attribution(text: str, sp: Span) -> tuple[str, str] | None:
    """(speaker as written, verb) for the quote: after it ("...," kata X / ujarnya / X menjelaskan /
    ia mengklaim / kata juru bicara KPK), else before it (X mengatakan, "..." / Menurut X, "...").
    An empty speaker means a pronoun or an anaphoric phrase ("kata pria itu"): the person named
    last. A lower-case speaker is a role or body ("sales Honda", "pihak kepolisian"). None: no
    attribution."""
    tail = text[sp.end: sp.end + _TAIL_WINDOW]
    got = _speaker_after(tail)
    if got:
        return got
    m = _name_then_verb().match(tail)
    if m:
        name = speaker_name(m.group("name"))
        if name:
            return name, m.group("verb")
    m = _TAIL_PRONOUN.match(tail)
    if m and m.group("verb") in _before_verb_set():
        return "", m.group("verb")
    head_from = max(0, sp.start - _HEAD_WINDOW)
    para = text.rfind(PARA_SEP, head_from, sp.start)
    head = text[(para + len(PARA_SEP)) if para >= 0 else head_from: sp.start]
    if not head.strip() and para >= 0:  # "X mengatakan:" closing the paragraph before
        prev = text[max(0, para - _HEAD_WINDOW): para]
        if prev.rstrip().endswith((":", ",")):
            head = prev
    if not head.strip():
        return None
    colon = _COLON_SPEAKER.search(head)  # 'Ketua KPU Hasyim Asy'ari: "..."'
    if colon:
        name = speaker_name(colon.group(1))
        if name:
            return name, ":"
    return _speaker_before(head)


_COLON_SPEAKER = re.compile(r"(?:^|[.!?]\s+|\n)(" + _CAPSEQ.pattern + r")\s*:\s*$")


@cache
def _before_verb_set() -> frozenset[str]:
    return frozenset(v for v, p in rules.speech_verbs().items() if p == "before")


@cache
def _name_then_verb() -> re.Pattern[str]:
    """`"...," Djatmiko menjelaskan.`: a name, then a speech verb, right after the quote."""
    verbs = [v for v, p in rules.speech_verbs().items() if p == "before"]
    return re.compile(
        r"^\s*[,.]?\s*(?P<name>"
        + _CAPSEQ.pattern
        + r")\s+(?P<verb>"
        + literal_union(verbs)
        + r")\b"
    )


_INITIAL = re.compile(r"[A-Z]\.?|[A-Z]{2}")  # "B.", "M", "PS" in "Bambang PS Brodjonegoro"
_NAME_PARTICLES = frozenset("bin binti van von de da del della dos du la le al el".split())


@lru_cache(maxsize=1 << 16)
def _name_word(tok: str, edge_left: bool) -> bool:
    """Can tok extend a person's name? A capitalised word that is no title, position, place,
    organisation or sentence word; a lone initial ("B.", "M"; two capitals inside or after a name:
    "PS", "SP")."""
    if tok in _NAME_PARTICLES:
        return not edge_left
    if _INITIAL.fullmatch(tok):
        return len(tok.rstrip(".")) == 1 or not edge_left
    return (tok[:1].isupper() and not _is_position(tok) and tok not in rules.not_names()
            and tok.lower() not in _common_words()
            and tok not in _DAYS and _leading_title(tok) is None and any(c.islower() for c in tok))


def _stands_alone(tok: str, text: str, name: list[str]) -> bool:
    """Does tok occur in text with neither neighbour a word of name (so it is a word of its own,
    such as a club before a player's name, not part of the name)?"""
    size, i = len(tok), text.find(tok)
    inside = set(name)
    while i != -1:
        end = i + size
        if (i == 0 or not _wordish(text[i - 1])) and (end == len(text) or not _wordish(text[end])):
            prev = text[max(0, i - 40):i - 1].rsplit(" ", 1)[-1] if text[i - 1:i] == " " else ""
            nxt = text[end + 1:end + 41].split(" ")[0] if text[end:end + 1] == " " else ""
            # the neighbour word up to punctuation: "Brad Downey.,Patung" (a glued paragraph) is
            # next to Downey
            prev, nxt = _TRAILING_WORD.search(prev).group(), _LEADING_WORD.match(nxt).group()
            if prev.strip(_PUNCT) not in inside and nxt.strip(_PUNCT) not in inside:
                return True
        i = text.find(tok, i + 1)
    return False


_PUNCT = ",.;:()[]\"“”'’!?"


@dataclass(frozen=True)
class NameConfig:
    """common_share: a word in at least this share of the reference corpus's articles
    (background_df.tsv) is a common word ("Pemberantasan", "Korupsi", "Negara"), never added to a
    person's name (the commonest name words, "Joko", "Widodo", are in ~5.8%); sentence_share: the
    same for a word opening a sentence."""

    common_share: float = 0.06
    # the same for a sentence's first word ("Alasan" 5%; "Joko" 5.8% is lost there)
    sentence_share: float = 0.04


NAMES = NameConfig()


@cache
def _common_words(share: float = NAMES.common_share) -> frozenset[str]:
    docs, df = _background_df()
    return frozenset(w for w, n in df.items() if docs and n >= share * docs)


@cache
def _background_df() -> tuple[int, dict[str, int]]:
    """rules.background_df() by a plain split of its two columns (faster than the csv reader)."""
    df: dict[str, int] = {}
    with (rules.RULES_DIR / "background_df.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or "\t" not in line:
                continue
            w, n = line.rstrip("\n").split("\t", 1)
            if n.isdigit():
                df[w] = int(n)
    return df.pop("__docs__", 0), df


# a noun made with ke-/pe-/per- ... -an opening a sentence ("Kedatangan Gibran ...",
# "Pernyataan Budi ..."): no first name
_DERIVED_NOUN = re.compile(r"(?:Ke|Pe)[a-z]{3,}an")
_TRAILING_WORD = re.compile(r"[^,.;:()\[\]\"“”!?]*$")
_LEADING_WORD = re.compile(r"[^,.;:()\[\]\"“”!?]*")


def _inner_punct(word: str) -> bool:
    """Punctuation inside a word ("Rusia,Vladimir": a lost space) ends a name there."""
    return any(c in _PUNCT for c in word.rstrip("."))


def _extend(toks: list[str], left: list[str], right: list[str], text: str) -> list[str]:
    """toks extended by the raw words left (nearest last) and right of them while those are name
    words that do not stand alone in text; punctuation between words ends the name."""
    out = list(toks)
    for raw in right:
        w = _LEADING_WORD.match(raw).group()  # "Atmaja.,,Tatan": the name ends at the punctuation
        if _INITIAL.fullmatch(raw.rstrip(",;:")):
            w = raw.rstrip(",;:")  # "B." of "B. J. Habibie"
        if not w or not _name_word(w, False) or _stands_alone(w, text, out):
            break
        out.append(w)
        if w != raw:
            break
    while out[-1] in _NAME_PARTICLES and len(out) > len(toks):
        out.pop()
    added: list[str] = []
    k = len(left) - 1
    while k >= 0:
        raw = left[k]
        # "Rusia,Vladimir": the name starts after the punctuation
        w = _TRAILING_WORD.search(raw).group()
        if (
            not w
            or raw[-1:] in _PUNCT
            or not _name_word(w, True)
            or _stands_alone(w, text, added + out)
        ):
            break
        if (k == 0 or left[k - 1][-1:] in ".!?") and (
            w.lower() in rules.function_words("id")
            or w.lower() in _common_words(NAMES.sentence_share)
            or _written_lower(w, text)
            or _DERIVED_NOUN.fullmatch(w)
        ):
            break  # a sentence's first word ("Alasan Raditya Dika ...", "Pendekatan Jokowi ...")
        tail = [x.strip(_PUNCT) for x in left[max(0, k - 3):k + 1]]
        if any(
            " ".join(tail[j:]) in _gazetteer()
            or _leading_title(" ".join(tail[j:])) == " ".join(tail[j:])
            for j in range(len(tail))
        ):
            # the end of an organisation or a title ("Komisi Pemberantasan Korupsi
            # Johan Budi")
            break
        added.insert(0, w)
        k -= 1
        if w != raw:
            k = -2  # punctuation before the word: a clean boundary
            break
    if added and k >= 0 and not _clean_left_boundary(left, k, text):
        # the words belong to a longer run ("Kepala Badan Kebijakan Fiskal Febrio
        # Kacaribu")
        added = []
    return added + out


def _written_lower(word: str, text: str) -> bool:
    """Does text also write word in lower case, as a word of its own ("pendekatan
    kesejahteraan")?"""
    low = word.lower()
    return low != word and re.search(r"(?<!\w)" + re.escape(low) + r"(?!\w)", text) is not None


@cache
def _ranks() -> frozenset[str]:
    return frozenset(r["word"] for r in rules.read_table("ranks.tsv"))


def _clean_left_boundary(left: list[str], k: int, text: str) -> bool:
    """Does the raw word left[k], where a name's extension to the left stopped, end a run cleanly: a
    lower-case word, punctuation, a word that stands alone in text (a club, a place), or a title or
    position word that itself opens the run ("Pelatih Pullela Gopichand", not "Kepala Badan
    Kebijakan Fiskal Febrio")?"""
    raw = left[k]
    w = raw.strip(_PUNCT)
    if (
        not w
        or raw[-1:] in _PUNCT
        or not w[:1].isupper()
        or _inner_punct(w)
        or (len(w) >= 2 and w.isupper())
    ):
        # ... or an acronym, which ends an organisation's name ("Ketua DPR RI Ahmadi Noor
        # Supit")
        return True
    if w in _ranks() or raw in _ranks():
        return True
    before = left[k - 1] if k > 0 else ""
    if w in _gazetteer() and (before in rules.position_words() or _leading_title(before)):
        return True  # a club or place after a title ("Kiper Liverpool Simon Mignolet")
    if not (_is_position(w) or _leading_title(w)):
        return _stands_alone(w, text, [])
    return not before or before[-1:] in _PUNCT or not before[:1].isupper()


def _speaks_alone(word: str, text: str) -> bool:
    """Does text present word on its own as a speaker ("kata Iriana", "Iriana mengatakan"): a
    person, no company?"""
    i, size = text.find(word), len(word)
    while i != -1:
        end = i + size
        whole = (i == 0 or not _wordish(text[i - 1])) and (
            end == len(text) or not _wordish(text[end]))
        if whole and (KATA_BEFORE.search(text[max(0, i - 12):i].rstrip())
                      or _verb_after_name().match(text, end, end + 40)):
            return True
        i = text.find(word, i + 1)
    return False


def _org_prefix(toks: list[str], text: str) -> bool:
    """Is the first of three or more name words a company or body before the person ("VP Marketing
    Smartfren Iqbal Asseweth")? It is capitalised, stands alone in the text ("produk Smartfren") but
    never as a speaker (_speaks_alone), and the text also names the rest, two words or more, without
    it ("papar Iqbal Asseweth")."""
    first = toks[0].strip(_PUNCT)
    if len(toks) < 3 or not first[:1].isupper() or _INITIAL.fullmatch(first) \
            or _speaks_alone(toks[0], text):
        return False
    rest = " ".join(toks[1:])
    i = text.find(rest)
    while i != -1:
        before = text[max(0, i - 40):i].rstrip().rsplit(None, 1)
        end = i + len(rest)
        whole = (i == 0 or not _wordish(text[i - 1])) and (
            end == len(text) or not _wordish(text[end]))
        if whole and (not before or before[-1].strip(_PUNCT) != first):
            return _stands_alone(toks[0], text, toks[1:])
        i = text.find(rest, i + 1)
    return False


def fullest_name(name: str, text: str, resolver: Resolver | None = None) -> str:
    """The fullest form of a person's name the article gives: "Febrio" -> "Febrio Kacaribu" when the
    text names him in full anywhere, "Bambang" -> "Bambang PS Brodjonegoro", "de la Red" -> "Ruben
    de la Red". The name is extended word by word where the text names it, by name words only
    (_name_word: titles, ranks, positions, places and organisations never join), and never by a word
    that stands alone elsewhere in the text ("Juventus Alex Sandro": the club is named on its own,
    so the player stays "Alex Sandro"). resolver: known persons; a longer form it gives is taken
    only when the text does not hold it as written (where it does, the text's own context decides,
    above), or when it goes on to the right of the form the text gives (a surname that also stands
    alone for a relative: "Thareq Kemal" -> "Thareq Kemal Habibie")."""
    toks = name.split()
    if not toks:
        return name
    if _org_prefix(toks, text):  # "Smartfren Iqbal Asseweth", the text saying "Iqbal Asseweth" too
        name, toks = " ".join(toks[1:]), toks[1:]
    # "Presiden Joko Widodo (Jokowi)": the alias's full name
    if len(toks) == 1 and f"({name})" in text:
        am = re.search(r"(" + _CAPSEQ.pattern + r")\s*\(" + re.escape(name) + r"\)", text)
        full = speaker_name(am.group(1)) if am else ""
        if len(full.split()) > 1 and is_entity_name(full):
            name, toks = full, full.split()
    best = toks
    # a longer form the text does not hold as such (the story's, the caller's)
    if resolver is not None:
        r = resolver(name)
        if len(r.split()) > len(toks) and count_whole(text, r) == 0:
            best = r.split()
    i, seen = text.find(name), 0
    while i != -1 and seen < 50:
        end = i + len(name)
        if (i == 0 or not _wordish(text[i - 1])) and (end == len(text) or not _wordish(text[end])):
            seen += 1
            lt = text[max(0, i - 100):i]
            rt = text[end + 1:end + 120]
            # words wholly inside the window: a word cut by the window's edge is dropped, one ending
            # the line kept
            # (the text's own first and last words are whole)
            lw = (lt.rsplit("\n", 1)[-1].split(" ")[:-1] if "\n" in lt
                  else lt.split(" ")[1 if i > 100 else 0:-1])
            rw = (rt.split("\n", 1)[0].split(" ") if "\n" in rt
                  else rt.split(" ")[:-1] if end + 120 < len(text) else rt.split(" "))
            left = lw[-5:] if text[i - 1:i] == " " else []
            right = rw[:5] if text[end:end + 1] == " " else []
            # "Yayasan Budi Santoso", "Jalan Gatot Subroto": a body or place named after someone
            named_after = bool(left) and left[-1] in rules.venue_words()
            c = toks if named_after else _extend(toks, left, right, text)
            if len(c) > len(best):
                best = c
        i = text.find(name, i + 1)
    if resolver is not None and len(best) > len(toks):
        # a known person the text writes out whose name goes on to the right of the text's form
        # ("Thareq Kemal Habibie" while "Habibie" alone is someone else too)
        r = resolver(" ".join(best)).split()
        if len(r) > len(best) and r[:len(best)] == best:
            best = r
    return " ".join(best)


def cited_sources(paragraphs: list[str], agency: str | None = None) -> list[str]:
    """Wire agencies and outlets the paragraphs cite, first seen first (case-insensitively unique),
    the header's agency last: the source a citing phrase names (citing_phrases.tsv) and every name
    of sources.tsv, whole words."""
    found: list[str] = []
    for text in paragraphs:
        found += cited_by_phrase(text)
        found += [m.group() for m in _source_regex().finditer(text)]
    return unique_sources(found, agency)


_SOURCE_END = re.compile(r"\s+(?:bahwa|yang|pada|di|dan)\b|[,.]")
_WEEKDAY = re.compile(r"(?:Rabu|Kamis|Jumat|Sabtu|Minggu|Senin|Selasa)")


def cited_by_phrase(text: str) -> list[str]:
    """The sources citing phrases name in text ("dilansir dari X", "menurut laporan X"): the words
    after the phrase up to "bahwa", "yang", "pada", "di", "dan" or punctuation; a weekday names
    none."""
    found = []
    for m in _citing_regex().finditer(text):
        src = _SOURCE_END.split(m.group("src"))[0].strip()
        if src and not _WEEKDAY.fullmatch(src):
            found.append(src)
    return found


def unique_sources(found: list[str], agency: str | None) -> list[str]:
    """The cited names found, then the agency: the first of each case-insensitively, less a name
    that is a prefix of a longer cited name ("AP" when "AP News" is there)."""
    if agency:
        found = [*found, agency]
    out: list[str] = []
    seen: set[str] = set()
    for s in found:
        key = s.casefold()
        if key not in seen:
            seen.add(key)
            out.append(s)
    return [s for s in out if not any(o != s and o.startswith(s + " ") for o in out)]


def language(body: str) -> str | None:
    """ISO 639-1 code of the body, from its first LANG_PREFIX_CHARS characters: clear Indonesian or
    English by function-word shares (function_word_language), anything else by langdetect (seed 0);
    None for fewer than three words."""
    sample = body[:LANG_PREFIX_CHARS]
    return language_of_counts(sample, function_word_counts(sample))


def language_of_counts(sample: str, counts: tuple[int, int, int]) -> str | None:
    """language() of the prefix sample whose function_word_counts are counts (the core language and
    its batch twin share)."""
    if len(sample.split()) < 3:
        return None
    fast = language_by_function_words(counts)
    if fast:
        return fast
    try:
        return detect(sample)
    except LangDetectException:
        return None


def function_word_counts(text: str) -> tuple[int, int, int]:
    """(words, English function words, Indonesian function words) of text; words are ASCII letter
    runs of the lower-cased text."""
    ws = _ASCII_WORD.findall(text.lower())
    return len(ws), sum(map(rules.function_words("en").__contains__, ws)), \
        sum(map(rules.function_words("id").__contains__, ws))


def function_word_language(sample: str) -> str | None:
    """'id' or 'en' when one language's function words make up >= 10% of 30+ words of sample and
    the other's are rare."""
    return language_by_function_words(function_word_counts(sample))


def language_by_function_words(counts: tuple[int, int, int]) -> str | None:
    """function_word_language of a text whose function_word_counts are counts."""
    n, en, idn = counts
    if n < 30:
        return None
    if idn >= 0.10 * n and en * 4 < idn:
        return "id"
    if en >= 0.10 * n and idn * 4 < en:
        return "en"
    return None


def foreign_paragraphs(paragraphs: list[str], lang: str | None) -> int:
    """How many paragraphs of an article of language lang look foreign (looks_foreign)."""
    if lang not in ("id", "en"):
        return 0
    return sum(looks_foreign(t, lang) for t in paragraphs)


def looks_foreign(paragraph: str, lang: str | None) -> bool:
    """English function words dominate a paragraph of 8+ words in an Indonesian article (or vice
    versa)."""
    n, en, idn = function_word_counts(paragraph)
    if n < 8:
        return False
    return (en > 2 * idn + 1) if lang == "id" else (idn > 2 * en + 1) if lang == "en" else False


def _wordish(c: str) -> bool:
    return c.isalnum() or c in "_-"


def find_whole(text: str, name: str) -> int:
    """Where text first holds name not inside a longer word, -1 if nowhere."""
    i, size = text.find(name), len(name)
    while i != -1:
        end = i + size
        if (i == 0 or not _wordish(text[i - 1])) and (end == len(text) or not _wordish(text[end])):
            return i
        i = text.find(name, i + 1)
    return -1


def count_whole(text: str, name: str) -> int:
    """Occurrences of name in text not inside a longer word (like re.findall with (?<![\\w-]) /
    (?![\\w-])) by str.find: a regex per person name overflowed re's compile cache and recompiled
    constantly."""
    n, i, size = 0, text.find(name), len(name)
    while i != -1:
        end = i + size
        if (i == 0 or not _wordish(text[i - 1])) and (end == len(text) or not _wordish(text[end])):
            n += 1
            i = text.find(name, end)
        else:
            i = text.find(name, i + 1)
    return n


def entities(paragraphs: list[str], persons: list[str]) -> list[tuple[str, str, int]]:
    counts: Counter[tuple[str, str]] = Counter()
    g = _gazetteer()
    text = "\n".join(paragraphs)
    for m in _gazetteer_regex().finditer(text):
        counts[(m.group(), g[m.group()])] += 1
    full = sorted(set(persons), key=lambda s: (-len(s), s))
    for p in full:
        n = count_whole(text, p)
        counts[(p, "PERSON")] += max(n, 1)
    return sorted(
        ((t, lab, c) for (t, lab), c in counts.items()), key=lambda x: (-x[2], x[1], x[0])
    )


CHUNK_ARTICLES = 1000  # articles per task on worker processes
META_COLUMNS = [
    "article_id",
    "source_path",
    "source_row",
    "url",
    "title_hint",
    "published_hint",
    "outlet_hint",
    "source_format",
    "author_hint",
    "editor_hint",
    "category_hint",
    "tags_hint",
]
PARAGRAPH_COLUMNS = ["article_id", "paragraph_index", "text", "boilerplate_rule", "in_body"]
PERSONS_SCHEMA = {"_story": pl.String, "person": pl.String}


def extract(
    dedup_paragraphs: pl.DataFrame,
    dedup_articles: pl.DataFrame,
    ingest_articles: pl.DataFrame,
    progress: Callable[[int, int], None] | None = None,
    map_chunks: MapChunks = map,
    chunk: int = CHUNK_ARTICLES,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """dedup/* + ingest metadata -> extract/articles, extract/quotes, extract/entities, in memory.

    The same steps as the streaming stage (tasks/extract/stage.py): chunks of articles in source
    order (mapped with map_chunks), then surnames resolved across each story; the result does not
    depend on the chunking."""
    present = [pl.col(c) if c in ingest_articles.columns else pl.lit(None, dtype=pl.String).alias(c)
               # frames from before the metadata columns (all strings) lack them
               for c in META_COLUMNS]
    meta = with_story_sizes(
        ingest_articles.select(present).sort(
            "source_path", "source_row", "article_id", nulls_last=False
        ),
        dedup_articles,
    )
    grouped = group_paragraphs(dedup_paragraphs.sort("article_id", "paragraph_index"))
    data = meta.join(grouped, on="article_id", how="left", maintain_order="left")
    from tasks.extract.fast import extract_chunk  # the batch path

    outs, done = [], 0
    for out in map_chunks(
        extract_chunk, (data.slice(lo, chunk) for lo in range(0, data.height, chunk))
    ):
        outs.append(out)
        done += out[0].height
        if progress:
            progress(done, data.height)
    if not outs:
        outs = [extract_chunk(data)]
    arts, quotes, ents, persons = (pl.concat([o[k] for o in outs]) for k in range(4))
    a, q, e = order_extract(arts, resolve_story_speakers(quotes, persons), ents)
    # quotation_id: a pass over the finished quotes
    from tasks.extract.quotations import link_quotations

    return a, link_quotations(q, a)[0], e


def with_story_sizes(meta: pl.DataFrame, dedup_articles: pl.DataFrame) -> pl.DataFrame:
    """Article metadata + duplicate_of, story_id and _story_n (articles in the story, in the whole
    corpus)."""
    return pl.concat(
        [meta, story_info(meta["article_id"], dedup_articles).drop("article_id")], how="horizontal"
    )


def story_info(ids: pl.Series, dedup_articles: pl.DataFrame) -> pl.DataFrame:
    """(article_id, duplicate_of, story_id, _story_n) in the order of ids; _story_n counts the
    story's articles in the whole corpus (a story whose articles are all in one chunk is resolved
    there)."""
    sizes = (dedup_articles.select(pl.coalesce("story_id", "article_id").alias("_s"))
             .group_by("_s").len("_story_n"))
    return (
        ids.to_frame("article_id")
        .join(
            dedup_articles.select("article_id", "duplicate_of", "story_id"),
            on="article_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(pl.coalesce("story_id", "article_id").alias("_s"))
        .join(sizes, on="_s", how="left", maintain_order="left")
        .with_columns(pl.col("_story_n").fill_null(1).cast(pl.Int64))
        .drop("_s")
    )


def group_paragraphs(rows: pl.DataFrame) -> pl.DataFrame:
    """dedup paragraph rows (whole articles, in paragraph order) -> one row per article with
    lists."""
    return rows.group_by("article_id", maintain_order=True).agg(
        "paragraph_index", "text", "boilerplate_rule", "in_body"
    )


def resolve_story_speakers(quotes: pl.DataFrame, persons: pl.DataFrame) -> pl.DataFrame:
    """Quotes whose story spans chunks (`_story` set): a surname-only speaker -> the longest full
    name seen in the story's articles (persons: (_story, person) rows from every chunk). Drops
    `_story`."""
    speakers = quotes["speaker"].to_list()
    story = quotes["_story"].to_list()
    todo = [i for i, (sp, st) in enumerate(zip(speakers, story, strict=True))
            if st is not None and sp and len(sp.split()) == 1]
    if not todo:
        return conform(quotes, EXTRACT_QUOTES)
    stories = pl.Series([story[i] for i in todo], dtype=pl.String).unique()
    names: dict[str, dict[str, str]] = {}
    for s, ps in (persons.filter(pl.col("_story").is_in(stories.implode())).unique()
                  .group_by("_story").agg("person").iter_rows()):
        names[s] = story_surname_index(sorted(ps, key=lambda x: (-len(x), x)))
    for i in todo:
        speakers[i] = resolve_surname(speakers[i], names.get(story[i], {}))
    return conform(
        quotes.with_columns(pl.Series("speaker", speakers, dtype=pl.String)), EXTRACT_QUOTES
    )


def order_extract(
    a: pl.DataFrame, q: pl.DataFrame, e: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Canonical row order (articles by source; quotes and entities by their article, then as
    found), so that results computed in batches and concatenated equal the one-batch result byte for
    byte."""
    a = a.sort("source_path", "source_row", "article_id", nulls_last=False, maintain_order=True)
    rank = a.select("article_id").with_row_index("_rank")
    q = (
        q.join(rank, on="article_id", how="left", maintain_order="left")
        .sort("_rank", maintain_order=True)
        .drop("_rank")
    )
    e = (
        e.join(rank, on="article_id", how="left", maintain_order="left")
        .sort("_rank", maintain_order=True)
        .drop("_rank")
    )
    return a, q, e
