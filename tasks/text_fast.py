"""The fast twins of the text helpers in tasks/text.py: polars expressions over a column of texts
(normal forms, folding, literal searches), and regex builders and literal pre-filters that make a
pattern cheaper to run without changing what it matches. tests/test_text_twins.py checks each
against its plain version."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

import polars as pl

from tasks.text import fold


def norm_key_expr(col: str | pl.Expr) -> pl.Expr:
    """norm_key over a polars column, vectorised (no per-row Python but the NFKC check, see
    nfkc_expr)."""
    e = pl.col(col) if isinstance(col, str) else col
    return nfkc_expr(e).str.to_lowercase().str.replace_all(_NON_WORD_RUN, " ").str.strip_chars()


# What replace_all(r"[\W_]+", " ") changes, only: a non-word run of 2+ characters, or one character
# other than a
# space (a lone space between words is already its own replacement). The same result with far fewer
# replacements on prose (tests/test_text_twins.py compares the two).
_NON_WORD_RUN = r"[\W_]{2,}|[^\w ]|_"


def nfkc_expr(e: pl.Expr) -> pl.Expr:
    """NFKC of a string column by Python's unicodedata (row-wise, not for group contexts): it hands
    back a string that is already normal (all ASCII, or normalised by an earlier stage) after a
    quick check, where polars' str.normalize rebuilds every string (slower on news text, which is
    mostly ASCII)."""
    return e.map_batches(_nfkc_series, return_dtype=pl.String, is_elementwise=True)


def fold_expr(texts: pl.Expr) -> pl.Expr:
    """fold() over a column: polars' lower-casing for ASCII strings (it is their fold), Python's
    fold() for the others only."""
    return texts.map_batches(_fold_series, return_dtype=pl.String, is_elementwise=True)


def _fold_series(s: pl.Series) -> pl.Series:
    low = s.str.to_lowercase()
    todo = (s.str.len_bytes() != s.str.len_chars()).fill_null(False).arg_true()
    if not len(todo):
        return low
    return low.scatter(
        todo, pl.Series(s.name, [fold(t) for t in s.gather(todo).to_list()], dtype=pl.String)
    )


def is_ascii_expr(texts: pl.Expr) -> pl.Expr:
    """True for texts of ASCII characters only (as many bytes as characters)."""
    return texts.str.len_bytes() == texts.str.len_chars()


def _nfkc_series(s: pl.Series) -> pl.Series:
    """NFKC of the non-ASCII strings only (ASCII text is its own NFKC; ~93% of news paragraphs):
    they alone go through Python, and come back in their places."""
    # more bytes than characters
    todo = (s.str.len_bytes() != s.str.len_chars()).fill_null(False).arg_true()
    if not len(todo):
        return s
    normalize = unicodedata.normalize
    fixed = pl.Series(
        s.name, [normalize("NFKC", t) for t in s.gather(todo).to_list()], dtype=pl.String
    )
    return s.clone().scatter(todo, fixed)


def literal_union(words: list[str] | set[str] | frozenset[str], not_after: str = "") -> str:
    """A regex matching what the alternation of `words` sorted longest first matches, as a trie;
    with `not_after` (a character class such as [\\w-]), only where the character before is not in
    it.

    Python's re tries every alternative at every position; a trie tries a character at a time, and
    one whose top-level alternatives each open with a literal lets re skip to the next possible
    first character in C (its charset prefix scan) instead of entering the pattern at every
    position. So the `not_after` check comes after the first character, as a two-character
    look-behind. Where several words match at one position, the trie prefers the longest, with
    backtracking to shorter ones, exactly as the sorted alternation does.
    """
    root: dict[str, dict] = {}
    for w in words:
        if not w:
            continue
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}
    if not root:
        return "(?!)"

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    guard = rf"(?<!{not_after}(?s:.))" if not_after else ""
    return (
        "(?:"
        + "|".join(re.escape(ch) + guard + emit(sub) for ch, sub in sorted(root.items()))
        + ")"
    )


def first_char_guard(pattern: str) -> str:
    """`pattern` behind a lookahead on the characters a match can start with, when they can be
    worked out.

    Python's re tries a pattern that opens with an assertion or a case-insensitive alternation at
    every position; the one-character lookahead rejects most positions at once (2x on the
    cited-source phrases). The guard never changes what matches: a pattern whose first character is
    not a known literal set (a class like \\w, a lookaround, an optional start) is returned
    unchanged."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        parsed = _parser.parse(pattern)
        firsts = _first_chars(list(parsed), ignore_case=bool(parsed.state.flags & re.I))
    except Exception:  # noqa: BLE001 - an unknown parser version: no guard, same matches
        return pattern
    if not firsts:
        return pattern
    flags = re.match(r"\(\?[aiLmsux]+\)", pattern)  # global flags must stay at the start
    head, pattern = (flags.group(), pattern[flags.end():]) if flags else ("", pattern)
    plain = "".join(re.escape(c) for c, ic in sorted(firsts) if not ic)
    folded = "".join(re.escape(c) for c, ic in sorted(firsts) if ic)
    alts = [f"[{plain}]"] if plain else []
    if folded:
        # ignore-case exactly as re folds it (the Kelvin sign matches k)
        alts.append(f"(?i:[{folded}])")
    return f"{head}(?={'|'.join(alts)})(?:{pattern})"


