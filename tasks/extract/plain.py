"""The plain, readable versions of extract's person, mention and quote scans: the specification.

extract.person_candidates, extract._mentions and extract.quotes are their fast twins (one regex over
a window instead of slices, one scan for every speech verb, a pre-check of the whole chunk, mentions
only up to the last quote that needs them, a resolver instead of a scan of the known names);
tests/test_extract_twins.py checks each twin gives what its plain version gives, on real-looking
text and random token sequences.
"""

from __future__ import annotations

import re

from tasks.extract import extract

KATA_BEFORE = re.compile(r"(?:kata|ujar|ucap|tutur|ungkap|menurut)\s*$")


def person_candidates(text: str) -> list[str]:
    """The capitalised runs of text that name a person: a run (stripped of titles and ranks) with a
    cue around it (a title it was stripped of, a speech verb or apposition after it,
    `kata`/`menurut` before it), an entity name of at most five words that is no gazetteer place or
    organisation."""
    found = []
    for m in extract._CAPSEQ.finditer(text):
        seq = m.group().rstrip(".")
        after = text[m.end():m.end() + 40]
        stripped = extract.strip_name(seq)
        cues = (
            stripped != seq and stripped,
            extract._verb_after_name().match(after),
            extract._APPOS.match(after),
            KATA_BEFORE.search(text[max(0, m.start() - 12) : m.start()]),
        )
        if any(cues) and extract.is_entity_name(stripped):
            if len(stripped.split()) <= 5 and not extract._gazetteer_regex().fullmatch(stripped):
                found.append(stripped)
    return found


def mentions(text: str, persons: list[str]) -> list[tuple[int, str]]:
    """(position, speaker) of each person presented as speaking, outside quotes: the last of up to
    three capitalised runs within 40 characters before a speech verb (`X mengatakan`), and `Menurut
    X`; each name resolved to the fullest of persons."""
    masked = extract._mask_quotes(text)
    found: list[tuple[int, str]] = []
    for vm in extract._before_verbs().finditer(masked):
        pre = masked[: vm.start()].rstrip()
        for seq in reversed(
            [m for m in extract._CAPSEQ.finditer(pre) if len(pre) - m.end() <= 40][-3:]
        ):
            name = extract.speaker_name(seq.group())
            if (
                name
                and extract.is_entity_name(name)
                and name.split()[0].lower() not in extract._common_words()
            ):
                found.append((seq.start(), extract.resolve(name, persons)))
                break
    for mm in extract._MENURUT.finditer(masked):
        name = extract.speaker_name(mm.group(1))
        if name and extract.is_entity_name(name):
            found.append((mm.start(1), extract.resolve(name, persons)))
    return found


def quotes(paragraphs: list[tuple[int, str]], persons: list[str]) -> list[dict[str, object]]:
    """The quotes of an article with their speakers (extract.quotes is its fast twin): quote spans
    over the whole article; the speaker named by the attribution, else the person presented last
    before the quote (mentions of every paragraph); a split quote's rest and a free full-sentence
    quote right after another take the same speaker; a quote repeated in the article is kept
    once."""
    text, starts, idxs, found = extract._quote_candidates(paragraphs)
    masked = extract._mask_spans(text, [sp for sp, _ in found])
    said = []  # (position, name) of every mention
    for k, at in enumerate(starts):
        end = starts[k + 1] - 2 if k + 1 < len(starts) else len(text)
        said += [(at + p, name) for p, name in mentions(masked[at:end], [])]
        said += [(at + p, name) for p, name in extract.subject_mentions(masked[at:end])]
    said.sort()
    out, seen, last, prev_end = [], [], None, -1
    resolver = extract.Resolver(persons)
    for sp, attr in found:
        before = [x for x in said if x[0] < sp.start]
        if before and (last is None or before[-1][0] > last[0]):
            last = before[-1]
        if attr is None:
            between = text[prev_end:sp.start] if prev_end >= 0 else ""
            split = prev_end >= 0 and len(between) <= 120 and not re.search(r"[.!?]\s|\n", between)
            if not split and (
                prev_end < 0 or sp.start - prev_end > 600 or not extract._free_quote(sp.text)
            ):
                continue
            name, verb = "", None
        else:
            name, verb = attr
        if name[:1].isupper() and not extract.is_entity_name(name):
            continue
        if name and extract._is_role(name):
            speaker = extract._role_person(name, text)
        elif name:
            speaker = extract.fullest_name(name, text, resolver)
        else:
            speaker = extract.fullest_name(last[1], text, resolver) if last else None
        if speaker:
            last = (sp.start, speaker)
        prev_end = sp.end
        if " ".join(sp.text.casefold().split()) in seen:
            continue
        seen.append(" ".join(sp.text.casefold().split()))
        para = max(k for k, at in enumerate(starts) if at <= sp.start)
        out.append(
            {"paragraph_index": idxs[para], "quote": sp.text, "speaker": speaker, "verb": verb}
        )
    return out