def _first_chars(items: list, ignore_case: bool) -> set[tuple[str, bool]] | None:
    """(character, ignore_case) pairs a parsed regex sequence can start with; None when unknown or
    when the sequence can match the empty string."""
    optional: set[tuple[str, bool]] = set()  # first characters of optional items passed so far
    for op, av in items:
        name = str(op)
        if name == "AT":  # ^, \b: zero-width, look at what follows
            continue
        if name == "LITERAL":
            return optional | {(chr(av), ignore_case)}
        if name == "SUBPATTERN":
            _, add, remove, sub = av
            got = _first_chars(list(sub), (ignore_case or bool(add & re.I)) and not remove & re.I)
            return None if got is None else optional | got
        if name == "BRANCH":
            out: set[tuple[str, bool]] = set()
            for alt in av[1]:
                got = _first_chars(list(alt), ignore_case)
                if got is None:
                    return None
                out |= got
            return optional | out
        if name in ("MAX_REPEAT", "MIN_REPEAT"):
            got = _first_chars(list(av[2]), ignore_case)
            if got is None:
                return None
            if av[0] >= 1:
                return optional | got
            optional |= got  # "(?:seperti\s+)?dikutip": either may come first
            continue
        if name == "IN" and all(str(o) == "LITERAL" for o, _ in av):
            return optional | {(chr(v), ignore_case) for _, v in av}
        return None
    return None


def required_literals(
    pattern: str, flags: int = 0, *, folded: bool = True
) -> frozenset[str] | None:
    """Folded strings one of which fold(s) contains whenever the pattern matches in s (with or
    without IGNORECASE), worked out from the parsed pattern; None when it has no such strings (or
    the parser is unknown). A check for them is a cheap exact pre-filter: texts without any cannot
    match. folded=False gives the strings as written, one of which s itself contains: only for a
    pattern that never ignores case."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        found = _required(list(_parser.parse(pattern, flags)), fold if folded else str)
    except Exception:  # noqa: BLE001 - an unknown parser version: no pre-filter, same matches
        return None
    if not found:
        return None
    # a string holding another is implied by it ("dikutip" by "dikuti")
    return frozenset(w for w in found if not any(o != w and o in w for o in found))


def ignores_case(pattern: str, flags: int = 0) -> bool:
    """True when any part of the pattern may match ignoring case: the IGNORECASE flag, or an inline
    i flag (global or scoped; a "(?-i:" counts too: the answer only has to err towards True)."""
    return bool(flags & re.I) or re.search(r"\(\?[aiLmsux-]*i", pattern) is not None


def _required(items: list, norm: Callable[[str], str] = fold) -> set[str] | None:
    """The best (longest shortest member) set of strings (norm: folded or as written) one of which
    every match of a parsed regex sequence holds: a run of literal characters, or such a set of a
    sub-pattern every match goes through."""
    options: list[set[str]] = []
    run: list[str] = []
    for op, av in [*items, (None, None)]:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        # anything else ends the run (conservative: a zero-width item could have joined
        # two runs)
        if run:
            options.append({norm("".join(run))})
            run = []
        got: set[str] | None = None
        if name == "SUBPATTERN":
            got = _required(list(av[3]), norm)
        elif name == "BRANCH":
            alts = [_required(list(alt), norm) for alt in av[1]]
            got = set().union(*alts) if all(alts) else None  # type: ignore[arg-type]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            got = _required(list(av[2]), norm)
        if got:
            options.append(got)
    options = [o for o in options if all(o)]
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


class LiteralPrefilter:
    """texts -> False when `pattern` cannot match them (they hold none of its required_literals);
    True for the rest, and for every text when the pattern has no required literals. A pattern that
    never ignores case is checked on the text as it is (no fold of the text)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.folded = ignores_case(pattern, flags)
        words = required_literals(pattern, flags, folded=self.folded)
        self.words = words
        self._words = tuple(sorted(words)) if words else ()

    def __call__(self, text: str) -> bool:
        if self.words is None:
            return True
        if self.folded:
            text = fold(text)
        # str's substring search: faster than one regex of the alternatives, which re
        for w in self._words:
            if w in text:  # tries at every character starting like one of them
                return True
        return False

    def expr(self, texts: pl.Expr, folded: pl.Expr | None = None) -> pl.Expr:
        """__call__ over a column: one literal search in polars over a chunk's texts, cheaper than
        calling it on each. folded: fold_expr(texts), when the caller has it (one column, several
        pre-filters)."""
        if self.words is None:
            return texts.is_not_null() | True
        if not self.folded:
            return contains_any_expr(texts, self._words)
        return contains_any_expr(fold_expr(texts) if folded is None else folded, self._words)


def contains_any_expr(texts: pl.Expr, words: Iterable[str]) -> pl.Expr:
    """Per text, does it hold one of words (as written)? One Rust regex of the words, every
    character but letters and digits escaped: its SIMD literal search is faster than polars'
    str.contains_any."""
    pattern = "|".join(
        "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in w) for w in words if w
    )
    return texts.str.contains(pattern) if pattern else texts.is_null() & False
